/**
 * `phone-dir merge-driver`: two branches that changed different numbers merge without a conflict, into views
 * that validate and match what phone-dir renders; the same number changed both ways is left for a person.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { runCli } from '../helpers/cli.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { sandboxProject, gitCommitAll } from '../helpers/sandbox-project.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, reject: false });

describe('phone-dir merge-driver', () => {
  let sb: SandboxHandle;
  let dir: string;
  let env: Record<string, string>;
  const cli = async (...args: string[]) => {
    const r = await runCli(args, { cwd: dir, env });
    expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  const entry = async (phone: string) => JSON.parse(await readFile(path.join(dir, 'phone-numbers', 'directory.json'), 'utf8')).numbers[phone];

  beforeAll(async () => {
    sb = await startSandbox();
    const project = await sandboxProject(sb);
    dir = project.dir;
    env = project.env;
    await cli('init');
    await cli('sync', '--all');
    await cli('merge-driver', '--install');
    await gitCommitAll(dir, 'directory');
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--install names the views in .gitattributes and sets the driver in .git/config, once', async () => {
    const attributes = await readFile(path.join(dir, '.gitattributes'), 'utf8');
    expect(attributes).toContain('phone-numbers/directory.json merge=phone-dir');
    expect(attributes).toContain('phone-numbers/*/assignments.json merge=phone-dir');
    expect((await git(dir, 'config', 'merge.phone-dir.driver')).stdout).toMatch(/merge-driver %O %A %B %P$/);
    await cli('merge-driver', '--install');
    expect(await readFile(path.join(dir, '.gitattributes'), 'utf8')).toBe(attributes);
  });

  it('merges branches that changed different numbers, in every view, without a conflict', async () => {
    await git(dir, 'checkout', '-q', '-b', 'left');
    await cli('number', 'update', '+14155550101', '-w', 'staging', '--nickname', 'Left desk', '--tag', 'left');
    await cli('pool', 'release', '+14155550103', '-w', 'staging');
    await gitCommitAll(dir, 'left');
    await git(dir, 'checkout', '-q', 'main');
    await git(dir, 'checkout', '-q', '-b', 'right');
    await cli('number', 'update', '+14155550102', '-w', 'staging', '--nickname', 'Right sales', '--tag', 'right');
    await cli('number', 'update', '+14155550105', '-w', 'staging', '--inbound-agent', 'agents/sales-agent');
    await gitCommitAll(dir, 'right');
    const merged = await git(dir, 'merge', '--no-edit', 'left');
    expect(merged.exitCode, `${merged.stdout}\n${merged.stderr}`).toBe(0);
    expect(await entry('+14155550101')).toMatchObject({ tags: ['left'] });
    expect(await entry('+14155550102')).toMatchObject({ tags: ['right'] });
    expect((await entry('+14155550103')).workspaces.staging.assignment_type).toBe('unassigned');
    expect((await entry('+14155550105')).workspaces.staging.agent_path).toBe('agents/sales-agent');
    const assignments = JSON.parse(await readFile(path.join(dir, 'phone-numbers', 'staging', 'assignments.json'), 'utf8'));
    expect(assignments.unassigned).toContain('+14155550103');
    expect(assignments.unassigned).not.toContain('+14155550105');
    await cli('validate');
    // The merged views are what phone-dir renders for the merged model: a sync finds nothing to change.
    const check = await runCli(['sync', '--all', '--check'], { cwd: dir, env });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  }, 60_000);

  it('leaves the same number changed both ways for a person, naming it', async () => {
    await git(dir, 'checkout', '-q', '-b', 'one', 'main');
    await cli('number', 'update', '+14155550106', '-w', 'staging', '--tag', 'one');
    await gitCommitAll(dir, 'one');
    await git(dir, 'checkout', '-q', '-b', 'two', 'main');
    await cli('number', 'update', '+14155550106', '-w', 'staging', '--tag', 'two');
    await gitCommitAll(dir, 'two');
    const merged = await git(dir, 'merge', '--no-edit', 'one');
    expect(merged.exitCode).not.toBe(0);
    expect(merged.stdout + merged.stderr).toMatch(/phone-numbers\/directory\.json: changed differently on both sides: \+14155550106 \(tags\)/);
    expect((await git(dir, 'diff', '--name-only', '--diff-filter=U')).stdout).toContain('phone-numbers/directory.json');
    await git(dir, 'merge', '--abort');
  }, 60_000);
});
