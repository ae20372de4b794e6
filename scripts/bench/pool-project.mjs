// The pool bench project, shared by pool.mjs, stores.mjs and pushes.mjs: the sandbox in a child process, and a
// generated directory of 3,000 numbers, synced, whose unassigned production numbers form the pool "bench".
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const WS = 'production'; // the generated scenario leaves some production numbers unassigned: they become the pool
export const POOL = 'bench';

function run(BIN, dir, env, args) {
  const r = spawnSync('node', [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`phone-dir ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/**
 * The sandbox runs in a child process (`phone-dir sandbox`): measure() times commands with spawnSync, which
 * would block an in-process server. Returns its URL, the connection environment and workspaces.json.
 */
export async function startSandboxProcess(BIN, scenarioFile) {
  const child = spawn('node', [BIN, 'sandbox', '--port', '0', '--scenario', scenarioFile], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Press Ctrl-C')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`phone-dir sandbox exited ${code}: ${out}`)));
  });
  const url = /listening on (http:\/\/[^\s]+)/.exec(out)[1];
  const workspaces = JSON.parse(/# workspaces\.json\n([\s\S]*?)\n\n# environment/.exec(out)[1]);
  const env = Object.fromEntries([...out.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  const setLatency = (ms) => fetch(`${url}/__sandbox/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency_ms: ms }) }).then((r) => r.json());
  const close = () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
  return { url, workspaces, env, setLatency, close };
}

/** Every unassigned number of the workspace joins the pool, in every view (as `number update --pool` would). */
export async function fillPool(dir) {
  const file = path.join(dir, 'phone-numbers', 'directory.json');
  const d = JSON.parse(await readFile(file, 'utf8'));
  const picked = new Set(Object.values(d.numbers).filter((n) => n.workspaces[WS]?.assignment_type === 'unassigned').map((n) => n.phone_number));
  for (const p of picked) d.numbers[p].pool = POOL;
  await writeFile(file, `${JSON.stringify(d, null, 2)}\n`);
  for (const ws of await readdir(path.join(dir, 'phone-numbers'))) {
    const f = path.join(dir, 'phone-numbers', ws, 'numbers.json');
    if (!existsSync(f)) continue;
    const n = JSON.parse(await readFile(f, 'utf8'));
    for (const e of n.numbers) if (picked.has(e.phone_number)) e.pool = POOL;
    await writeFile(f, `${JSON.stringify(n, null, 2)}\n`);
  }
  return picked.size;
}

export async function writePools(dir, store) {
  const document = { version: '1.0.0', ...(store ? { store } : {}), pools: { [POOL]: { workspace: WS, min_available: 0 } } };
  await writeFile(path.join(dir, 'phone-numbers', 'pools.json'), `${JSON.stringify(document, null, 2)}\n`);
}

/** The generated project (3,000 numbers, synced, the pool filled), in `dir`. */
export async function buildProject(root, BIN, dir, sb, scenario) {
  await writeFile(path.join(dir, 'workspaces.json'), `${JSON.stringify(sb.workspaces, null, 2)}\n`);
  const agents = scenario.retell.workspaces[WS].agents.filter((a) => a.channel === 'voice');
  for (const [i, a] of agents.entries()) {
    const folder = path.join(dir, 'agents', `bench-agent-${i + 1}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'agent.json'), JSON.stringify({ agent_name: a.agent_name }));
    for (const ws of Object.keys(scenario.retell.workspaces)) {
      const id = scenario.retell.workspaces[ws].agents.filter((x) => x.channel === 'voice')[i]?.agent_id;
      if (id) await writeFile(path.join(folder, `${ws}.json`), JSON.stringify({ agent_id: id }));
    }
  }
  run(BIN, dir, sb.env, ['init', '-q']);
  run(BIN, dir, sb.env, ['sync', '--all', '-q']);
  const size = await fillPool(dir);
  await writePools(dir, null);
  return { size, agents: agents.length };
}

