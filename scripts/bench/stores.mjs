// The pool on both stores, side by side (npm run bench), at 3,000 numbers against the sandbox over HTTP:
// whole-process `pool assign` and `pool lease` beside `node -e 0`, the time under the lock (--debug), leases
// per second through the CLI from 8 processes, and (PostgreSQL) phone_dir.lease() from 8 SQL clients against
// seed 004's plain FOR UPDATE SKIP LOCKED query (scripts/bench/pg-lease.mjs). The PostgreSQL rows need
// PHONE_DIR_BENCH_DATABASE_URL or PHONE_DIR_TEST_DATABASE_URL; without one they say so and the rest runs.
// Usage: benchStores({ root, BIN, row, baseline }) from scripts/bench.mjs; `node scripts/bench/stores.mjs` alone prints its rows.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildProject, startSandboxProcess, writePools, POOL, WS } from './pool-project.mjs';

const NUMBERS = 3000;
const RUNS = 7;
const WORKERS = 8;
const SECONDS = 10;
const URL_ENV = 'PHONE_DIR_POOL_DATABASE_URL';
const DATABASE_SOURCES = ['PHONE_DIR_BENCH_DATABASE_URL', 'PHONE_DIR_TEST_DATABASE_URL'];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cliEnv(env) {
  return { ...process.env, NO_COLOR: '1', CI: 'true', ...env };
}

function run(BIN, dir, env, args) {
  const r = spawnSync('node', [BIN, ...args], { cwd: dir, env: cliEnv(env), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`phone-dir ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

function runAsync(BIN, dir, env, args) {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { cwd: dir, env: cliEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** Wall time of one command per run (argsFor(i): each run may differ, e.g. a new lease ref), after a warm-up. */
function timeRuns(BIN, dir, env, argsFor, runs = RUNS) {
  const times = [];
  const locked = [];
  let status = 0;
  for (let i = 0; i <= runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync('node', [BIN, ...argsFor(i), '--debug'], { cwd: dir, env: cliEnv(env), encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) status = r.status ?? -1;
    if (i === 0) continue;
    times.push(ms);
    const held = /under lock ([\d.]+)ms/.exec(r.stderr);
    if (held) locked.push(Number(held[1]));
  }
  return { median: median(times), rssMb: 0, status, underLock: locked.length ? median(locked) : null };
}

/** 8 processes leasing (distinct refs, 1 ms holds) for SECONDS: leases per second through the CLI. */
async function cliLeaseRate(BIN, dir, env, label) {
  let done = 0;
  let failed = 0;
  let firstFailure = null;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: WORKERS }, async (_, w) => {
    for (let i = 0; Date.now() < end; i++) {
      const { code, stderr } = await runAsync(BIN, dir, env, ['pool', 'lease', '--pool', POOL, '--for', `${label}-rate-${w}-${i}`, '--hold', '1ms', '-q']);
      if (code === 0) done++;
      else {
        failed++;
        firstFailure ??= `exit ${code}: ${stderr.trim().split('\n')[0]}`;
      }
    }
  }));
  return { rate: done / SECONDS, done, failed, firstFailure };
}

function databaseUrl() {
  const source = DATABASE_SOURCES.find((name) => process.env[name]);
  return source ? { source, url: process.env[source] } : null;
}

async function dropSchema(root, database, schema) {
  const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
  const { connectPostgres } = await import(dist('store/postgres/connect.js'));
  const client = await connectPostgres(database.url, { source: database.source });
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** One store's rows: assign and lease beside node -e 0, under the lock, CLI leases per second. */
async function benchStore({ BIN, row, baseline, dir, env, store, size, agents }) {
  const label = `3,000 numbers, ${store}`;
  const assign = (i) => ['pool', 'assign', '--workspace', WS, '--agent', `bench-agent-${(i % agents) + 1}`, '--pool', POOL, '--hold', '1ms', '-q'];
  const releaseAll = () => run(BIN, dir, env, ['pool', 'release', '--expired', '--workspace', WS, '-q']);
  const single = timeRuns(BIN, dir, env, assign);
  row(label, 'pool assign', single, baseline.median, `pool of ${size}`);
  row(label, 'pool assign: time under the lock', { median: single.underLock ?? NaN, rssMb: 0, status: 0 }, null, single.underLock === null ? '--debug printed no lock time' : 'the local part');
  releaseAll();
  const tag = randomBytes(3).toString('hex');
  const lease = timeRuns(BIN, dir, env, (i) => ['pool', 'lease', '--pool', POOL, '--for', `${tag}-single-${i}`, '--hold', '1ms', '-q']);
  row(label, 'pool lease', lease, baseline.median, '');
  row(label, 'pool lease: time under the lock', { median: lease.underLock ?? NaN, rssMb: 0, status: 0 }, null, lease.underLock === null ? '--debug printed no lock time (no local lock)' : 'the local part');
  await new Promise((r) => setTimeout(r, 5));
  releaseAll();
  const rate = await cliLeaseRate(BIN, dir, env, tag);
  row(label, `pool lease, ${WORKERS} processes, ${SECONDS} s`, { median: 1000 / rate.rate, rssMb: 0, status: rate.failed ? 1 : 0 }, null, `${rate.done} leases (${rate.rate.toFixed(1)}/s)${rate.failed ? `, ${rate.failed} failed (first: ${rate.firstFailure})` : ''}; ms per lease`);
  releaseAll();
  return { assign_ms: single.median, lease_ms: lease.median, under_lock_assign_ms: single.underLock, under_lock_lease_ms: lease.underLock, cli_leases_per_s: rate.rate };
}

/** phone_dir.lease() from 8 SQL clients against seed 004's query, through scripts/bench/pg-lease.mjs. */
function sqlLeaseRows(root, row, database) {
  const r = spawnSync('node', [path.join(root, 'scripts', 'bench', 'pg-lease.mjs'), '--numbers', String(NUMBERS), '--clients', String(WORKERS), '--json'], {
    env: { ...process.env, PHONE_DIR_BENCH_DATABASE_URL: database.url }, encoding: 'utf8',
  });
  if (r.status !== 0) {
    row('3,000 numbers, postgres', 'phone_dir.lease(), 8 SQL clients', { median: NaN, rssMb: 0, status: r.status ?? -1 }, null, `pg-lease failed: ${r.stderr.trim().split('\n').pop()}`);
    return null;
  }
  const report = JSON.parse(r.stdout);
  const ours = report.results['phone_dir.lease()'];
  const seed = report.results['seed 004 query'];
  const ratio = seed.leases_per_s / ours.leases_per_s;
  row('3,000 numbers, postgres', `phone_dir.lease(), ${WORKERS} SQL clients`, { median: 1000 / ours.leases_per_s, rssMb: 0, status: 0 }, null, `${ours.leases_per_s} leases/s, ${ours.lease_release_pairs_per_s} lease+release pairs/s; seed 004 ÷ ours ×${ratio.toFixed(2)} (goal ≤ ×1.5)`);
  row('3,000 numbers, postgres', `seed 004 FOR UPDATE SKIP LOCKED, ${WORKERS} SQL clients`, { median: 1000 / seed.leases_per_s, rssMb: 0, status: 0 }, null, `${seed.leases_per_s} leases/s, ${seed.lease_release_pairs_per_s} pairs/s (PostgreSQL ${report.server})`);
  return { sql: report };
}

export async function benchStores({ root, BIN, row, baseline }) {
  const { generateScenario } = await import(pathToFileURL(path.join(root, 'dist', 'sandbox', 'index.js')).href);
  const scenario = generateScenario({ numbers: NUMBERS });
  const work = await mkdtemp(path.join(tmpdir(), 'phone-dir-bench-stores-'));
  const scenarioFile = path.join(work, 'scenario.json');
  await writeFile(scenarioFile, JSON.stringify(scenario));
  const sb = await startSandboxProcess(BIN, scenarioFile);
  const results = {};
  const database = databaseUrl();
  let schema = null;
  try {
    const filesDir = path.join(work, 'files');
    await mkdir(filesDir);
    const built = await buildProject(root, BIN, filesDir, sb, scenario);
    const postgresDir = path.join(work, 'postgres');
    await cp(filesDir, postgresDir, { recursive: true }); // before any pool command: both stores start alike
    results.files = await benchStore({ BIN, row, baseline, dir: filesDir, env: sb.env, store: 'files', ...built });
    if (!database) {
      row('3,000 numbers, postgres', '(not run)', { median: NaN, rssMb: 0, status: 0 }, null, `set ${DATABASE_SOURCES.join(' or ')} for the PostgreSQL rows`);
    } else {
      schema = `bench_pool_${randomBytes(4).toString('hex')}`;
      const env = { ...sb.env, [URL_ENV]: database.url };
      await writePools(postgresDir, { kind: 'postgres', url_env: URL_ENV, schema });
      run(BIN, postgresDir, env, ['pool', 'store', 'init', '-q']);
      results.postgres = await benchStore({ BIN, row, baseline, dir: postgresDir, env, store: 'postgres', ...built });
      Object.assign(results.postgres, sqlLeaseRows(root, row, database));
    }
  } finally {
    await sb.close();
    if (schema) await dropSchema(root, database, schema).catch((err) => console.error(`bench: could not drop schema ${schema}: ${err.message}`));
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const { measure } = await import('./measure.mjs');
  const BIN = path.join(root, 'bin', 'phone-dir.js');
  const baseline = measure(['node', '-e', '0'], { cwd: root, runs: 11 });
  const rowOut = (scenario, command, r, base, goal) => {
    const ratio = base ? ` ${(r.median / base).toFixed(2)}×` : '';
    console.log(`${scenario.padEnd(26)} ${command.padEnd(52)} ${Number.isFinite(r.median) ? `${r.median.toFixed(1)} ms` : '—'}${ratio}  ${goal}`);
  };
  rowOut('-', 'node -e 0', baseline, null, '');
  await benchStores({ root, BIN, row: rowOut, baseline });
}
