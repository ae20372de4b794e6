import type { Client } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/postgres/schema.js';
import { usePostgres } from '../helpers/postgres.js';

const db = usePostgres();
let sql: Client;
let s: string;

beforeAll(async () => {
  sql = await db.connect();
  await migrate(sql, db.schema);
  s = `"${db.schema}"`;
});

/** A pool of `size` numbers, e.g. +1415000 0001…; returns them in order. */
async function seedPool(pool: string, size: number, prefix: string): Promise<string[]> {
  const result = await sql.query<{ phone_number: string }>(
    `INSERT INTO ${s}.pool_numbers (phone_number, pool, workspace)
     SELECT $2 || lpad(i::text, 4, '0'), $1, 'production' FROM generate_series(1, $3::int) i
     RETURNING phone_number`,
    [pool, prefix, size],
  );
  return result.rows.map((r) => r.phone_number).sort();
}

async function lease(pool: string, ref: string, hold = '18 hours', now?: Date, client = sql): Promise<string | null> {
  const result = now
    ? await client.query<{ n: string | null }>(`SELECT ${s}.lease($1, $2, $3::interval, $4) AS n`, [pool, ref, hold, now])
    : await client.query<{ n: string | null }>(`SELECT ${s}.lease($1, $2, $3::interval) AS n`, [pool, ref, hold]);
  return result.rows[0]!.n;
}

async function numberRow(phone: string): Promise<{ status: string; last_assigned: Date | null; last_released: Date | null; lease_ended: Date | null }> {
  const result = await sql.query(`SELECT status, last_assigned, last_released, lease_ended FROM ${s}.pool_numbers WHERE phone_number = $1`, [phone]);
  return result.rows[0];
}

async function auditOf(ref: string): Promise<{ operation: string; phone_number: string | null; result: string }[]> {
  const result = await sql.query(`SELECT operation, phone_number, result FROM ${s}.audit WHERE ref = $1 ORDER BY id`, [ref]);
  return result.rows;
}

describe('phone_dir.lease() on PostgreSQL', () => {
  it('8 clients × 100 leases on a pool of 800: 800 distinct numbers, then none free → NULL', async () => {
    const numbers = await seedPool('big', 800, '+1415100');
    const clients = await Promise.all(Array.from({ length: 8 }, () => db.connect()));
    const leased = await Promise.all(clients.map(async (client, c) => {
      const got: (string | null)[] = [];
      for (let i = 0; i < 100; i++) got.push(await lease('big', `big-${c}-${i}`, '18 hours', undefined, client));
      return got;
    }));
    const all = leased.flat();
    expect(all).not.toContain(null);
    expect(new Set(all).size).toBe(800);
    expect([...all].sort()).toEqual(numbers);

    expect(await lease('big', 'one-too-many')).toBeNull();
    expect(await auditOf('one-too-many')).toEqual([{ operation: 'lease', phone_number: null, result: 'none-free' }]);
    const counts = await sql.query(
      `SELECT (SELECT count(*)::int FROM ${s}.leases WHERE pool = 'big') AS leases,
              (SELECT count(*)::int FROM ${s}.pool_numbers WHERE pool = 'big' AND status = 'leased') AS leased,
              (SELECT count(*)::int FROM ${s}.audit WHERE ref LIKE 'big-%' AND result = 'leased') AS audited`,
    );
    expect(counts.rows[0]).toEqual({ leases: 800, leased: 800, audited: 800 });
  });

  it('is idempotent per ref: the same ref twice, even at once, gets the same number and moves nothing', async () => {
    await seedPool('idem', 5, '+1415200');
    const first = await lease('idem', 'lead-42');
    expect(first).toMatch(/^\+1415200/);
    const before = await sql.query(`SELECT release_at FROM ${s}.leases WHERE ref = 'lead-42'`);
    expect(await lease('idem', 'lead-42', '1 hour')).toBe(first);
    const after = await sql.query(`SELECT release_at FROM ${s}.leases WHERE ref = 'lead-42'`);
    expect(after.rows).toEqual(before.rows);

    const clients = await Promise.all([1, 2, 3, 4].map(() => db.connect()));
    const racing = await Promise.all(clients.map((c) => lease('idem', 'lead-43', '18 hours', undefined, c)));
    expect(new Set(racing).size).toBe(1);
    expect(racing[0]).not.toBe(first);
    expect((await auditOf('lead-43')).map((a) => a.result).sort()).toEqual(['already-leased', 'already-leased', 'already-leased', 'leased']);
  });

  it('hands out the least recently released number first, never-released ones before all', async () => {
    const [a, b, c] = await seedPool('lru', 3, '+1415300');
    await sql.query(`UPDATE ${s}.pool_numbers SET last_released = now() - interval '1 day' WHERE phone_number = $1`, [a]);
    await sql.query(`UPDATE ${s}.pool_numbers SET last_released = now() - interval '2 days' WHERE phone_number = $1`, [b]);
    expect(await lease('lru', 'r1')).toBe(c);
    expect(await lease('lru', 'r2')).toBe(b);
    expect(await lease('lru', 'r3')).toBe(a);
  });

  it('release(ref) returns the number to the pool, last in LRU order, with an audit row', async () => {
    const [x, y] = await seedPool('rel', 2, '+1415400');
    expect(await lease('rel', 'lead-x')).toBe(x);
    const released = await sql.query(`SELECT ${s}.release('lead-x') AS n`);
    expect(released.rows[0].n).toBe(x);
    const row = await numberRow(x!);
    expect(row.status).toBe('available');
    // A lease's end is the LRU key of leases, never the views' last_released.
    expect(row.lease_ended).toBeInstanceOf(Date);
    expect(row.last_released).toBeNull();
    expect(await lease('rel', 'lead-y')).toBe(y);
    expect(await auditOf('lead-x')).toEqual([
      { operation: 'lease', phone_number: x, result: 'leased' },
      { operation: 'release', phone_number: x, result: 'released' },
    ]);
    const again = await sql.query(`SELECT ${s}.release('lead-x') AS n`);
    expect(again.rows[0].n).toBeNull();
    expect((await auditOf('lead-x')).at(-1)).toEqual({ operation: 'release', phone_number: null, result: 'no-lease' });
  });

  it('refuses a ref that already leases from another pool, and bad arguments, with a message', async () => {
    await seedPool('other', 1, '+1415500');
    await seedPool('mine', 1, '+1415600');
    await lease('mine', 'shared-ref');
    await expect(lease('other', 'shared-ref')).rejects.toThrow(/ref shared-ref already leases \+1415600\d+ from pool mine/);
    await expect(lease('mine', '')).rejects.toThrow('ref must be a non-empty text');
    await expect(lease('mine', 'r', '-1 hour')).rejects.toThrow('hold must be a positive interval');
  });

  it('release_expired() ends leases and holds past their time, by the clock it is given, with audit rows', async () => {
    const [p1, p2, p3, p4] = await seedPool('exp', 4, '+1415700');
    const t0 = new Date('2026-06-01T10:00:00Z');
    expect(await lease('exp', 'short', '1 hour', t0)).toBe(p1);
    expect(await lease('exp', 'long', '18 hours', t0)).toBe(p2);
    await sql.query(`UPDATE ${s}.pool_numbers SET status = 'assigned' WHERE phone_number IN ($1, $2)`, [p3, p4]);
    await sql.query(
      `INSERT INTO ${s}.holds (phone_number, workspace, agent, release_at) VALUES
         ($1, 'production', 'agents/sales', $3::timestamptz + interval '2 hours'),
         ($2, 'production', 'agents/support', $3::timestamptz + interval '2 days')`,
      [p3, p4, t0],
    );
    const expire = async (at: Date): Promise<number> =>
      (await sql.query(`SELECT ${s}.release_expired($1) AS n`, [at])).rows[0].n;

    expect(await expire(new Date('2026-06-01T10:30:00Z'))).toBe(0);
    const t3 = new Date('2026-06-01T13:00:00Z');
    expect(await expire(t3)).toBe(2);
    expect(await numberRow(p1!)).toEqual({ status: 'available', last_assigned: null, last_released: null, lease_ended: t3 });
    expect((await numberRow(p2!)).status).toBe('leased');
    // Still bound to its agent on the platform: phone-dir unbinds it before it is handed out again.
    expect((await numberRow(p3!)).status).toBe('releasing');
    expect((await numberRow(p4!)).status).toBe('assigned');
    const audit = await sql.query(`SELECT operation, phone_number, agent, ref, result FROM ${s}.audit WHERE at = $1 ORDER BY id`, [t3]);
    expect(audit.rows).toEqual([
      { operation: 'expire', phone_number: p1, agent: null, ref: 'short', result: 'released' },
      { operation: 'expire', phone_number: p3, agent: 'agents/sales', ref: null, result: 'releasing' },
    ]);
    expect(await expire(t3)).toBe(0);
  });

  it('an expired lease that release_expired has not ended yet is replaced when its ref leases again', async () => {
    const [first] = await seedPool('renew', 2, '+1415800');
    const t0 = new Date('2026-06-01T10:00:00Z');
    expect(await lease('renew', 'lead-r', '1 hour', t0)).toBe(first);
    const next = await lease('renew', 'lead-r', '1 hour', new Date('2026-06-01T12:00:00Z'));
    expect(next).not.toBe(first);
    expect((await auditOf('lead-r')).map((a) => `${a.operation}:${a.result}`)).toEqual(['lease:leased', 'expire:released', 'lease:leased']);
  });

  it('records who leased: the identity phone-dir sets, else the SQL session', async () => {
    await seedPool('who', 2, '+1415900');
    await lease('who', 'from-phone-dir');
    const other = await db.connect();
    await other.query("SELECT set_config('phone_dir.host', '', false), set_config('phone_dir.pid', '', false), set_config('phone_dir.user', '', false)");
    await lease('who', 'from-sql', '1 hour', undefined, other);
    const rows = await sql.query(`SELECT ref, host, pid, username FROM ${s}.audit WHERE ref IN ('from-phone-dir', 'from-sql') ORDER BY id`);
    expect(rows.rows[0]).toMatchObject({ ref: 'from-phone-dir', pid: process.pid });
    const backend = await other.query('SELECT pg_backend_pid() AS pid, session_user AS username');
    expect(rows.rows[1]).toMatchObject({ ref: 'from-sql', host: '127.0.0.1', ...backend.rows[0] });
  });
});
