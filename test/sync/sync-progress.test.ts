import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { removeProject } from '../helpers/fixture.js';
import { sandboxProject, type SandboxProject } from '../helpers/sandbox-project.js';

let sandbox: SandboxHandle;
let project: SandboxProject;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  project = await sandboxProject(sandbox, { git: false });
  expect((await runCli(['init'], { cwd: project.dir, env: project.env })).exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
  await removeProject(project.dir);
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
async function onTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const command = ['node', BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = await execa('script', ['-qec', command, '/dev/null'], {
    cwd: project.dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env }, extendEnv: false, reject: false,
  });
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

describe('sync output for people and for cron', () => {
  it('shows per-provider page progress and the plan on a terminal', async () => {
    const out = await onTerminal(['sync', '--all'], project.env);
    expect(out).toMatch(/twilio: .*page 1/);
    expect(out).toMatch(/retell staging: .*page 1/);
    expect(out).toContain('+ +14155550101 added');
    expect(out).toMatch(/sync: changed: \d+ added/);
  });

  it('is silent but for one summary line under cron (non-TTY), and silent with --quiet on a terminal when up to date', async () => {
    const staging = sandbox.state.retell.get('staging')!;
    const n = staging.numbers.get('+14155550101')!;
    staging.numbers.set('+14155550101', { ...n, nickname: 'cron change' });
    const cron = await runCli(['sync', '--all'], { cwd: project.dir, env: { ...project.env, CI: '' } });
    expect(cron.exitCode).toBe(0);
    expect(cron.stderr).toBe('');
    expect(cron.stdout.trim().split('\n')).toHaveLength(1);
    expect(cron.stdout).toMatch(/^sync: changed: 1 number changed; \d+ requests in/);
    // --quiet says nothing when nothing changed (README "Commands"): a cron line mails only news.
    const quiet = await onTerminal(['sync', '--all', '--quiet'], project.env);
    expect(quiet).not.toMatch(/page 1/);
    expect(quiet.trim()).toBe('');
  });
});
