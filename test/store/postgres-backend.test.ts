/**
 * The PostgreSQL store's units, in process, on two "machines" (two copies of the sample project, one
 * database): they never hand out the same number, what one records the other sees, a unit that throws leaves
 * the database and the views as they were, and a number leased through SQL meanwhile makes the unit run again.
 */
import { cp, mkdtemp, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePostgres } from '../helpers/postgres.js';
import { sampleProject, snapshotTree } from '../helpers/fixture.js';
import { createPoolStore } from '../../src/store/registry.js';
import { projectPaths } from '../../src/store/paths.js';
import { selectStore, type PostgresSelection } from '../../src/store/postgres/selection.js';
import { initStore } from '../../src/store/postgres/admin.js';
import type { PoolStore, PoolUnit } from '../../src/ports/pool-store.js';
import { pickLeastRecentlyUsed, unavailability, candidateFromEntry } from '../../src/core/pool/select.js';
import { takenNumbers } from '../../src/core/pool/state.js';
import { leasesOf } from '../../src/core/pool/leases.js';

const db = usePostgres();
const POOL = { name: 'sales-pool', workspace: 'staging' };
const URL_ENV = 'PHONE_DIR_POOL_DATABASE_URL';
const notices = { info: () => undefined, warn: () => undefined, progress: () => undefined };

let sql: Client;
let s: string;
let dirA: string;
let dirB: string;
const stores: PoolStore[] = [];

function storeAt(dir: string): PoolStore {
  const store = createPoolStore({ env: { [URL_ENV]: db.url }, paths: projectPaths(dir), command: 'test', lockTimeoutMs: 20_000, now: () => new Date(), notices });
  stores.push(store);
  return store;
}

/** A lease unit as `pool lease` runs it: the LRU choice over the views the store hands out, then a lease. */
function leaseUnit(ref: string) {
  return async (tx: PoolUnit): Promise<string | null> => {
    const file = await tx.directoryFile();
    const pick = file && pickLeastRecentlyUsed(file, POOL, takenNumbers(tx.state));
    if (!pick) return null;
    const now = new Date();
    leasesOf(tx.state).push({ ref, pool: POOL.name, workspace: POOL.workspace, phone_number: pick.phone_number, release_at: new Date(now.getTime() + 3_600_000).toISOString(), created: now.toISOString() });
    tx.audit({ operation: 'lease', phone_number: pick.phone_number, ref, pool: POOL.name, workspace: POOL.workspace, result: 'leased' });
    return pick.phone_number;
  };
}

async function tables(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['pool_numbers', 'leases', 'reservations', 'purchase_intents', 'holds', 'audit']) {
    out[table] = (await sql.query(`SELECT * FROM ${s}.${table} ORDER BY 1`)).rows;
  }
  return out;
}

beforeAll(async () => {
  sql = await db.connect();
  s = `"${db.schema}"`;
  dirA = await sampleProject();
  const poolsFile = path.join(dirA, 'phone-numbers', 'pools.json');
  const pools = JSON.parse(await readFile(poolsFile, 'utf8'));
  await writeFile(poolsFile, JSON.stringify({ ...pools, store: { kind: 'postgres', schema: db.schema } }, null, 2));
  dirB = await mkdtemp(path.join(os.tmpdir(), 'phone-dir-machine-b-'));
  await cp(dirA, dirB, { recursive: true });
  const selection = selectStore(projectPaths(dirA), { [URL_ENV]: db.url }) as PostgresSelection;
  const init = await initStore(selection, projectPaths(dirA), 10_000, new Date());
  expect(init.imported).toBe(3);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

describe('PostgreSQL store units on two machines', () => {
  it('the import took the sample pool: two available numbers, one assigned, with its binding', async () => {
    const rows = (await sql.query(`SELECT status, assignment->>'agent_path' AS agent FROM ${s}.pool_numbers ORDER BY phone_number`)).rows;
    expect(rows.map((r) => r.status).sort()).toEqual(['assigned', 'available', 'available']);
    expect(rows.find((r) => r.status === 'assigned')!.agent).toMatch(/^agents\//);
  });

  it('a unit that throws leaves the database and the views as they were', async () => {
    const before = await tables();
    const views = await snapshotTree(dirA);
    const store = storeAt(dirA);
    await expect(store.unit('lease', async (tx) => {
      await leaseUnit('doomed')(tx);
      const dir = await tx.subset([...(await sql.query(`SELECT phone_number FROM ${s}.pool_numbers`)).rows.map((r) => r.phone_number)]);
      for (const record of dir.numbers.values()) record.pool = null;
      throw new Error('the use case failed');
    })).rejects.toThrow('the use case failed');
    expect(await tables()).toEqual(before);
    expect(await snapshotTree(dirA)).toEqual(views);
  });

  it('six lease units from two machines at once: every number once, then none free', async () => {
    const a = storeAt(dirA);
    const b = storeAt(dirB);
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? b : a).unit('lease', leaseUnit(`ref-${i}`))));
    const leased = results.filter((n): n is string => n !== null);
    expect(leased).toHaveLength(2);
    expect(new Set(leased).size).toBe(2);
    const rows = (await sql.query(`SELECT phone_number, ref FROM ${s}.leases ORDER BY phone_number`)).rows;
    expect(rows.map((r) => r.phone_number)).toEqual([...leased].sort());
    expect((await sql.query(`SELECT count(*)::int AS n FROM ${s}.pool_numbers WHERE status = 'leased'`)).rows[0].n).toBe(2);
  });

  it('what one machine records (a binding) the other sees as assigned, though its files say free', async () => {
    const a = storeAt(dirA);
    const b = storeAt(dirB);
    const ended = await a.unit('release', async (tx) => {
      const leases = leasesOf(tx.state);
      const phones = leases.map((l) => l.phone_number);
      tx.state.leases = [];
      return phones;
    });
    const phone = ended[0]!;
    await a.unit('assign', async (tx) => {
      const record = (await tx.subset([phone])).numbers.get(phone)!;
      record.workspaces.staging!.assignment = {
        agent_path: 'agents/sales-agent', agent_name: 'Sales Agent', agent_id: 'agent_x', assignment_type: 'inbound-only',
        inbound_agent_id: 'agent_x', outbound_agent_id: null, assigned_date: new Date().toISOString(), last_modified: null, release_at: null,
      };
    });
    const onB = await b.unit('look', async (tx) => {
      const entry = (await tx.directoryFile())!.numbers[phone]!;
      return { type: entry.workspaces.staging!.assignment_type, why: unavailability(candidateFromEntry(entry), POOL, takenNumbers(tx.state)) };
    });
    expect(onB).toEqual({ type: 'inbound-only', why: 'assigned' });
    const bFiles = JSON.parse(await readFile(path.join(dirB, 'phone-numbers', 'directory.json'), 'utf8'));
    expect(bFiles.numbers[phone].workspaces.staging.assignment_type).toBe('unassigned');
  });

  it('a number leased through SQL while a unit chose it: the unit runs again and takes another', async () => {
    const a = storeAt(dirA);
    await a.unit('free', async (tx) => {
      const dir = await tx.subset((await sql.query(`SELECT phone_number FROM ${s}.pool_numbers`)).rows.map((r) => r.phone_number));
      for (const record of dir.numbers.values()) record.workspaces.staging!.assignment = null;
    });
    expect((await sql.query(`SELECT count(*)::int AS n FROM ${s}.pool_numbers WHERE status = 'available'`)).rows[0].n).toBe(3);
    let attempts = 0;
    let takenBySql: string | null = null;
    const got = await a.unit('lease', async (tx) => {
      attempts++;
      const chosen = await leaseUnit('cli-ref')(tx);
      // Another program leases through SQL (no unit lock) until it holds the very number this unit chose.
      for (let i = 0; attempts === 1 && takenBySql === null && i < 3; i++) {
        const n = (await sql.query(`SELECT ${s}.lease('sales-pool', $1, '1 hour') AS n`, [`sql-${i}`])).rows[0].n;
        if (n === chosen) takenBySql = n;
        else await sql.query(`SELECT ${s}.release($1)`, [`sql-${i}`]);
      }
      return chosen;
    });
    expect(attempts).toBe(2);
    expect(takenBySql).not.toBeNull();
    expect(got).not.toBeNull();
    expect(got).not.toBe(takenBySql);
    const leases = (await sql.query(`SELECT ref, phone_number FROM ${s}.leases ORDER BY ref`)).rows;
    expect(leases).toEqual([{ ref: 'cli-ref', phone_number: got }, { ref: expect.stringMatching(/^sql-/), phone_number: takenBySql }]);
  });
});
