/**
 * `phone-dir status`: a checkout against its remote (a bare repository and two clones, each a "machine"),
 * the last sync from twilio/sync.json, and the pool operations and leases in flight.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli } from '../helpers/cli.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { sandboxProject, gitCommitAll } from '../helpers/sandbox-project.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd });

describe('phone-dir status', () => {
  let sb: SandboxHandle;
  let base: string;
  let env: Record<string, string>;
  let first: string;
  let second: string;
  const status = async (dir: string, ...args: string[]) => {
    const r = await runCli(['status', ...args, '--json'], { cwd: dir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    sb = await startSandbox();
    const project = await sandboxProject(sb);
    env = project.env;
    first = project.dir;
    expect((await runCli(['init'], { cwd: first, env })).exitCode).toBe(0);
    expect((await runCli(['sync', '--all'], { cwd: first, env })).exitCode).toBe(0);
    await gitCommitAll(first, 'directory');
    base = await mkdtemp(path.join(tmpdir(), 'phone-dir-remote-'));
    await git(base, 'init', '-q', '--bare', '-b', 'main', 'remote.git');
    await git(first, 'remote', 'add', 'origin', path.join(base, 'remote.git'));
    await git(first, 'push', '-q', '-u', 'origin', 'main');
    second = path.join(base, 'second');
    await git(base, 'clone', '-q', path.join(base, 'remote.git'), second);
    await git(second, 'config', 'user.email', 'second@phone-dir.test');
    await git(second, 'config', 'user.name', 'second machine');
    await writeFile(path.join(second, 'workspaces.json'), await readFile(path.join(first, 'workspaces.json'), 'utf8'));
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
    await Promise.all([first, base].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('up to date, then behind once the other machine pushed (after --fetch), then diverged', async () => {
    expect((await status(first)).directory).toMatchObject({ state: 'up-to-date', branch: 'main', upstream: 'origin/main', ahead: 0, behind: 0, uncommitted: [] });
    expect((await runCli(['number', 'update', '+14155550101', '-w', 'staging', '--tag', 'from-second'], { cwd: second, env })).exitCode).toBe(0);
    await gitCommitAll(second, 'tag a number');
    await git(second, 'push', '-q');
    expect((await status(first)).directory).toMatchObject({ state: 'up-to-date', fetched: false }); // offline: the last fetch's view
    expect((await status(first, '--fetch')).directory).toMatchObject({ state: 'behind', behind: 1, ahead: 0, fetched: true });
    expect((await runCli(['number', 'update', '+14155550102', '-w', 'staging', '--tag', 'from-first'], { cwd: first, env })).exitCode).toBe(0);
    const dirty = (await status(first)).directory;
    expect(dirty.uncommitted).toEqual(expect.arrayContaining(['phone-numbers/directory.json']));
    await gitCommitAll(first, 'tag another number');
    expect((await status(first)).directory).toMatchObject({ state: 'diverged', ahead: 1, behind: 1, uncommitted: [] });
    const text = await runCli(['status'], { cwd: first, env });
    expect(text.stdout).toMatch(/diverged: 1 ahead, 1 behind/);
  }, 60_000);

  it('reports the last sync and the commits since it', async () => {
    const r = await status(first);
    expect(r.last_sync).toMatchObject({ status: 'success', time: expect.any(String) });
    expect(r.directory.commits_since).toBeGreaterThanOrEqual(1);
    expect((await status(second)).last_sync).toBeNull(); // sync.json is this machine's (gitignored)
  });

  it('lists the reservations and leases in flight, a dead owner\'s as stale', async () => {
    await writeFile(path.join(second, 'phone-numbers', 'pools.json'), `${JSON.stringify({ version: '1.0.0', pools: { sales: { workspace: 'staging', min_available: 0 } } }, null, 2)}\n`);
    expect((await runCli(['number', 'update', '+14155550105', '-w', 'staging', '--pool', 'sales'], { cwd: second, env })).exitCode).toBe(0);
    expect((await runCli(['pool', 'lease', '--pool', 'sales', '--for', 'lead-1'], { cwd: second, env })).exitCode).toBe(0);
    const statePath = path.join(second, 'phone-numbers', 'twilio', 'pool-state.json');
    const state = JSON.parse(await readFile(statePath, 'utf8'));
    state.reservations.push({ phone_number: '+14155550103', workspace: 'staging', kind: 'assign', owner: { pid: 999_999, host: 'another-host', token: 'x', command: 'phone-dir pool assign' }, created: '2026-01-01T00:00:00.000Z', expires: '2026-01-01T00:10:00.000Z', intended: {} });
    await writeFile(statePath, JSON.stringify(state));
    const store = (await status(second)).store;
    expect(store).toMatchObject({ kind: 'files', shared: false, reservations: 1, stale_reservations: 1, leases: 1, expired_leases: 0 });
    expect(store.operations).toEqual([expect.objectContaining({ phone_number: '+14155550103', operation: 'assign', stale: true })]);
  });
});
