/**
 * `pool lease` and `pool release --for` straight through phone_dir.lease()/release(): a lease never touches
 * the views, so it needs neither this machine's directory lock nor the unit lock; the functions' own row
 * locks (FOR UPDATE SKIP LOCKED) keep every caller, phone-dir or not, from sharing a number.
 */
import type { PoolClient } from 'pg';
import type { DirectLeases, DirectLeaseRequest, DirectLeaseResult } from '../../ports/pool-store.js';
import type { Lease } from '../../core/pool/state.js';
import type { PostgresBackend } from './backend.js';
import { isoText } from './rows.js';

const LEASE_ROW = (s: string) => `SELECT l.ref, l.pool, coalesce(p.workspace, '') AS workspace, l.phone_number, l.release_at, l.created
  FROM ${s}.leases l JOIN ${s}.pool_numbers p USING (phone_number) WHERE l.ref = $1`;

function leaseOf(row: { ref: string; pool: string; workspace: string; phone_number: string; release_at: Date; created: Date }): Lease {
  return { ref: row.ref, pool: row.pool, workspace: row.workspace, phone_number: row.phone_number, release_at: isoText(row.release_at)!, created: isoText(row.created)! };
}

export class PostgresDirectLeases implements DirectLeases {
  constructor(private readonly backend: PostgresBackend, private readonly s: string) {}

  async lease(request: DirectLeaseRequest): Promise<DirectLeaseResult> {
    return this.transaction(async (client) => {
      const held = (await client.query(LEASE_ROW(this.s), [request.ref])).rows[0];
      const live = held && new Date(held.release_at).getTime() > request.now.getTime();
      if (live && held.pool !== request.pool) return { otherPool: leaseOf(held) };
      const chosen = await client.query<{ n: string | null }>(
        `SELECT ${this.s}.lease($1, $2, make_interval(secs => $3::double precision / 1000), $4) AS n`,
        [request.pool, request.ref, request.holdMs, request.now],
      );
      if (!chosen.rows[0]?.n) return null;
      const row = (await client.query(LEASE_ROW(this.s), [request.ref])).rows[0];
      return { lease: leaseOf(row), created: !live };
    });
  }

  async release(ref: string, now: Date): Promise<Lease | null> {
    return this.transaction(async (client) => {
      const held = (await client.query(`${LEASE_ROW(this.s)} FOR UPDATE OF l`, [ref])).rows[0];
      if (!held) return null;
      await client.query(`SELECT ${this.s}.release($1, $2)`, [ref, now]);
      return leaseOf(held);
    });
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.backend.connect();
    try {
      await client.query('BEGIN');
      await this.backend.identify(client);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.backend.failure(err);
    } finally {
      client.release();
    }
  }
}
