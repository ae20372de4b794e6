import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { runCli, BIN } from '../helpers/cli.js';
import { readJson, removeProject } from '../helpers/fixture.js';
import { sandboxProject, type SandboxProject } from '../helpers/sandbox-project.js';

let sandbox: SandboxHandle;
let project: SandboxProject;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: project.dir, env: { ...project.env, ...env } });
const pn = (...p: string[]) => path.join(project.dir, 'phone-numbers', ...p);
const TOGGLED = '+14155550105';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  project = await sandboxProject(sandbox, { git: false });
  expect((await cli(['init'])).exitCode).toBe(0);
  expect((await cli(['sync', '--all'])).exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
  await removeProject(project.dir);
});

function setUpstreamAgent(assigned: boolean): void {
  const staging = sandbox.state.retell.get('staging')!;
  const n = staging.numbers.get(TOGGLED)!;
  staging.numbers.set(TOGGLED, { ...n, inboundAgents: assigned ? [{ agent_id: 'agent_stg_sales_7c3e1a', weight: 1 }] : [], lastModification: Date.now() });
}

/** The three views must tell one story about the toggled number: all old or all new. */
async function viewsOfToggled(): Promise<{ directory: string; assignments: boolean; numbers: boolean }> {
  const directory = (await readJson(pn('directory.json'))).numbers[TOGGLED].workspaces.staging.assignment_type;
  const assignments = (await readJson(pn('staging', 'assignments.json'))).assignments.some((a: { phone_number: string }) => a.phone_number === TOGGLED);
  const numbers = (await readJson(pn('staging', 'numbers.json'))).numbers.find((n: { phone_number: string }) => n.phone_number === TOGGLED).assigned;
  return { directory, assignments, numbers };
}

describe('sync under concurrency and crashes', () => {
  it('two overlapping sync --all runs both succeed and leave a valid directory', async () => {
    setUpstreamAgent(true);
    sandbox.faults.setLatency(40);
    try {
      const runs = await Promise.all([cli(['sync', '--all']), cli(['sync', '--all'])]);
      expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
    } finally {
      sandbox.faults.setLatency(0);
    }
    expect((await cli(['validate'])).exitCode).toBe(0);
    expect(await viewsOfToggled()).toEqual({ directory: 'inbound-only', assignments: true, numbers: true });
    expect((await cli(['sync', '--all', '--check'])).exitCode).toBe(0);
  });

  it('kill -9 at random moments of a sync leaves all-old or all-new files, recovered by the next command', async () => {
    let assigned = true;
    const outcomes = new Set<string>();
    for (let i = 0; i < 10; i++) {
      assigned = !assigned;
      setUpstreamAgent(assigned);
      const child = execa('node', [BIN, 'sync', '--all'], { cwd: project.dir, env: { PATH: process.env.PATH ?? '', CI: 'true', NO_COLOR: '1', ...project.env }, extendEnv: false, reject: false });
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 600));
      child.kill('SIGKILL');
      const result = await child;
      outcomes.add(result.signal === 'SIGKILL' ? 'killed' : `exit ${result.exitCode}`);
      const validate = await cli(['validate', '--json']);
      expect(JSON.parse(validate.stdout).errors).toEqual([]);
      const v = await viewsOfToggled();
      const consistent = (v.directory === 'inbound-only' && v.assignments && v.numbers) || (v.directory === 'unassigned' && !v.assignments && !v.numbers);
      expect(consistent, JSON.stringify(v)).toBe(true);
    }
    expect(outcomes.has('killed')).toBe(true);
    const final = await cli(['sync', '--all']);
    expect(final.exitCode).toBe(0);
    expect((await viewsOfToggled()).assignments).toBe(assigned);
    expect((await cli(['validate'])).exitCode).toBe(0);
  });
});
