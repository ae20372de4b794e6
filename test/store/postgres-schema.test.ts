import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { LATEST_SCHEMA_VERSION, migrate, status } from '../../src/store/postgres/schema.js';
import { usePostgres } from '../helpers/postgres.js';

const db = usePostgres();

async function tablesOf(schema: string): Promise<string[]> {
  const client = await db.connect();
  const result = await client.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema],
  );
  return result.rows.map((r) => r.table_name);
}

describe('pool store schema on PostgreSQL', () => {
  it('reports version 0 before the first migration', async () => {
    const client = await db.connect();
    expect(await status(client, db.freshSchema())).toEqual({ schema: expect.any(String), version: 0, latest: LATEST_SCHEMA_VERSION });
  });

  it('migrates once, and a second run changes nothing', async () => {
    const client = await db.connect();
    const first = await migrate(client, db.schema);
    expect(first).toEqual({ schema: db.schema, from: 0, to: LATEST_SCHEMA_VERSION, applied: [1, 2] });
    const second = await migrate(client, db.schema);
    expect(second).toEqual({ schema: db.schema, from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
    expect(await tablesOf(db.schema)).toEqual(
      ['audit', 'holds', 'leases', 'pool_numbers', 'purchase_intents', 'reservations', 'schema_version'],
    );
    const versions = await client.query(`SELECT version FROM "${db.schema}".schema_version`);
    expect(versions.rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('migrates a version 1 schema with its data to version 2: leases keep working, the LRU key comes from the views\' fields', async () => {
    const client = await db.connect();
    const schema = db.freshSchema();
    expect(await migrate(client, schema, { upTo: 1 })).toMatchObject({ from: 0, to: 1, applied: [1] });
    await client.query(
      `INSERT INTO "${schema}".pool_numbers (phone_number, pool, last_released) VALUES ('+14155550001', 'sales', '2026-01-02T00:00:00Z'), ('+14155550002', 'sales', '2026-01-01T00:00:00Z')`,
    );
    await client.query(`SELECT "${schema}".lease('sales', 'old-lead')`);
    expect(await migrate(client, schema)).toMatchObject({ from: 1, to: 2, applied: [2] });
    const rows = await client.query(`SELECT phone_number, status, number_status, last_used FROM "${schema}".pool_numbers ORDER BY phone_number`);
    expect(rows.rows).toEqual([
      { phone_number: '+14155550001', status: 'available', number_status: 'active', last_used: new Date('2026-01-02T00:00:00Z') },
      { phone_number: '+14155550002', status: 'leased', number_status: 'active', last_used: new Date('2026-01-01T00:00:00Z') },
    ]);
    expect((await client.query(`SELECT "${schema}".release('old-lead') AS n`)).rows[0].n).toBe('+14155550002');
    const ended = await client.query(`SELECT last_released, lease_ended FROM "${schema}".pool_numbers WHERE phone_number = '+14155550002'`);
    expect(ended.rows[0].last_released).toEqual(new Date('2026-01-01T00:00:00Z')); // a lease's end stays out of the views' field
    expect(ended.rows[0].lease_ended).not.toBeNull();
    // The lease just ended makes it the most recently used: the next lease takes the other one.
    expect((await client.query(`SELECT "${schema}".lease('sales', 'new-lead') AS n`)).rows[0].n).toBe('+14155550001');
  });

  it('creates the LRU index the lease choice uses', async () => {
    const client = await db.connect();
    await migrate(client, db.schema);
    const index = await client.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'pool_numbers_lru'", [db.schema],
    );
    expect(index.rows[0]?.indexdef).toContain('(pool, status, last_used NULLS FIRST, phone_number)');
  });

  it('four connections migrating one new schema at once: all succeed, one applies', async () => {
    const schema = db.freshSchema();
    const clients = await Promise.all([1, 2, 3, 4].map(() => db.connect()));
    const results = await Promise.all(clients.map((c) => migrate(c, schema)));
    expect(results.map((r) => r.applied).sort()).toEqual([[], [], [], [1, 2]]);
    expect(results.every((r) => r.to === LATEST_SCHEMA_VERSION)).toBe(true);
    const versions = await clients[0]!.query(`SELECT count(*)::int AS n FROM "${schema}".schema_version`);
    expect(versions.rows[0]).toEqual({ n: 2 });
  });

  it('status counts numbers by status, leases and audit rows', async () => {
    const client = await db.connect();
    const schema = db.freshSchema();
    await migrate(client, schema);
    await client.query(
      `INSERT INTO "${schema}".pool_numbers (phone_number, pool) SELECT '+1415555' || lpad(i::text, 4, '0'), 'sales' FROM generate_series(1, 5) i`,
    );
    await client.query(`SELECT "${schema}".lease('sales', 'lead-1')`);
    await client.query(`SELECT "${schema}".lease('sales', 'lead-2', '1 hour', now() - interval '2 hours')`);
    expect(await status(client, schema)).toEqual({
      schema,
      version: LATEST_SCHEMA_VERSION,
      latest: LATEST_SCHEMA_VERSION,
      numbers: { total: 5, available: 3, leased: 2 },
      holds: 0,
      leases: 2,
      expired_leases: 1,
      reservations: 0,
      purchase_intents: 0,
      audit: 2,
    });
  });

  it('refuses a schema newer than this phone-dir, naming both versions', async () => {
    const client = await db.connect();
    const schema = db.freshSchema();
    await migrate(client, schema);
    await client.query(`INSERT INTO "${schema}".schema_version (version, description) VALUES (99, 'from the future')`);
    await expect(migrate(client, schema)).rejects.toThrow(DataError);
    await expect(status(client, schema)).rejects.toThrow(`is at version 99, newer than this phone-dir knows (${LATEST_SCHEMA_VERSION})`);
  });

  it('rejects a schema name that is not a plain identifier, naming it', async () => {
    const client = await db.connect();
    await expect(migrate(client, 'pd; DROP TABLE x')).rejects.toThrow(UsageError);
    await expect(migrate(client, 'Phone')).rejects.toThrow('pool store schema "Phone" is not a valid name');
  });
});
