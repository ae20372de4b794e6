/**
 * `--push`: the Git remote as the coordination point. A bare repository and several clones of it, each a
 * "machine", against one sandbox: concurrent writers all land without losing each other's changes, a
 * rejected push is recomputed on the new head and counted, and giving up leaves nothing half-done.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { sandboxProject, gitCommitAll } from '../helpers/sandbox-project.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;

describe('--push', () => {
  let sb: SandboxHandle;
  let base: string;
  let remote: string;
  let env: Record<string, string>;
  let clones = 0;
  const clone = async () => {
    const dir = path.join(base, `machine-${++clones}`);
    await git(base, 'clone', '-q', remote, dir);
    await git(dir, 'config', 'user.email', `machine${clones}@phone-dir.test`);
    await git(dir, 'config', 'user.name', `machine ${clones}`);
    return dir;
  };
  const cli = (dir: string, ...args: string[]): Promise<CliResult> => runCli(args, { cwd: dir, env, timeoutMs: 120_000 });
  const remoteDirectory = async () => JSON.parse(await git(remote, 'show', 'main:phone-numbers/directory.json'));

  beforeAll(async () => {
    sb = await startSandbox();
    const project = await sandboxProject(sb);
    env = project.env;
    expect((await runCli(['init'], { cwd: project.dir, env })).exitCode).toBe(0);
    await gitCommitAll(project.dir, 'an empty directory');
    base = await mkdtemp(path.join(tmpdir(), 'phone-dir-push-'));
    remote = path.join(base, 'remote.git');
    await git(base, 'init', '-q', '--bare', '-b', 'main', remote);
    await git(project.dir, 'remote', 'add', 'origin', remote);
    await git(project.dir, 'push', '-q', '-u', 'origin', 'main');
    await rm(project.dir, { recursive: true, force: true });
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('two machines syncing different workspaces at once both land, with each other\'s changes', async () => {
    const [a, b] = [await clone(), await clone()];
    const [ra, rb] = await Promise.all([cli(a, 'sync', '-w', 'staging', '--push', '--push-retries', '20'), cli(b, 'sync', '-w', 'production', '--push', '--push-retries', '20')]);
    expect(ra.exitCode, ra.stderr).toBe(0);
    expect(rb.exitCode, rb.stderr).toBe(0);
    const entries = Object.values((await remoteDirectory()).numbers) as any[];
    expect(entries.some((e) => e.workspaces.staging)).toBe(true);
    expect(entries.some((e) => e.workspaces.production)).toBe(true);
    const check = await clone();
    expect((await cli(check, 'validate')).exitCode).toBe(0);
    expect(await git(a, 'status', '--porcelain', '--', 'phone-numbers')).toBe('');
  }, 120_000);

  it('four machines each running 5 number updates on different numbers at once all land; rejected pushes are retried and counted', async () => {
    const seeded = await clone();
    // 20 numbers: the sandbox's staging ones, then production's (the first test synced both workspaces).
    const numbers = (await remoteDirectory()).numbers;
    const targets = ['staging', 'production'].flatMap((workspace) => Object.entries(numbers)
      .filter(([, e]: [string, any]) => e.workspaces[workspace]).map(([phone]) => ({ phone, workspace })));
    const unique = targets.filter((t, i) => targets.findIndex((o) => o.phone === t.phone) === i).slice(0, 20);
    expect(unique).toHaveLength(20);
    const machines = await Promise.all([1, 2, 3, 4].map(() => clone()));
    const runs = await Promise.all(machines.map(async (dir, m) => {
      const out: CliResult[] = [];
      for (let i = 0; i < 5; i++) {
        const { phone, workspace } = unique[m * 5 + i]!;
        out.push(await cli(dir, 'number', 'update', phone, '-w', workspace, '--tag', `machine-${m}`, '--push', '--push-retries', '30'));
      }
      return out;
    }));
    for (const r of runs.flat()) expect(r.exitCode, r.stderr).toBe(0);
    const rejected = runs.flat().reduce((n, r) => n + Number(/after (\d+) rejected push/.exec(r.stderr)?.[1] ?? 0), 0);
    const directory = await remoteDirectory();
    unique.forEach(({ phone }, i) => expect(directory.numbers[phone]?.tags, phone).toContain(`machine-${Math.floor(i / 5)}`));
    await git(seeded, 'fetch', '-q');
    const log = await git(seeded, 'log', '--format=%s', 'origin/main');
    expect(await git(seeded, 'rev-list', '--count', 'HEAD..origin/main')).toBe('20');
    expect(log).toContain('phone-dir number update');
    console.log(`4 machines × 5 number update --push: 20 landed, ${rejected} rejected pushes recomputed and retried`);
    await git(seeded, 'merge', '--ff-only', '-q', 'origin/main');
    expect((await cli(seeded, 'validate')).exitCode).toBe(0);
  }, 240_000);

  it('a push the remote keeps refusing ends with exit 3 after --push-retries, committing nothing', async () => {
    const dir = await clone();
    const hook = path.join(remote, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "busy: try again" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    try {
      const head = await git(dir, 'rev-parse', 'HEAD');
      const r = await cli(dir, 'number', 'update', '+14155550101', '-w', 'staging', '--tag', 'refused', '--push', '--push-retries', '2');
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/gave up after --push-retries 2: nothing is committed/);
      expect(await git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(await git(dir, 'status', '--porcelain', '--', 'phone-numbers')).toBe('');
    } finally {
      await rm(hook);
    }
  }, 120_000);

  it('is refused (exit 2) before anything runs when the directory has uncommitted changes, or there is no upstream', async () => {
    const dir = await clone();
    const file = path.join(dir, 'phone-numbers', 'directory.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"version"', '"version" '));
    const r = await cli(dir, 'number', 'update', '+14155550101', '-w', 'staging', '--tag', 'x', '--push');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--push: phone-numbers\/ has changes that are not committed \(phone-numbers\/directory\.json\)/);
    await git(dir, 'checkout', '--', 'phone-numbers');
    await git(dir, 'checkout', '-q', '-b', 'local-only');
    const u = await cli(dir, 'number', 'update', '+14155550101', '-w', 'staging', '--tag', 'x', '--push');
    expect(u.exitCode).toBe(2);
    expect(u.stderr).toMatch(/--push: branch local-only has no upstream/);
    expect(await git(dir, 'status', '--porcelain', '--', 'phone-numbers')).toBe('');
  }, 60_000);
});
