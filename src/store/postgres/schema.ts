/** Creates and migrates the pool store schema; reports its version and counts. */
import type { ClientBase } from 'pg';
import { DataError } from '../../core/errors.js';
import { functionsV1, functionsV2 } from './functions.js';
import { DEFAULT_SCHEMA, quoteSchema } from './identifier.js';
import { tablesV1 } from './tables.js';
import { tablesV2 } from './tables-v2.js';

interface Migration { version: number; description: string; sql: (quoted: string, name: string) => string }

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'pool membership, reservations, purchase intents, holds, leases, audit; lease and release functions',
    sql: (quoted, name) => tablesV1(quoted) + functionsV1(quoted, name),
  },
  {
    version: 2,
    description: 'number status, agent binding, lease ends and LRU key on pool numbers; audit pool, workspace, detail',
    sql: (quoted, name) => tablesV2(quoted) + functionsV2(quoted, name),
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export interface MigrateResult { schema: string; from: number; to: number; applied: number[] }

/**
 * Brings `schema` to the latest version in one transaction. Safe to run from many processes at once: a
 * transaction-scoped advisory lock per schema makes them take turns, and each later one finds nothing
 * left to do.
 */
export async function migrate(client: ClientBase, schema: string = DEFAULT_SCHEMA, options: { upTo?: number } = {}): Promise<MigrateResult> {
  const target = options.upTo ?? LATEST_SCHEMA_VERSION;
  const quoted = quoteSchema(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`phone_dir.migrate:${schema}`]);
    // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists: ask first,
    // so a role that may only use an existing schema can still run this.
    if (!(await schemaExists(client, schema))) await client.query(`CREATE SCHEMA ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (
         version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await readVersion(client, quoted);
    if (from > LATEST_SCHEMA_VERSION) throw newerSchemaError(schema, from);
    const pending = MIGRATIONS.filter((m) => m.version > from && m.version <= target);
    for (const m of pending) {
      await client.query(m.sql(quoted, schema));
      await client.query(`INSERT INTO ${quoted}.schema_version (version, description) VALUES ($1, $2)`, [m.version, m.description]);
    }
    await client.query('COMMIT');
    return { schema, from, to: Math.max(from, ...pending.map((m) => m.version)), applied: pending.map((m) => m.version) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export interface StoreStatus {
  schema: string;
  /** 0: the schema (or its version table) does not exist yet. */
  version: number;
  latest: number;
  /** Pool numbers per status, plus `total`; absent before the first migration. */
  numbers?: Record<string, number>;
  holds?: number;
  leases?: number;
  expired_leases?: number;
  reservations?: number;
  purchase_intents?: number;
  audit?: number;
}

export async function status(client: ClientBase, schema: string = DEFAULT_SCHEMA, now: Date = new Date()): Promise<StoreStatus> {
  const quoted = quoteSchema(schema);
  const base = { schema, latest: LATEST_SCHEMA_VERSION };
  if (!(await schemaExists(client, schema))) return { ...base, version: 0 };
  const hasVersionTable = await client.query<{ present: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS present', [`${quoted}.schema_version`],
  );
  if (!hasVersionTable.rows[0]?.present) return { ...base, version: 0 };
  const version = await readVersion(client, quoted);
  if (version === 0) return { ...base, version };
  if (version > LATEST_SCHEMA_VERSION) throw newerSchemaError(schema, version);

  const byStatus = await client.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM ${quoted}.pool_numbers GROUP BY status ORDER BY status`,
  );
  const numbers: Record<string, number> = { total: 0 };
  for (const row of byStatus.rows) {
    numbers[row.status] = Number(row.n);
    numbers.total! += Number(row.n);
  }
  const counts = await client.query<Record<'holds' | 'leases' | 'expired_leases' | 'reservations' | 'purchase_intents' | 'audit', string>>(
    `SELECT (SELECT count(*) FROM ${quoted}.holds) AS holds,
            (SELECT count(*) FROM ${quoted}.leases) AS leases,
            (SELECT count(*) FROM ${quoted}.leases WHERE release_at <= $1) AS expired_leases,
            (SELECT count(*) FROM ${quoted}.reservations) AS reservations,
            (SELECT count(*) FROM ${quoted}.purchase_intents) AS purchase_intents,
            (SELECT count(*) FROM ${quoted}.audit) AS audit`,
    [now],
  );
  const c = counts.rows[0]!;
  return {
    ...base,
    version,
    numbers,
    holds: Number(c.holds),
    leases: Number(c.leases),
    expired_leases: Number(c.expired_leases),
    reservations: Number(c.reservations),
    purchase_intents: Number(c.purchase_intents),
    audit: Number(c.audit),
  };
}

async function schemaExists(client: ClientBase, schema: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return result.rowCount === 1;
}

async function readVersion(client: ClientBase, quoted: string): Promise<number> {
  const result = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quoted}.schema_version`);
  return result.rows[0]?.version ?? 0;
}

function newerSchemaError(schema: string, version: number): DataError {
  return new DataError(
    `pool store schema "${schema}" is at version ${version}, newer than this phone-dir knows (${LATEST_SCHEMA_VERSION})`,
    'upgrade phone-dir on this machine',
  );
}
