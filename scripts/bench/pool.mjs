// Pool benchmarks (npm run bench): `pool assign` at 3,000 numbers against the sandbox over HTTP: the whole
// process beside `node -e 0`, the local part (time under the directory lock, from the --debug timing
// line), and the throughput of 8 concurrent assigners for 10 s with 0 and with 150 ms of API latency.
// Usage: benchPool({ root, BIN, measure, row, baseline }) from scripts/bench.mjs; `node scripts/bench/pool.mjs` alone also works.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProject, startSandboxProcess, POOL, WS } from './pool-project.mjs';

const NUMBERS = 3000;
const SECONDS = 10;
const WORKERS = 8;

function run(BIN, dir, env, args) {
  const r = spawnSync('node', [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`phone-dir ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

function runAsync(BIN, dir, env, args) {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('exit', (code) => resolve(code));
  });
}

/** Puts every unassigned number of the workspace into the pool, in every view (as `number update --pool` would). */

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchPool({ root, BIN, measure, row, baseline }) {
  const { generateScenario } = await import(path.join(root, 'dist', 'sandbox', 'index.js'));
  const scenario = generateScenario({ numbers: NUMBERS });
  const dir = await mkdtemp(path.join(tmpdir(), 'phone-dir-bench-pool-'));
  const scenarioFile = path.join(dir, 'scenario.json');
  await writeFile(scenarioFile, JSON.stringify(scenario));
  const sb = await startSandboxProcess(BIN, scenarioFile);
  const results = {};
  try {
    const env = sb.env;
    const { size, agents } = await buildProject(root, BIN, dir, sb, scenario);
    const label = `${NUMBERS.toLocaleString('en-US')} numbers`;
    // Every bench assignment is held for 1 ms: `pool release --expired` gives them all back between rounds.
    const assign = ['pool', 'assign', '--workspace', WS, '--agent', 'bench-agent-1', '--pool', POOL, '--hold', '1ms', '-q'];
    const releaseAll = () => run(BIN, dir, env, ['pool', 'release', '--expired', '--workspace', WS, '-q']);

    const single = measure(['node', BIN, ...assign], { cwd: dir, runs: 7, env });
    row(label, 'pool assign', single, baseline.median, `pool of ${size}`);
    results.single_ms = single.median;

    const locked = [];
    const providers = [];
    for (let i = 0; i < 7; i++) {
      const r = run(BIN, dir, env, [...assign, '--debug']);
      const m = /under lock ([\d.]+)ms.*providers ([\d.]+)ms/.exec(r.stderr);
      if (m) {
        locked.push(Number(m[1]));
        providers.push(Number(m[2]));
      }
    }
    const local = median(locked);
    row(label, 'pool assign: time under the lock', { median: local, rssMb: 0, status: 0 }, null, 'the local part (seed 004: < 10 ms in a database)');
    results.under_lock_ms = local;
    results.provider_ms = median(providers);
    releaseAll();

    for (const latency of [0, 150]) {
      await sb.setLatency(latency);
      let done = 0;
      let failed = 0;
      const end = Date.now() + SECONDS * 1000;
      await Promise.all(Array.from({ length: WORKERS }, async (_, w) => {
        while (Date.now() < end) {
          const code = await runAsync(BIN, dir, env, ['pool', 'assign', '--workspace', WS, '--agent', `bench-agent-${(w % agents) + 1}`, '--pool', POOL, '--hold', '1ms', '-q']);
          if (code === 0) done++;
          else failed++;
        }
      }));
      await sb.setLatency(0);
      const rate = done / SECONDS;
      row(label, `${WORKERS} concurrent assigners, ${SECONDS} s, ${latency} ms API latency`, { median: 1000 / rate, rssMb: 0, status: failed ? 1 : 0 }, null, `${done} assigns (${rate.toFixed(1)}/s)${failed ? `, ${failed} failed` : ''}; ms per assignment`);
      results[`throughput_${latency}ms`] = rate;
      releaseAll();
    }
    const check = spawnSync('node', [BIN, 'validate', '-q'], { cwd: dir, env: { ...process.env, ...env } });
    results.validate_exit = check.status;
  } finally {
    await sb.close();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

// Standalone: node scripts/bench/pool.mjs (after npm run build)
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const { measure } = await import('./measure.mjs');
  const BIN = path.join(root, 'bin', 'phone-dir.js');
  const baseline = measure(['node', '-e', '0'], { cwd: root, runs: 11 });
  const row = (scenario, command, r, base, goal) => {
    const ratio = base ? `${(r.median / base).toFixed(2)}×` : '';
    console.log(`${scenario.padEnd(14)} ${command.padEnd(52)} ${r.median.toFixed(1).padStart(8)} ms ${ratio.padStart(7)}  ${goal ?? ''}`);
  };
  row('-', 'node -e 0', baseline, null, '');
  console.log(JSON.stringify(await benchPool({ root, BIN, measure, row, baseline }), null, 2));
}
