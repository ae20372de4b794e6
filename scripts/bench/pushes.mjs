// Pushes landed per minute through `--push` (issue 14), at 3,000 numbers against the sandbox: one clone
// alone, then 4 clones of one local bare remote at once, each running `number update --tag … --push` on
// numbers of its own in a loop for SECONDS. Rejected pushes (someone pushed first: recomputed and retried)
// are counted from the commands' "after N rejected pushes" line.
// Usage: benchPushes({ root, BIN, row }) from scripts/bench.mjs; `node scripts/bench/pushes.mjs` alone prints its rows.
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildProject, startSandboxProcess, WS } from './pool-project.mjs';

const NUMBERS = 3000;
const SECONDS = 30;
const CLONES = 4;

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

function runAsync(BIN, dir, env, args) {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function cloneOf(base, remote, name) {
  const dir = path.join(base, name);
  git(base, 'clone', '-q', remote, dir);
  git(dir, 'config', 'user.email', `${name}@phone-dir.bench`);
  git(dir, 'config', 'user.name', name);
  return dir;
}

/** `clones` machines, each updating its own numbers with --push until the time is up. */
async function pushLoop(BIN, env, dirs, phones, label) {
  let landed = 0;
  let rejected = 0;
  let failed = 0;
  const started = Date.now();
  const end = started + SECONDS * 1000;
  await Promise.all(dirs.map(async (dir, machine) => {
    const mine = phones.filter((_, i) => i % dirs.length === machine);
    for (let i = 0; Date.now() < end; i++) {
      const phone = mine[i % mine.length];
      const r = await runAsync(BIN, dir, env, ['number', 'update', phone, '-w', WS, '--tag', `${label}-${machine}-${i}`, '--push', '--push-retries', '50']);
      if (r.code !== 0) {
        failed++;
        continue;
      }
      landed++;
      rejected += Number(/after (\d+) rejected push/.exec(r.stderr)?.[1] ?? 0);
    }
  }));
  const minutes = (Date.now() - started) / 60_000;
  return { landed, rejected, failed, perMinute: landed / minutes };
}

export async function benchPushes({ root, BIN, row }) {
  const { generateScenario } = await import(pathToFileURL(path.join(root, 'dist', 'sandbox', 'index.js')).href);
  const scenario = generateScenario({ numbers: NUMBERS });
  const work = await mkdtemp(path.join(tmpdir(), 'phone-dir-bench-pushes-'));
  const scenarioFile = path.join(work, 'scenario.json');
  await writeFile(scenarioFile, JSON.stringify(scenario));
  const sb = await startSandboxProcess(BIN, scenarioFile);
  try {
    const seed = path.join(work, 'seed');
    await mkdir(seed);
    await buildProject(root, BIN, seed, sb, scenario);
    git(seed, 'init', '-q', '-b', 'main');
    git(seed, 'add', '-A');
    git(seed, '-c', 'user.email=bench@phone-dir.bench', '-c', 'user.name=bench', 'commit', '-q', '-m', 'the directory');
    const remote = path.join(work, 'remote.git');
    git(work, 'init', '-q', '--bare', '-b', 'main', remote);
    git(seed, 'remote', 'add', 'origin', remote);
    git(seed, 'push', '-q', '-u', 'origin', 'main');
    const directory = JSON.parse(await readFile(path.join(seed, 'phone-numbers', 'directory.json'), 'utf8'));
    const phones = Object.values(directory.numbers).filter((n) => n.workspaces[WS]).map((n) => n.phone_number).slice(0, 400);
    const label = `${NUMBERS.toLocaleString('en-US')} numbers, git`;
    const alone = await pushLoop(BIN, sb.env, [cloneOf(work, remote, 'alone')], phones, 'alone');
    row(label, `number update --push, 1 clone, ${SECONDS} s`, { median: 60_000 / alone.perMinute, rssMb: 0, status: alone.failed ? 1 : 0 }, null, `${alone.perMinute.toFixed(1)} pushes landed/min (${alone.landed} landed, ${alone.failed} failed)`);
    const dirs = Array.from({ length: CLONES }, (_, i) => cloneOf(work, remote, `machine-${i + 1}`));
    const together = await pushLoop(BIN, sb.env, dirs, phones, 'together');
    row(label, `number update --push, ${CLONES} clones at once, ${SECONDS} s`, { median: 60_000 / together.perMinute, rssMb: 0, status: together.failed ? 1 : 0 }, null,
      `${together.perMinute.toFixed(1)} pushes landed/min (${together.landed} landed, ${together.rejected} rejected pushes recomputed, ${together.failed} failed)`);
    const commits = Number(git(remote, 'rev-list', '--count', 'main'));
    const expected = 1 + alone.landed + together.landed;
    if (commits !== expected) throw new Error(`bench: the remote has ${commits} commits, ${expected} expected (a landed push is missing)`);
    return { alone, together };
  } finally {
    await sb.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const BIN = path.join(root, 'bin', 'phone-dir.js');
  const rowOut = (scenario, command, r, _base, goal) => console.log(`${scenario.padEnd(24)} ${command.padEnd(48)} ${Number.isFinite(r.median) ? `${r.median.toFixed(0)} ms/push` : '—'}  ${goal}`);
  await benchPushes({ root, BIN, row: rowOut });
}
