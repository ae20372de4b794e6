// Sync benchmarks against the sandbox in this process: `sync --all` of 3,000 numbers across two
// workspaces (wall time and request count), then a no-change resync. Children run asynchronously,
// since the emulator shares this process's event loop.
import { mkdtemp, writeFile, cp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

function runAsync(argv, { cwd, env }) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status, stdout, stderr }));
  });
}

export async function benchProviders({ root, BIN, measure, row, baseline }) {
  const { startSandbox, generateScenario, workspacesSnippet, envSnippet } = await import(path.join(root, 'dist/sandbox/index.js'));
  const sandbox = await startSandbox({ port: 0, scenario: generateScenario({ numbers: 3000, workspaces: ['staging', 'production'] }) });
  const project = await mkdtemp(path.join(tmpdir(), 'phone-dir-bench-sync-'));
  try {
    await writeFile(path.join(project, 'workspaces.json'), JSON.stringify(workspacesSnippet(sandbox), null, 2));
    await cp(path.join(root, 'agents'), path.join(project, 'agents'), { recursive: true });
    const env = envSnippet(sandbox);
    const init = await runAsync(['node', BIN, 'init'], { cwd: project, env });
    if (init.status !== 0) throw new Error(init.stderr);
    const first = await runAsync(['node', BIN, 'sync', '--all', '--json'], { cwd: project, env });
    if (first.status !== 0) throw new Error(`sync failed: ${first.stderr}`);
    const plan = JSON.parse(first.stdout);
    row('3,000 numbers', `sync --all (first, ${plan.requests} requests)`, { median: first.ms, status: first.status }, baseline.median, '< 3 s, < 40 requests');
    const again = [];
    let requests = 0;
    for (let i = 0; i < 3; i++) {
      const r = await runAsync(['node', BIN, 'sync', '--all', '--json'], { cwd: project, env });
      if (r.status !== 0) throw new Error(`resync failed: ${r.stderr}`);
      const p = JSON.parse(r.stdout);
      if (p.changes.length) throw new Error('a no-change resync changed something');
      requests = p.requests;
      again.push(r.ms);
    }
    again.sort((a, b) => a - b);
    row('3,000 numbers', `sync --all (no change, ${requests} requests)`, { median: again[1], status: 0 }, baseline.median, '');
  } finally {
    await sandbox.close();
    await rm(project, { recursive: true, force: true });
  }
  const pool = await import('./pool.mjs').catch((err) => (err.code === 'ERR_MODULE_NOT_FOUND' ? null : Promise.reject(err)));
  if (pool) await pool.benchPool({ root, BIN, measure, row, baseline });
}
