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
