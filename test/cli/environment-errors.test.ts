/**
 * Failures of the environment (Git without an identity, a path that does not exist, a busy port) are
 * configuration errors: exit 2, one line naming the cause and a hint, nothing left staged. Exit 70 is for bugs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli } from '../helpers/cli.js';
import { editJson, removeProject, sampleProject } from '../helpers/fixture.js';
import { startProject, type Project } from '../pool/helpers.js';

const git = (dir: string, args: string[], env: Record<string, string>) => execa('git', args, { cwd: dir, env, extendEnv: false });

describe('environment failures are exit 2, never "this is a bug"', () => {
  let p: Project;
  let home: string;
  let gitEnv: Record<string, string>;
  beforeAll(async () => {
    p = await startProject();
    // A HOME without .gitconfig and no system config: Git has no identity unless the repository sets one.
    home = await mkdtemp(path.join(tmpdir(), 'phone-dir-home-'));
    gitEnv = { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    await git(p.dir, ['init', '-q', '-b', 'main'], gitEnv);
  });
  afterAll(async () => {
    await p?.close();
    await removeProject(home);
  });

  const run = (args: string[]) => p.run(args, { env: { HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
  const staged = async () => (await git(p.dir, ['diff', '--cached', '--name-only'], gitEnv)).stdout;

  it('sync --commit without user.name/user.email: one line and a hint, before anything is written or staged', async () => {
    await editJson(p.file('phone-numbers/staging/numbers.json'), (j) => { j.numbers[0].nickname = 'hand edit'; });
    const before = await p.readJson('phone-numbers/staging/numbers.json');
    const r = await run(['sync', '--all', '--commit']);
    expect(r.exitCode, r.stderr).toBe(2);
    const [error, hint, ...rest] = r.stderr.trim().split('\n');
    expect(error).toMatch(/^error: --commit: git has no author identity \(user\.name \/ user\.email\) for this repository; nothing was changed$/);
    expect(hint).toMatch(/^hint: git config user\.name .* git config user\.email/);
    expect(rest).toEqual([]);
    expect(await staged()).toBe('');
    expect(await p.readJson('phone-numbers/staging/numbers.json')).toEqual(before);
  });

  it('a commit Git refuses after writing (signing fails) unstages what it staged and prints Git\'s one line, not the message', async () => {
    await git(p.dir, ['config', 'user.name', 'Test'], gitEnv);
    await git(p.dir, ['config', 'user.email', 'test@example.test'], gitEnv);
    await git(p.dir, ['config', 'commit.gpgsign', 'true'], gitEnv);
    await git(p.dir, ['config', 'gpg.program', 'false'], gitEnv);
    const r = await run(['sync', '--all', '--commit']);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: --commit: git commit failed: .*; the files are written but not committed$/m);
    expect(r.stderr).not.toMatch(/Command failed|phone-dir sync\n/);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(await staged()).toBe('');
    await git(p.dir, ['config', '--unset', 'commit.gpgsign'], gitEnv);
  });

  it('report --output into a folder that does not exist, or onto a folder', async () => {
    const dir = await sampleProject();
    try {
      const missing = await runCli(['report', '--format', 'csv', '--output', '/nonexistent/dir/x.csv'], { cwd: dir });
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toMatch(/^error: --output: cannot write \/nonexistent\/dir\/x\.csv: the folder \/nonexistent\/dir does not exist$/m);
      expect(missing.stderr).not.toMatch(/bug/);
      expect(existsSync('/nonexistent')).toBe(false);
      await mkdir(path.join(dir, 'out'));
      const folder = await runCli(['report', '--output', 'out'], { cwd: dir });
      expect(folder.exitCode).toBe(2);
      expect(folder.stderr).toMatch(/^error: --output: cannot write .*\/out: it is a folder$/m);
    } finally {
      await removeProject(dir);
    }
  });

  it('sandbox --port on a busy port names the port and suggests --port 0', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runCli(['sandbox', '--port', String(port)], { cwd: home });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: --port: 127\\.0\\.0\\.1:${port} is already in use$`, 'm'));
      expect(r.stderr).toMatch(/--port 0/);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
