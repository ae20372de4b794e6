/**
 * A real PostgreSQL server for tests: each test file gets its own random schema (dropped afterwards) on the
 * database named by PHONE_DIR_TEST_DATABASE_URL (.ci/run starts a server and sets it). Without a reachable
 * server the tests fail, saying so: never a silent skip.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { redact } from '../../src/core/secrets.js';
import { connectPostgres } from '../../src/store/postgres/connect.js';

export const NO_SERVER = 'no PostgreSQL server: set PHONE_DIR_TEST_DATABASE_URL or run .ci/run';
const SOURCE = 'PHONE_DIR_TEST_DATABASE_URL';

export interface TestDatabase {
  /** The schema of this test file. */
  readonly schema: string;
  readonly url: string;
  /** A new connection, closed after the file's tests. */
  connect(): Promise<Client>;
  /** Another random schema name, dropped after the file's tests too (e.g. to migrate from nothing). */
  freshSchema(): string;
}

export function usePostgres(): TestDatabase {
  const schemas = [randomSchemaName()];
  const clients: Client[] = [];
  let url = '';

  beforeAll(async () => {
    url = process.env[SOURCE] ?? '';
    if (!url) throw new Error(NO_SERVER);
    try {
      clients.push(await connectPostgres(url, { source: SOURCE, connectTimeoutMs: 5_000 }));
    } catch (err) {
      throw new Error(`${NO_SERVER} (${redact(err instanceof Error ? err.message : String(err))})`);
    }
  });

  afterAll(async () => {
    const admin = clients[0];
    if (admin) {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  });

  return {
    get schema() { return schemas[0]!; },
    get url() { return url; },
    async connect() {
      const client = await connectPostgres(url, { source: SOURCE });
      clients.push(client);
      return client;
    },
    freshSchema() {
      const name = randomSchemaName();
      schemas.push(name);
      return name;
    },
  };
}

function randomSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

type Row = Record<string, unknown>;

/** The variable pool tests pass the database URL in (the documented one). */
export const POOL_URL_ENV = 'PHONE_DIR_POOL_DATABASE_URL';

/** A pool test project's own schema on the test server (test/pool/helpers.ts, PHONE_DIR_TEST_POOL_STORE=postgres). */
export interface ProjectDatabase {
  readonly schema: string;
  /** What the CLI's environment needs: the URL under POOL_URL_ENV. */
  readonly env: Record<string, string>;
  /** pools.json's `store` entry naming this schema. */
  readonly storeEntry: { kind: 'postgres'; url_env: string; schema: string };
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The runtime state shaped like pool-state.json (reservations, intents, leases, lease_ends). */
  runtimeState(): Promise<{ reservations: Row[]; intents: Row[]; leases: Row[]; lease_ends: Record<string, string> } | null>;
  /** Sets the `created` time of purchase intents (tests age them as they would edit pool-state.json). */
  setIntentCreated(phone: string, created: string): Promise<void>;
  drop(): Promise<void>;
}

export async function openProjectDatabase(): Promise<ProjectDatabase> {
  const url = process.env[SOURCE] ?? '';
  if (!url) throw new Error(`${NO_SERVER} (the pool tests run with PHONE_DIR_TEST_POOL_STORE=postgres)`);
  let client: Client;
  try {
    client = await connectPostgres(url, { source: SOURCE, connectTimeoutMs: 5_000 });
  } catch (err) {
    throw new Error(`${NO_SERVER} (${redact(err instanceof Error ? err.message : String(err))})`);
  }
  const schema = `test_pool_${randomBytes(6).toString('hex')}`;
  const quoted = `"${schema}"`;
  const query = async <Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as Row[];
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
  const rowsOf = async (table: string, order: string) => (await query<Record<string, unknown>>(`SELECT * FROM ${quoted}.${table} ORDER BY ${order}`))
    .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, iso(value)])));
  return {
    schema,
    env: { [POOL_URL_ENV]: url },
    storeEntry: { kind: 'postgres', url_env: POOL_URL_ENV, schema },
    query,
    async runtimeState() {
      const exists = await query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${quoted}.reservations`]);
      if (!exists[0]?.found) return null;
      const leaseEnds = await query<{ phone_number: string; lease_ended: Date }>(`SELECT phone_number, lease_ended FROM ${quoted}.pool_numbers WHERE lease_ended IS NOT NULL`);
      return {
        reservations: await rowsOf('reservations', 'created, phone_number'),
        intents: await rowsOf('purchase_intents', 'created, phone_number'),
        leases: await rowsOf('leases', 'created, ref'),
        lease_ends: Object.fromEntries(leaseEnds.map((row) => [row.phone_number, row.lease_ended.toISOString()])),
      };
    },
    async setIntentCreated(phone, created) {
      await query(`UPDATE ${quoted}.purchase_intents SET created = $2 WHERE phone_number = $1`, [phone, created]);
    },
    async drop() {
      await query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
