/**
 * `agents pull` against the sandbox: a team without agent folders gets a directory that validates, and a
 * folder written by hand keeps every field it has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sandboxProject } from '../helpers/sandbox-project.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { agentSlug, planAgentsPull } from '../../src/core/agents-pull.js';
import type { AgentInfo, AgentsIndex } from '../../src/core/agents.js';

describe('agentSlug and planAgentsPull', () => {
  it('names a folder after the agent, and numbers it when another agent of the workspace has that name', () => {
    expect(agentSlug('Customer Service Agent', 'agent_1')).toBe('customer-service-agent');
    expect(agentSlug('Réception / Empfang', 'agent_1')).toBe('reception-empfang');
    expect(agentSlug(null, 'c1443fb1-3dbc-43ab-b509-4379be89095a')).toBe('c1443fb1-3dbc-43ab-b509-4379be89095a');
    expect(agentSlug('   ', '---')).toBe('agent');
    const index: AgentsIndex = {
      agents: new Map<string, AgentInfo>([['agents/sales', { path: 'agents/sales', name: 'Sales', ids: { staging: 'agent_old' } }], ['agents/desk', { path: 'agents/desk', name: null, ids: {} }]]),
      byId: new Map([['staging\u0000agent_old', 'agents/sales']]),
    };
    const plan = planAgentsPull(index, new Map([['agents/sales', { agent_name: 'Sales', owner: 'ops' }], ['agents/desk', { notes: 'by hand' }]]), 'staging', [
      { agent_id: 'agent_old', agent_name: 'Sales (renamed at Retell)' },
      { agent_id: 'agent_new', agent_name: 'Sales' },
      { agent_id: 'agent_desk', agent_name: 'Desk' },
      { agent_id: 'agent_new2', agent_name: 'Sales' },
    ]);
    expect(plan.known).toEqual([{ agent_id: 'agent_old', agent_path: 'agents/sales' }]);
    expect(plan.writes).toEqual([
      { path: 'agents/desk/staging.json', content: { agent_id: 'agent_desk' }, created: true },
      // The hand-written notes stay; only the missing name is added.
      { path: 'agents/desk/agent.json', content: { notes: 'by hand', agent_name: 'Desk' }, created: false },
      { path: 'agents/sales-2/staging.json', content: { agent_id: 'agent_new' }, created: true },
      { path: 'agents/sales-2/agent.json', content: { agent_name: 'Sales' }, created: true },
      { path: 'agents/sales-3/staging.json', content: { agent_id: 'agent_new2' }, created: true },
      { path: 'agents/sales-3/agent.json', content: { agent_name: 'Sales' }, created: true },
    ]);
  });
});

describe('phone-dir agents pull', () => {
  let sb: SandboxHandle;
  let dir: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => runCli(args, { cwd: dir, env });
  beforeAll(async () => {
    sb = await startSandbox();
    ({ dir, env } = await sandboxProject(sb, { git: false }));
    // A new team: no agent folders at all.
    await rm(path.join(dir, 'agents'), { recursive: true, force: true });
    expect((await run('init')).stdout).toContain('phone-dir agents pull');
  }, 30_000);
  afterAll(() => sb.close());

  it('without agent folders, sync gives unknown-agent-id errors that point to agents pull', async () => {
    expect((await run('sync', '--all')).exitCode).toBe(0);
    const v = JSON.parse((await run('validate', '--json')).stdout);
    const unknown = v.errors.filter((f: { rule: string }) => f.rule === 'unknown-agent-id');
    expect(unknown.length).toBeGreaterThan(20);
    expect(unknown[0].message).toMatch(/phone-dir agents pull --workspace \S+ creates the agent folders/);
  });

  it('--dry-run writes nothing; then every voice agent of every workspace gets its folder, and the directory validates', async () => {
    const dry = JSON.parse((await run('agents', 'pull', '--dry-run', '--json')).stdout);
    expect(dry.written).toEqual([]);
    await expect(readdir(path.join(dir, 'agents'))).rejects.toThrow();
    const r = await run('agents', 'pull', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.workspaces.map((p: { workspace: string }) => p.workspace)).toEqual(['production', 'staging', 'vapi-support']);
    const vapi = result.workspaces.find((p: { workspace: string }) => p.workspace === 'vapi-support');
    expect(vapi.added.map((a: { agent_name: string }) => a.agent_name).sort()).toEqual(['Booking Assistant', 'Sales Assistant', 'Support Assistant']);
    // An agent of the same name in two Retell workspaces is one folder with a file per workspace.
    const folders = await readdir(path.join(dir, 'agents'));
    const filesPerFolder = await Promise.all(folders.map(async (f) => (await readdir(path.join(dir, 'agents', f))).sort()));
    expect(filesPerFolder.some((files) => files.includes('staging.json') && files.includes('production.json'))).toBe(true);
    expect(JSON.parse(await readFile(path.join(dir, 'agents', 'support-assistant', 'vapi-support.json'), 'utf8')).agent_id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await run('sync', '--all')).exitCode).toBe(0);
    const v = await run('validate', '--json');
    expect(JSON.parse(v.stdout).errors).toEqual([]);
    expect(v.exitCode).toBe(0);
    // And a second pull has nothing to do.
    const again = JSON.parse((await run('agents', 'pull', '--json')).stdout);
    expect(again.written).toEqual([]);
  });

  it('never changes a field written by hand, and refuses to write over an agent file it cannot read', async () => {
    const file = path.join(dir, 'agents', 'support-assistant', 'agent.json');
    await writeFile(file, `${JSON.stringify({ agent_name: 'Support (our name)', owner: 'team-a' })}\n`);
    await rm(path.join(dir, 'agents', 'support-assistant', 'vapi-support.json'));
    const r = await run('agents', 'pull', '--workspace', 'vapi-support');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/added agents\/support-assistant\/vapi-support\.json/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ agent_name: 'Support (our name)', owner: 'team-a' });

    await mkdir(path.join(dir, 'agents', 'broken'), { recursive: true });
    await writeFile(path.join(dir, 'agents', 'broken', 'agent.json'), '{ "agent_name": ');
    const refused = await run('agents', 'pull');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/agents\/broken\/agent\.json/);
    await rm(path.join(dir, 'agents', 'broken'), { recursive: true });
  });

  it('an unknown workspace is exit 2 naming it', async () => {
    const r = await run('agents', 'pull', '--workspace', 'stagign');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown workspace "stagign".*did you mean "staging"/);
  });
});
