#!/usr/bin/env node
// Leases per second from 8 SQL clients: phone_dir.lease() against seed 004's plain FOR UPDATE SKIP LOCKED
// query, on the same server, pool size and index shape. Not part of `npm test`; needs `npm run build` and
// a server: PHONE_DIR_BENCH_DATABASE_URL (or PHONE_DIR_TEST_DATABASE_URL, which .ci/run sets).
//   node scripts/bench/pg-lease.mjs [--numbers 3000] [--clients 8] [--seconds 3] [--rounds 3] [--json]
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
if (!existsSync(path.join(root, 'dist/store/postgres/schema.js'))) {
  console.error('pg-lease: dist/ has no PostgreSQL store: run `npm run build` first');
  process.exit(2);
}
const { values: opts } = parseArgs({
  options: {
    numbers: { type: 'string', default: '3000' },
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const NUMBERS = Number(opts.numbers);
const CLIENTS = Number(opts.clients);
const SECONDS = Number(opts.seconds);
const ROUNDS = Number(opts.rounds);
const source = process.env.PHONE_DIR_BENCH_DATABASE_URL ? 'PHONE_DIR_BENCH_DATABASE_URL' : 'PHONE_DIR_TEST_DATABASE_URL';
const url = process.env[source];
if (!url) {
  console.error('pg-lease: no PostgreSQL server: set PHONE_DIR_BENCH_DATABASE_URL (or PHONE_DIR_TEST_DATABASE_URL, as .ci/run does)');
  process.exit(2);
}

const { connectPostgres } = await import(dist('store/postgres/connect.js'));
const { migrate } = await import(dist('store/postgres/schema.js'));
const { redact } = await import(dist('core/secrets.js'));

const schema = `bench_${randomBytes(4).toString('hex')}`;
const s = `"${schema}"`;
const POOL = 'bench';

/**
 * Seed 004's pool table and composite index (company, status, assigned_at). The seed shows no ORDER BY; the
 * index is given NULLS FIRST to match the LRU order below, its best case (with the default NULLS LAST
 * every choice sorts all available rows, about half the speed).
 */
const SEED004 = `
CREATE TABLE ${s}.seed004_pool (
  vapi_phone_number_id text PRIMARY KEY,
  number text NOT NULL,
  assigned_broker_company text,
  currently_assigned_to text,
  assigned_at timestamptz,
  release_at timestamptz,
  assignment_status text DEFAULT 'available'
);
CREATE INDEX seed004_pool_assignment ON ${s}.seed004_pool (assigned_broker_company, assignment_status, assigned_at NULLS FIRST);`;

const SEED004_LEASE = `
WITH selected_number AS (
  SELECT vapi_phone_number_id FROM ${s}.seed004_pool
   WHERE assigned_broker_company = $1 AND assignment_status = 'available'
   ORDER BY assigned_at NULLS FIRST
   LIMIT 1
   FOR UPDATE SKIP LOCKED
)
UPDATE ${s}.seed004_pool p
   SET assignment_status = 'assigned', currently_assigned_to = $2, assigned_at = now(), release_at = now() + interval '18 hours'
  FROM selected_number sel
 WHERE p.vapi_phone_number_id = sel.vapi_phone_number_id
RETURNING p.vapi_phone_number_id, p.number`;
const SEED004_RELEASE = `
UPDATE ${s}.seed004_pool SET assignment_status = 'available', currently_assigned_to = NULL, release_at = NULL
 WHERE vapi_phone_number_id = $1`;

const seed004Ids = new Map();
const ways = {
  'phone_dir.lease()': {
    lease: async (c, ref) => (await c.query(`SELECT ${s}.lease($1, $2, '18 hours') AS n`, [POOL, ref])).rows[0].n,
    release: (c, ref) => c.query(`SELECT ${s}.release($1)`, [ref]),
    reset: (c) => c.query(`DELETE FROM ${s}.leases; UPDATE ${s}.pool_numbers SET status = 'available', last_assigned = NULL, last_released = NULL`),
  },
  'seed 004 query': {
    // Released by primary key (the id its lease returned), its fastest path.
    lease: async (c, ref) => {
      const row = (await c.query(SEED004_LEASE, [POOL, ref])).rows[0];
      if (row) seed004Ids.set(ref, row.vapi_phone_number_id);
      return row?.number ?? null;
    },
    release: (c, ref) => c.query(SEED004_RELEASE, [seed004Ids.get(ref)]).finally(() => seed004Ids.delete(ref)),
    reset: (c) => c.query(`UPDATE ${s}.seed004_pool SET assignment_status = 'available', currently_assigned_to = NULL, assigned_at = NULL, release_at = NULL`),
  },
};

let admin;
const clients = [];
try {
  admin = await connectPostgres(url, { source });
  await migrate(admin, schema);
  await admin.query(SEED004);
  await admin.query(
    `INSERT INTO ${s}.pool_numbers (phone_number, pool) SELECT '+1415' || lpad(i::text, 7, '0'), $1 FROM generate_series(1, $2::int) i`,
    [POOL, NUMBERS],
  );
  await admin.query(
    `INSERT INTO ${s}.seed004_pool (vapi_phone_number_id, number, assigned_broker_company)
     SELECT 'id-' || i, '+1415' || lpad(i::text, 7, '0'), $1 FROM generate_series(1, $2::int) i`,
    [POOL, NUMBERS],
  );
  await admin.query(`ANALYZE ${s}.pool_numbers; ANALYZE ${s}.seed004_pool`);
  for (let i = 0; i < CLIENTS; i++) clients.push(await connectPostgres(url, { source }));

  const results = {};
  for (const name of Object.keys(ways)) results[name] = { fill: [], pairs: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, way] of Object.entries(ways)) {
      await way.reset(admin);
      results[name].fill.push(await fill(way, round));
      await way.reset(admin);
      results[name].pairs.push(await pairs(way, round));
    }
  }
  const report = { numbers: NUMBERS, clients: CLIENTS, seconds: SECONDS, rounds: ROUNDS, server: (await admin.query('SHOW server_version')).rows[0].server_version, results: {} };
  for (const [name, r] of Object.entries(results)) report.results[name] = { leases_per_s: median(r.fill), lease_release_pairs_per_s: median(r.pairs) };
  const [ours, theirs] = Object.values(report.results);
  report.ratio = { leases: round2(theirs.leases_per_s / ours.leases_per_s), pairs: round2(theirs.lease_release_pairs_per_s / ours.lease_release_pairs_per_s) };
  if (opts.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`PostgreSQL ${report.server}, pool of ${NUMBERS}, ${CLIENTS} SQL clients, median of ${ROUNDS} rounds`);
    for (const [name, r] of Object.entries(report.results)) {
      console.log(`  ${name.padEnd(18)} ${String(r.leases_per_s).padStart(7)} leases/s (filling the pool)   ${String(r.lease_release_pairs_per_s).padStart(7)} lease+release pairs/s (${SECONDS} s)`);
    }
    console.log(`  seed 004 / phone_dir.lease(): ×${report.ratio.leases} (leases), ×${report.ratio.pairs} (pairs); goal ≤ ×1.5`);
  }
} catch (err) {
  console.error(`pg-lease: ${redact(err instanceof Error ? err.message : String(err))}`);
  process.exitCode = 1;
} finally {
  await admin?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
  await Promise.all([admin, ...clients].filter(Boolean).map((c) => c.end().catch(() => undefined)));
}

/** Every client leases until none is free: leases per second over the whole pool. */
async function fill(way, round) {
  const started = process.hrtime.bigint();
  const counts = await Promise.all(clients.map(async (c, i) => {
    let n = 0;
    while ((await way.lease(c, `fill-${round}-${i}-${n}`)) !== null) n++;
    return n;
  }));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== NUMBERS) throw new Error(`filling leased ${total} numbers, expected ${NUMBERS}`);
  return Math.round(total / seconds(started));
}

/** Every client leases and releases in a loop for SECONDS: pairs per second. */
async function pairs(way, round) {
  const until = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  const counts = await Promise.all(clients.map(async (c, i) => {
    let n = 0;
    while (Date.now() < until) {
      const ref = `pair-${round}-${i}-${n}`;
      if ((await way.lease(c, ref)) === null) throw new Error('pool ran dry during lease+release pairs');
      await way.release(c, ref);
      n++;
    }
    return n;
  }));
  return Math.round(counts.reduce((a, b) => a + b, 0) / seconds(started));
}

function seconds(started) { return Number(process.hrtime.bigint() - started) / 1e9; }
function median(xs) { const sorted = [...xs].sort((a, b) => a - b); return sorted[Math.floor(sorted.length / 2)]; }
function round2(x) { return Math.round(x * 100) / 100; }
