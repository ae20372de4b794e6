import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import { mkdtemp, writeFile, cp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, REPO_ROOT, cliEnv, runCli } from '../helpers/cli.js';
import { readJson, removeProject } from '../helpers/fixture.js';

const baseEnv = cliEnv();

describe('phone-dir sandbox', () => {
  it('prints working settings, serves phone-dir, and stops cleanly on Ctrl-C', async () => {
    const child = execa('node', [BIN, 'sandbox', '--port', '0'], { env: baseEnv, extendEnv: false, reject: false });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('Press Ctrl-C')) resolve(); });
      child.on('exit', () => reject(new Error(`sandbox exited early: ${out}`)));
    });
    const project = await mkdtemp(path.join(tmpdir(), 'phone-dir-sandbox-cmd-'));
    try {
      const json = out.slice(out.indexOf('# workspaces.json') + '# workspaces.json'.length, out.indexOf('# environment'));
      await writeFile(path.join(project, 'workspaces.json'), json.trim());
      await cp(path.join(REPO_ROOT, 'agents'), path.join(project, 'agents'), { recursive: true });
      const env = Object.fromEntries([...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(env)).toEqual(expect.arrayContaining(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'RETELL_STAGING_API_KEY', 'RETELL_PRODUCTION_API_KEY']));
      expect((await runCli(['init'], { cwd: project, env })).exitCode).toBe(0);
      const sync = await runCli(['sync', '--all', '--json'], { cwd: project, env });
      expect(sync.exitCode).toBe(0);
      expect(JSON.parse(sync.stdout).summary.numbers_added).toBeGreaterThan(20);
      expect(Object.keys((await readJson(path.join(project, 'phone-numbers', 'directory.json'))).numbers).length).toBeGreaterThan(20);
    } finally {
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toContain('phone-dir sandbox stopped');
      await removeProject(project);
    }
  });

  it('rejects a bad port and an unreadable scenario with exit 2', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'phone-dir-sandbox-bad-'));
    try {
      const port = await runCli(['sandbox', '--port', 'abc'], { cwd });
      expect(port.exitCode).toBe(2);
      expect(port.stderr).toMatch(/--port: "abc"/);
      await writeFile(path.join(cwd, 'bad.json'), '{"twilio": 1}');
      const scenario = await runCli(['sandbox', '--port', '0', '--scenario', 'bad.json'], { cwd });
      expect(scenario.exitCode).toBe(2);
      expect(scenario.stderr).toMatch(/bad\.json/);
    } finally {
      await removeProject(cwd);
    }
  });
});

describe('phone-dir demo', () => {
  it('runs the whole loop, exits 0 and leaves no project behind', async () => {
    const before = new Set((await readdir(tmpdir())).filter((f) => f.startsWith('phone-dir-demo-')));
    const r = await runCli(['demo'], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/error|warning/i);
    expect(r.exitCode).toBe(0);
    for (const step of ['$ phone-dir init', '$ phone-dir sync --all', '$ phone-dir pool assign', '$ phone-dir pool release', '$ phone-dir validate', '$ phone-dir report', '$ phone-dir sync --all --check']) expect(r.stdout).toContain(step);
    expect(r.stdout + r.stderr).toMatch(/assigned \+14155550105 .* to agents\/sales-agent in staging/);
    expect(r.stdout).toContain('Errors: 0');
    expect(r.stdout).toMatch(/sync: changed: \d+ added/);
    expect(r.stdout).toContain('demo finished');
    const after = (await readdir(tmpdir())).filter((f) => f.startsWith('phone-dir-demo-') && !before.has(f));
    expect(after).toEqual([]);
  });
});
