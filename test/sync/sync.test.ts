import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { readJson, snapshotTree, removeProject } from '../helpers/fixture.js';
import { sandboxProject, gitStatus, gitCommitAll, gitLogCount, type SandboxProject } from '../helpers/sandbox-project.js';

let sandbox: SandboxHandle;
let project: SandboxProject;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: project.dir, env: { ...project.env, ...env } });
const pn = (...p: string[]) => path.join(project.dir, 'phone-numbers', ...p);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const assignmentOf = async (ws: string, number: string) => (await readJson(pn(ws, 'assignments.json'))).assignments.find((a: any) => a.phone_number === number);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  project = await sandboxProject(sandbox);
  expect((await cli(['init'])).exitCode).toBe(0);
  await gitCommitAll(project.dir, 'init');
  const first = await cli(['sync', '--all']);
  expect(first.stderr).toBe('');
  expect(first.exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
  await removeProject(project.dir);
});

describe('sync --all against the sandbox', () => {
  it('records every assignment type', async () => {
    expect(await assignmentOf('staging', '+14155550101')).toMatchObject({ assignment_type: 'inbound-outbound', agent_path: 'agents/customer-service', agent_id: 'agent_stg_custsvc_4f2a9c', inbound_agent_id: 'agent_stg_custsvc_4f2a9c', outbound_agent_id: 'agent_stg_custsvc_4f2a9c', agent_name: 'Customer Service Agent' });
    expect(await assignmentOf('staging', '+14155550103')).toMatchObject({ assignment_type: 'inbound-only', agent_path: 'agents/support-tier1', outbound_agent_id: null });
    expect(await assignmentOf('staging', '+14155550104')).toMatchObject({ assignment_type: 'outbound-only', agent_path: 'agents/appointment-setter', inbound_agent_id: null });
    expect(await assignmentOf('staging', '+14155550105')).toBeUndefined();
    const assignments = await readJson(pn('staging', 'assignments.json'));
    expect(assignments.unassigned).toContain('+14155550105');
  });

  it('keeps both agents when inbound and outbound differ, and weighted lists', async () => {
    const split = await assignmentOf('staging', '+14155550106');
    expect(split).toMatchObject({ assignment_type: 'inbound-outbound', agent_path: 'agents/customer-service', inbound_agent_id: 'agent_stg_custsvc_4f2a9c', outbound_agent_id: 'agent_stg_sales_7c3e1a' });
    expect(split.outbound_agents).toEqual([{ agent_id: 'agent_stg_sales_7c3e1a', agent_path: 'agents/sales-agent', weight: 1 }]);
    const byAgent = (await readJson(pn('staging', 'assignments.json'))).by_agent;
    expect(byAgent['agents/sales-agent']).toContain('+14155550106');
    const weighted = await assignmentOf('staging', '+14155550107');
    expect(weighted.inbound_agents.length).toBeGreaterThan(1);
    expect(weighted.inbound_agents.reduce((s: number, w: { weight: number }) => s + w.weight, 0)).toBeCloseTo(1);
  });

  it('reads the deprecated single-id fields like the weighted lists', async () => {
    expect(await assignmentOf('staging', '+14155550108')).toMatchObject({ assignment_type: 'inbound-only', agent_path: 'agents/after-hours', inbound_agent_id: 'agent_stg_afterhrs_b2c4d6' });
    expect(await assignmentOf('staging', '+16505550121')).toMatchObject({ assignment_type: 'inbound-outbound', agent_path: 'agents/sales-agent' });
  });

  it('records Retell-owned numbers with their provider and Twilio numbers imported nowhere', async () => {
    const dir = await readJson(pn('directory.json'));
    expect(dir.numbers['+14155550177'].provider).toBe('retell-twilio');
    expect(dir.numbers['+13125550178'].provider).toBe('retell-telnyx');
    expect(dir.numbers['+13125550178'].twilio).toBeNull();
    expect(dir.numbers['+14155550190'].workspaces).toEqual({});
    expect(dir.numbers['+14155550190'].twilio.phone_number_sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(dir.numbers['+18885550161'].phone_number_type).toBe('toll-free');
    expect(dir.numbers['+14155550101'].sip_config.termination_uri).toBe('acme-main.pstn.twilio.com');
    const trunks = await readJson(pn('twilio', 'trunks.json'));
    expect(Object.keys(trunks.trunks)).toHaveLength(2);
    expect(Object.values(trunks.credentials).flatMap((c) => (c as { usernames: string[] }).usernames)).toContain('retell_user');
    const v = await cli(['validate', '--json']);
    expect(JSON.parse(v.stdout).errors).toEqual([]);
    expect(v.exitCode).toBe(0);
  });

  it('a second sync changes no byte, and --commit makes no commit', async () => {
    await gitCommitAll(project.dir, 'first sync');
    const before = await snapshotTree(pn());
    const commits = await gitLogCount(project.dir);
    const again = await cli(['sync', '--all', '--commit']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
    expect(await gitStatus(project.dir)).toBe('');
    expect(await gitLogCount(project.dir)).toBe(commits);
    const after = await snapshotTree(pn());
    for (const [file, text] of before) if (!file.startsWith('twilio') && !file.startsWith('.')) expect(after.get(file)).toBe(text);
    const history = await readJson(pn('twilio', 'sync.json'));
    expect(history.sync_history.length).toBeGreaterThanOrEqual(2);
  });

  it('--check exits 1 on upstream drift without writing, and 0 after a sync', async () => {
    const staging = sandbox.state.retell.get('staging')!;
    const number = staging.numbers.get('+14155550105')!;
    staging.numbers.set('+14155550105', { ...number, nickname: 'Drifted nickname', inboundAgents: [{ agent_id: 'agent_stg_sales_7c3e1a', weight: 1 }], lastModification: Date.UTC(2026, 0, 2) });
    const before = await snapshotTree(pn());
    const check = await cli(['sync', '--all', '--check']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain('~ +14155550105 staging: unassigned → agents/sales-agent (inbound-only)');
    const after = await snapshotTree(pn());
    expect(after).toEqual(before);
    const json = await cli(['sync', '--all', '--dry-run', '--json']);
    expect(json.exitCode).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan.changes.map((c: { phone_number: string }) => c.phone_number)).toContain('+14155550105');
    expect(plan.written).toEqual([]);
    // Someone's unrelated work in progress, staged and unstaged, must stay out of the sync's commit.
    await writeFile(path.join(project.dir, 'notes.txt'), 'work in progress\n');
    await execa('git', ['add', 'notes.txt'], { cwd: project.dir });
    await writeFile(path.join(project.dir, 'agents', 'sales-agent', 'agent.json'), '{ "agent_name": "Sales Agent", "draft": true }\n');
    const apply = await cli(['sync', '--all', '--commit']);
    expect(apply.exitCode).toBe(0);
    const committed = (await execa('git', ['show', '--name-only', '--format=', 'HEAD'], { cwd: project.dir })).stdout.split('\n').sort();
    expect(committed).toEqual(['phone-numbers/directory.json', 'phone-numbers/staging/assignments.json', 'phone-numbers/staging/numbers.json']);
    expect((await gitStatus(project.dir)).split('\n').sort()).toEqual([' M agents/sales-agent/agent.json', 'A  notes.txt']);
    await execa('git', ['reset', '-q', '--hard'], { cwd: project.dir });
    await execa('git', ['clean', '-qfd', 'notes.txt'], { cwd: project.dir });
    expect(await gitStatus(project.dir)).toBe('');
    const log = await readFile(path.join(project.dir, '.git', 'COMMIT_EDITMSG'), 'utf8');
    expect(log).toMatch(/^phone-dir sync \(production, staging, vapi-support\): /);
    expect(log).toContain('+14155550105');
    expect((await cli(['sync', '--all', '--check'])).exitCode).toBe(0);
    expect(await assignmentOf('staging', '+14155550105')).toMatchObject({ agent_path: 'agents/sales-agent', assigned_date: '2026-01-02T00:00:00Z' });
  });

  it('sync-retell and sync-twilio touch only their source', async () => {
    const twilioNumber = sandbox.state.twilio.findByPhone('+14155550193')!;
    sandbox.state.twilio.numbers.set(twilioNumber.sid, { ...twilioNumber, friendlyName: 'Renamed in Twilio' });
    const retellOnly = await cli(['sync-retell', '--all', '--json']);
    expect(JSON.parse(retellOnly.stdout).changes).toEqual([]);
    const twilioOnly = await cli(['sync-twilio', '--json']);
    expect(twilioOnly.exitCode).toBe(0);
    expect(JSON.parse(twilioOnly.stdout).changes).toEqual([expect.objectContaining({ phone_number: '+14155550193', fields: ['twilio.friendly_name'] })]);
  });

  it('a workspace not in workspaces.json is a configuration error', async () => {
    const r = await cli(['sync', '--workspace', 'nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown workspace "nope"/);
  });
});
