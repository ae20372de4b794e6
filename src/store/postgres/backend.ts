/**
 * The PostgreSQL store's UnitBackend: each unit is one transaction on one pooled connection, behind one
 * advisory lock per schema, so units from every machine take turns (they are short: provider calls happen
 * between units). PostgreSQL holds the runtime state and is the authority for the pool's fields, laid over
 * this machine's views (overlay.ts); the unit's changes go back through write-unit.ts.
 */
import type { Pool, PoolClient } from 'pg';
import { PhoneDirError } from '../../core/errors.js';
import type { RuntimeState } from '../../core/pool/state.js';
import type { AuditEvent, AuditQuery, AuditRecord } from '../../core/pool/audit.js';
import type { BackendTransaction, UnitBackend, UnitChange } from '../files/backend.js';
import { createPgPool, defaultIdentity, storeError } from './connect.js';
import { quoteSchema } from './identifier.js';
import { LATEST_SCHEMA_VERSION } from './schema.js';
import { readPoolRows, readRuntimeState, isoText } from './rows.js';
import { PoolRowsOverlay } from './overlay.js';
import { writeUnit } from './write-unit.js';
import { isRetryableDatabaseError, StoreLockTimeoutError } from './errors.js';
import { ConfigError } from '../../core/errors.js';

export interface PostgresBackendOptions {
  url: string;
  /** The variable that names the database, for messages (the URL itself is never shown). */
  source: string;
  schema: string;
  /** For people: host, port and database, without credentials. */
  location: string;
  lockTimeoutMs: number;
  /** pools.json's pools and their workspaces (where a pool number's binding lives). */
  declaredPools: ReadonlyMap<string, string>;
}

export class PostgresBackend implements UnitBackend {
  readonly kind = 'postgres';
  readonly shared = true;
  readonly location: string;
  private readonly s: string;
  private pool: Promise<Pool> | undefined;
  private versionChecked = false;
  private readonly who = defaultIdentity();

  constructor(private readonly options: PostgresBackendOptions) {
    this.s = quoteSchema(options.schema);
    this.location = `${options.location} schema ${options.schema}`;
  }

  /** A connection from the pool (the pool, and pg, are loaded on first use). */
  async connect(): Promise<PoolClient> {
    this.pool ??= createPgPool(this.options.url, { source: this.options.source });
    try {
      return await (await this.pool).connect();
    } catch (err) {
      throw this.failure(err);
    }
  }

  get schema(): string { return this.options.schema; }

  get declaredPools(): ReadonlyMap<string, string> { return this.options.declaredPools; }

  async begin(label: string): Promise<BackendTransaction & { overlay: PoolRowsOverlay }> {
    const client = await this.connect();
    let open = false;
    const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (!open) return;
      open = false;
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    };
    try {
      await client.query('BEGIN');
      open = true;
      await this.takeTurn(client, label);
      await this.checkVersion(client);
      const rows = await readPoolRows(client, this.s);
      const state = await readRuntimeState(client, this.s, rows);
      return {
        state,
        overlay: new PoolRowsOverlay(rows),
        prepare: async (change: UnitChange) => {
          try {
            await writeUnit({ client, s: this.s, rows, declared: this.options.declaredPools }, change);
            await this.writeAudit(client, change.audit, change.now);
          } catch (err) {
            throw this.failure(err);
          }
          return [];
        },
        commit: async () => {
          try {
            await end('COMMIT');
          } catch (err) {
            throw this.failure(err);
          }
        },
        rollback: async () => { await end('ROLLBACK').catch(() => undefined); },
      };
    } catch (err) {
      if (open) await end('ROLLBACK').catch(() => undefined);
      else client.release();
      throw this.failure(err);
    }
  }

  /** Who writes (phone_dir.write_audit reads it), for this transaction; the schema's version checked once. */
  async identify(client: PoolClient): Promise<void> {
    await client.query(
      "SELECT set_config('phone_dir.host', $1, true), set_config('phone_dir.pid', $2, true), set_config('phone_dir.user', $3, true)",
      [this.who.host, String(this.who.pid), this.who.user],
    );
    await this.checkVersion(client);
  }

  /** One unit at a time per schema, on every machine; waits at most --lock-timeout. */
  private async takeTurn(client: PoolClient, label: string): Promise<void> {
    await client.query("SELECT set_config('lock_timeout', $1, true)", [`${Math.max(1, Math.round(this.options.lockTimeoutMs))}ms`]);
    try {
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtextextended($1, 0)),
                set_config('phone_dir.host', $2, true), set_config('phone_dir.pid', $3, true), set_config('phone_dir.user', $4, true)`,
        [`phone_dir.unit:${this.options.schema}`, this.who.host, String(this.who.pid), this.who.user],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') {
        throw new StoreLockTimeoutError(
          `the pool store (${this.location}) stayed busy with other commands' work for the whole lock timeout (${label})`,
          'retry, or raise --lock-timeout',
        );
      }
      throw err;
    }
  }

  private async checkVersion(client: PoolClient): Promise<void> {
    if (this.versionChecked) return;
    const found = await client.query<{ version: number | null }>(
      `SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE (SELECT max(version) FROM ${this.s}.schema_version) END AS version`,
      [`${this.s}.schema_version`],
    ).catch(() => ({ rows: [{ version: 0 }] }));
    const version = found.rows[0]?.version ?? 0;
    if (version !== LATEST_SCHEMA_VERSION) {
      throw new ConfigError(
        version === 0
          ? `the pool store (${this.location}) has no phone-dir schema yet`
          : `the pool store schema "${this.options.schema}" is at version ${version}; this phone-dir needs version ${LATEST_SCHEMA_VERSION}`,
        version > LATEST_SCHEMA_VERSION ? 'upgrade phone-dir on this machine' : 'run phone-dir pool store init (it creates or migrates the schema and imports the pool from the views)',
      );
    }
    this.versionChecked = true;
  }

  private async writeAudit(client: PoolClient, events: AuditEvent[], now: Date): Promise<void> {
    for (const e of events) {
      await client.query(
        `INSERT INTO ${this.s}.audit (at, operation, phone_number, agent, ref, host, pid, username, result, pool, workspace, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [now, e.operation, e.phone_number, e.agent_path ?? null, e.ref ?? null, this.who.host, this.who.pid, this.who.user, e.result,
          e.pool ?? null, e.workspace ?? null, e.detail ? JSON.stringify(e.detail) : null],
      );
    }
  }

  /** The pool rows as they are now, without the unit lock (reading commands). */
  async peekOverlay(): Promise<PoolRowsOverlay> {
    const client = await this.connect();
    try {
      await this.checkVersion(client);
      return new PoolRowsOverlay(await readPoolRows(client, this.s));
    } catch (err) {
      throw this.failure(err);
    } finally {
      client.release();
    }
  }

  async peekState(): Promise<RuntimeState> {
    const client = await this.connect();
    try {
      await this.checkVersion(client);
      return await readRuntimeState(client, this.s, await readPoolRows(client, this.s));
    } catch (err) {
      throw this.failure(err);
    } finally {
      client.release();
    }
  }

  async readAudit(query: AuditQuery): Promise<{ records: AuditRecord[]; skipped: number }> {
    const client = await this.connect();
    try {
      await this.checkVersion(client);
      const result = await client.query(
        `SELECT at, operation, phone_number, agent, ref, host, pid, username, result, pool, workspace, detail FROM ${this.s}.audit
          WHERE ($1::text IS NULL OR phone_number = $1) AND ($2::timestamptz IS NULL OR at >= $2)
          ORDER BY at DESC, id DESC LIMIT $3`,
        [query.number ?? null, query.since ?? null, query.limit ?? null],
      );
      const records = result.rows.map((r): AuditRecord => ({
        time: isoText(r.at)!, operation: r.operation, phone_number: r.phone_number,
        ...(r.agent !== null ? { agent_path: r.agent } : {}),
        ...(r.ref !== null ? { ref: r.ref } : {}),
        ...(r.pool !== null ? { pool: r.pool } : {}),
        ...(r.workspace !== null ? { workspace: r.workspace } : {}),
        result: r.result,
        ...(r.detail !== null ? { detail: r.detail } : {}),
        who: { host: r.host, pid: r.pid, user: r.username },
      }));
      return { records, skipped: 0 };
    } catch (err) {
      throw this.failure(err);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).end().catch(() => undefined);
  }

  /** phone-dir's own errors and retryable conflicts as they are; any other database failure is exit 5, redacted. */
  failure(err: unknown): unknown {
    if (err instanceof PhoneDirError || isRetryableDatabaseError(err)) return err;
    return storeError(err, this.options.source);
  }
}
