/**
 * Every validate rule, firing and not firing. Most cases edit the model of a copy of the sample and render it
 * back (so the views stay consistent and only the rule under test can fire), then run validateDirectory the
 * way the CLI does; file-level problems and the output formats go through the built CLI.
 */
import { catalog } from '../../src/providers/registry.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sampleProject, removeProject, editJson } from '../helpers/fixture.js';
import { readDirectory } from '../../src/store/directory.js';
import { readAgents } from '../../src/store/agents.js';
import { readPools } from '../../src/store/pools.js';
import { validateDirectory, type Finding, type ValidationResult } from '../../src/core/validate/index.js';
import { renderViews, serialize } from '../../src/core/views.js';
import { renderGithubAnnotations } from '../../src/render/github.js';
import type { Directory, NumberRecord, Assignment } from '../../src/core/model.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const BEFORE_HOLD = new Date('2026-01-01T00:00:00Z'); // the sample's one hold ends 2030-01-01
const AFTER_HOLD = new Date('2031-01-01T00:00:00Z');

async function validateAt(root: string, now = BEFORE_HOLD): Promise<ValidationResult> {
  const [loaded, agents] = await Promise.all([readDirectory(root), readAgents(root)]);
  const pools = await readPools(loaded.paths);
  expect([...loaded.issues, ...pools.issues, ...agents.issues]).toEqual([]);
  const p = loaded.paths;
  return validateDirectory({
    dir: loaded.dir, parsed: loaded.parsed, agents: agents.index, pools: pools.pools, now, catalog: catalog(),
    files: { directory: p.rel(p.directory), numbers: (ws) => p.rel(p.workspaceNumbers(ws)), assignments: (ws) => p.rel(p.workspaceAssignments(ws)), pools: p.rel(p.pools) },
  });
}

const rules = (fs: Finding[]) => fs.map((f) => f.rule);

/** Edits the model of the project and writes every view back from it: the views agree with each other. */
async function mutateModel(root: string, edit: (dir: Directory) => void): Promise<void> {
  const loaded = await readDirectory(root);
  edit(loaded.dir);
  const views = renderViews(loaded.dir);
  await writeFile(loaded.paths.directory, serialize(views.directory));
  for (const [ws, v] of Object.entries(views.workspaces)) {
    await writeFile(loaded.paths.workspaceNumbers(ws), serialize(v.numbers));
    await writeFile(loaded.paths.workspaceAssignments(ws), serialize(v.assignments));
  }
}

const num = (dir: Directory, n: string): NumberRecord => dir.numbers.get(n)!;
const assignment = (dir: Directory, n: string, ws: string): Assignment => dir.numbers.get(n)!.workspaces[ws]!.assignment!;

function renameNumber(dir: Directory, from: string, to: string): void {
  const r = num(dir, from);
  dir.numbers.delete(from);
  r.phone_number = to;
  dir.numbers.set(to, r);
}

/** A fresh copy of the sample per case; removed afterwards. */
async function withProject<T>(fn: (root: string) => Promise<T>): Promise<T> {
  const root = await sampleProject();
  try {
    return await fn(root);
  } finally {
    await removeProject(root);
  }
}

/** Validates a copy of the sample after `edit` (a model edit) and returns the result. */
async function afterModelEdit(edit: (dir: Directory) => void, now = BEFORE_HOLD): Promise<ValidationResult> {
  return withProject(async (root) => {
    await mutateModel(root, edit);
    return validateAt(root, now);
  });
}

const file = (root: string, rel: string) => path.join(root, 'phone-numbers', rel);

describe('the sample', () => {
  it('has no findings at all', async () => {
    const r = await withProject((root) => validateAt(root));
    expect(r).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('rendering its model back changes nothing that validate sees', async () => {
    expect(await afterModelEdit(() => {})).toEqual({ ok: true, errors: [], warnings: [] });
  });
});

describe('e164', () => {
  it.each([['+11235550106'], ['+14150550106'], ['+447700900123']])('fires for %s', async (bad) => {
    const r = await afterModelEdit((dir) => renameNumber(dir, '+12125550106', bad));
    expect(rules(r.errors)).toEqual(['e164']);
    expect(r.errors[0]).toMatchObject({ phone_number: bad, message: expect.stringContaining(bad) });
    expect(r.ok).toBe(false);
  });

  it('does not fire for a valid number of another country', async () => {
    const r = await afterModelEdit((dir) => renameNumber(dir, '+12125550106', '+442071838750'));
    expect(r.errors).toEqual([]);
  });
});

describe('carrier-sid', () => {
  it('fires for a SID that is not PN + 32 hex digits', async () => {
    const r = await afterModelEdit((dir) => { num(dir, '+14155550103').carrier!.phone_number_sid = 'PN123'; });
    expect(rules(r.errors)).toEqual(['carrier-sid']);
    expect(r.errors[0]).toMatchObject({ phone_number: '+14155550103', file: 'phone-numbers/directory.json', message: expect.stringContaining('PN123') });
  });

  it('does not fire for a number without Twilio data (bought through Retell)', async () => {
    const r = await afterModelEdit((dir) => { expect(num(dir, '+14155550112').carrier).toBeNull(); });
    expect(r.errors).toEqual([]);
  });
});

describe('duplicate', () => {
  it('fires for two numbers sharing one Twilio SID, naming both', async () => {
    const r = await afterModelEdit((dir) => { num(dir, '+14155550103').carrier!.phone_number_sid = num(dir, '+14155550102').carrier!.phone_number_sid; });
    expect(rules(r.errors)).toEqual(['duplicate']);
    expect(r.errors[0]!.message).toContain('+14155550102');
    expect(r.errors[0]!.message).toContain('+14155550103');
  });

  it('fires for a number listed twice in a numbers.json', async () => {
    await withProject(async (root) => {
      await editJson(file(root, 'staging/numbers.json'), (j) => { j.numbers.splice(3, 0, { ...j.numbers[2] }); });
      const r = await validateAt(root);
      const dup = r.errors.filter((f) => f.rule === 'duplicate');
      expect(dup).toEqual([expect.objectContaining({ phone_number: '+14155550102', workspace: 'staging', file: 'phone-numbers/staging/numbers.json' })]);
      expect(dup[0]!.message).toContain('more than once');
    });
  });

  it('fires for a directory.json key holding another number', async () => {
    await withProject(async (root) => {
      await editJson(file(root, 'directory.json'), (j) => { j.numbers['+14155550199'] = j.numbers['+14155550101']; });
      const r = await validateAt(root);
      expect(rules(r.errors)).toEqual(['duplicate']);
      expect(r.errors[0]!.message).toContain('+14155550199');
    });
  });
});

describe('views-disagree', () => {
  const handEdit = async (rel: string, edit: (j: any) => void) => withProject(async (root) => {
    await editJson(file(root, rel), edit);
    return validateAt(root);
  });

  it('fires for a hand-edited phone_number_pretty, naming the number, the file and the field', async () => {
    const r = await handEdit('directory.json', (j) => { j.numbers['+14155550102'].phone_number_pretty = '(415) 555-9999'; });
    expect(r.errors).toEqual([{
      rule: 'views-disagree', severity: 'error', phone_number: '+14155550102', file: 'phone-numbers/directory.json', workspace: undefined,
      message: expect.stringMatching(/\+14155550102.*phone-numbers\/directory\.json.*phone_number_pretty.*"\(415\) 555-9999".*"\(415\) 555-0102"/),
    }]);
  });

  it('fires for an agent_id edited in directory.json only', async () => {
    const r = await handEdit('directory.json', (j) => { j.numbers['+14155550103'].workspaces.staging.agent_id = 'agent_stg_support1_91ab04'; });
    expect(rules(r.errors)).toEqual(['views-disagree']);
    expect(r.errors[0]!.message).toContain('+14155550103');
    expect(r.errors[0]!.message).toContain('phone-numbers/directory.json');
    expect(r.errors[0]!.message).toContain('workspaces.staging.agent_id');
  });

  it('names assignments.json, once, when the hand edit of an agent_path is there (directory.json and by_agent agree)', async () => {
    const r = await handEdit('staging/assignments.json', (j) => {
      expect(j.assignments[1].phone_number).toBe('+14155550101');
      j.assignments[1].agent_path = 'agents/sales-agent';
    });
    const disagreements = r.errors.filter((f) => f.rule === 'views-disagree');
    expect(disagreements).toEqual([{
      rule: 'views-disagree', severity: 'error', phone_number: '+14155550101', workspace: 'staging', file: 'phone-numbers/staging/assignments.json',
      message: '+14155550101: phone-numbers/staging/assignments.json agent_path is "agents/sales-agent" but phone-numbers/directory.json and the by_agent of phone-numbers/staging/assignments.json give "agents/customer-service"',
    }]);
  });

  it('names assignments.json when an assignment was deleted there by hand (directory.json and numbers.json still have it)', async () => {
    const r = await handEdit('staging/assignments.json', (j) => {
      expect(j.assignments[1].phone_number).toBe('+14155550101');
      j.assignments.splice(1, 1);
    });
    expect(r.errors).toEqual([expect.objectContaining({
      rule: 'views-disagree', phone_number: '+14155550101', workspace: 'staging', file: 'phone-numbers/staging/assignments.json',
      message: expect.stringContaining('phone-numbers/staging/assignments.json has no assignment for it, but phone-numbers/directory.json'),
    })]);
  });

  it('names assignments.json for an agent_id edited there (the agent folder agrees with directory.json)', async () => {
    const r = await handEdit('staging/assignments.json', (j) => { j.assignments[1].agent_id = 'agent_stg_sales_7c3e1a'; });
    expect(r.errors.filter((f) => f.rule === 'views-disagree')).toEqual([expect.objectContaining({
      file: 'phone-numbers/staging/assignments.json', message: expect.stringContaining('agent_id is "agent_stg_sales_7c3e1a" but phone-numbers/directory.json and agents/customer-service/staging.json give "agent_stg_custsvc_4f2a9c"'),
    })]);
  });

  it('still names directory.json when the edit of an agent_path is there', async () => {
    const r = await handEdit('directory.json', (j) => { j.numbers['+14155550101'].workspaces.staging.agent_path = 'agents/sales-agent'; });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'views-disagree', file: 'phone-numbers/directory.json', message: expect.stringContaining('workspaces.staging.agent_path') })]);
  });

  it('names directory.json, once, when every numbers.json agrees against it (a number-level field edited there)', async () => {
    const r = await handEdit('directory.json', (j) => { j.numbers['+12125550106'].status = 'protected'; });
    expect(r.errors).toEqual([{
      rule: 'views-disagree', severity: 'error', phone_number: '+12125550106', file: 'phone-numbers/directory.json',
      message: '+12125550106: phone-numbers/directory.json status is "protected" but every numbers.json gives "active"',
    }]);
  });

  it('names the one numbers.json that differs from directory.json and the other numbers.json', async () => {
    const r = await handEdit('staging/numbers.json', (j) => {
      const entry = j.numbers.find((e: any) => e.phone_number === '+12125550106');
      entry.status = 'protected';
    });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'views-disagree', phone_number: '+12125550106', file: 'phone-numbers/staging/numbers.json', message: expect.stringContaining('status is "protected"') })]);
  });

  it('fires for a hand-edited summary.total, naming the file and the field', async () => {
    const r = await handEdit('staging/numbers.json', (j) => { j.summary.total = 99; });
    expect(rules(r.errors)).toEqual(['views-disagree']);
    expect(r.errors[0]).toMatchObject({ file: 'phone-numbers/staging/numbers.json', workspace: 'staging' });
    expect(r.errors[0]!.message).toMatch(/summary\.total is 99 but the numbers give 12/);
  });

  it('fires for hand-edited metadata, by_agent and unassigned', async () => {
    await withProject(async (root) => {
      await editJson(file(root, 'directory.json'), (j) => { j.metadata.assigned = 11; });
      await editJson(file(root, 'production/assignments.json'), (j) => { j.by_agent['agents/sales-agent'].pop(); j.unassigned = []; });
      const r = await validateAt(root);
      expect(rules(r.errors)).toEqual(['views-disagree', 'views-disagree', 'views-disagree']);
      const messages = r.errors.map((f) => f.message).join('\n');
      expect(messages).toContain('phone-numbers/directory.json: metadata.assigned');
      expect(messages).toContain('phone-numbers/production/assignments.json: by_agent.agents/sales-agent');
      expect(messages).toContain('phone-numbers/production/assignments.json: unassigned');
    });
  });

  it('fires for an assignment of a number the workspace does not list', async () => {
    const r = await handEdit('staging/assignments.json', (j) => {
      j.assignments.push({ ...j.assignments[0], phone_number: '+14155550177' });
    });
    expect(r.errors).toContainEqual(expect.objectContaining({ rule: 'views-disagree', phone_number: '+14155550177', message: expect.stringContaining('not listed in phone-numbers/staging/numbers.json') }));
  });

  it('fires for a number in a workspace file that directory.json lacks', async () => {
    const r = await handEdit('directory.json', (j) => { delete j.numbers['+16505550104']; j.metadata.total_numbers = 11; });
    expect(r.errors).toContainEqual(expect.objectContaining({ rule: 'views-disagree', phone_number: '+16505550104', file: 'phone-numbers/directory.json' }));
  });

  it('does not fire for fields that only numbers.json holds (nickname)', async () => {
    const r = await handEdit('staging/numbers.json', (j) => { j.numbers[0].nickname = 'Renamed by hand'; });
    expect(r.errors).toEqual([]);
  });
});

describe('orphaned-assignment', () => {
  it('fires when an agent folder is renamed, naming the old path and its numbers', async () => {
    await withProject(async (root) => {
      await rename(path.join(root, 'agents', 'after-hours'), path.join(root, 'agents', 'after-hours-v2'));
      const r = await validateAt(root);
      expect(r.errors).toEqual([expect.objectContaining({
        rule: 'orphaned-assignment', workspace: 'staging', file: 'phone-numbers/staging/assignments.json',
        message: "agents/after-hours has 1 number in staging (+14155550108) but agent directory doesn't exist",
      })]);
    });
  });

  it('reports one finding per workspace listing every number of the agent', async () => {
    await withProject(async (root) => {
      await rm(path.join(root, 'agents', 'customer-service'), { recursive: true });
      const r = await validateAt(root);
      const orphans = r.errors.filter((f) => f.rule === 'orphaned-assignment');
      expect(orphans.map((f) => f.message)).toEqual([
        "agents/customer-service has 2 numbers in production (+12125550106, +14155550101) but agent directory doesn't exist",
        "agents/customer-service has 3 numbers in staging (+12125550106, +14155550101, +14155550112) but agent directory doesn't exist",
      ]);
    });
  });

  it('does not fire for an unassigned number', async () => {
    const r = await afterModelEdit((dir) => { dir.numbers.get('+14155550108')!.workspaces.staging!.assignment = null; });
    expect(r.errors).toEqual([]);
  });
});

describe('unknown-agent-id', () => {
  it('fires for an id no agents/*/<ws>.json holds', async () => {
    const r = await afterModelEdit((dir) => {
      Object.assign(assignment(dir, '+16505550104', 'staging'), { agent_id: 'agent_stg_ghost_000000', outbound_agent_id: 'agent_stg_ghost_000000' });
    });
    const unknown = r.errors.filter((f) => f.rule === 'unknown-agent-id');
    expect(unknown).toEqual([expect.objectContaining({ phone_number: '+16505550104', workspace: 'staging', message: expect.stringContaining('agent_stg_ghost_000000') })]);
    expect(unknown[0]!.message).toContain('agents/*/staging.json');
  });

  it("fires for another workspace's id (ids are per workspace)", async () => {
    const r = await afterModelEdit((dir) => {
      Object.assign(assignment(dir, '+14155550102', 'staging'), { agent_id: 'agent_prd_support1_c07e55', inbound_agent_id: 'agent_prd_support1_c07e55' });
    });
    expect(rules(r.errors)).toContain('unknown-agent-id');
  });

  it('does not fire for split inbound/outbound agents that all exist', async () => {
    const r = await afterModelEdit((dir) => {
      const a = assignment(dir, '+16505550105', 'production');
      expect(a.outbound_agent_id).not.toBe(a.inbound_agent_id);
    });
    expect(r.errors).toEqual([]);
  });
});

describe('duplicate-agent-id', () => {
  it('fires for seven agent folders holding one agent_id, naming every folder', async () => {
    await withProject(async (root) => {
      const clones = ['clone-1', 'clone-2', 'clone-3', 'clone-4', 'clone-5', 'clone-6'];
      for (const name of clones) {
        await mkdir(path.join(root, 'agents', name));
        await cp(path.join(root, 'agents', 'sales-agent', 'staging.json'), path.join(root, 'agents', name, 'staging.json'));
      }
      const r = await validateAt(root);
      expect(r.errors).toEqual([{
        rule: 'duplicate-agent-id', severity: 'error', workspace: 'staging', file: 'agents/clone-1/staging.json',
        message: `agent id agent_stg_sales_7c3e1a is in 7 agent folders for staging (${[...clones, 'sales-agent'].map((n) => `agents/${n}/staging.json`).join(', ')}); each agent folder must name its own agent`,
      }]);
    });
  });

  it('does not fire for one agent with an id per workspace (the sample)', async () => {
    expect(rules((await afterModelEdit(() => {})).errors)).toEqual([]);
  });
});

describe('agent-id-mismatch', () => {
  it("fires for another agent's id under this agent's path", async () => {
    const r = await afterModelEdit((dir) => {
      Object.assign(assignment(dir, '+14155550103', 'staging'), { agent_id: 'agent_stg_support1_91ab04', inbound_agent_id: 'agent_stg_support1_91ab04', outbound_agent_id: 'agent_stg_support1_91ab04' });
    });
    expect(r.errors).toEqual([expect.objectContaining({
      rule: 'agent-id-mismatch', phone_number: '+14155550103', workspace: 'staging',
      message: expect.stringMatching(/agent_stg_support1_91ab04 is not agents\/sales-agent's \(agents\/sales-agent\/staging\.json has agent_stg_sales_7c3e1a\)/),
    })]);
  });

  it('fires for a weighted agent whose id and path are different agents', async () => {
    const r = await afterModelEdit((dir) => { assignment(dir, '+12125550106', 'staging').inbound_agents![1]!.agent_path = 'agents/sales-agent'; });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'agent-id-mismatch', phone_number: '+12125550106', message: expect.stringContaining('inbound_agents.1.agent_id') })]);
  });

  it('does not fire when the path has no folder (that is an orphan)', async () => {
    await withProject(async (root) => {
      await rename(path.join(root, 'agents', 'sales-agent'), path.join(root, 'agents', 'sales'));
      const r = await validateAt(root);
      expect(rules(r.errors).filter((x) => x !== 'orphaned-assignment')).toEqual([]);
    });
  });
});

describe('assignment-type', () => {
  it.each([
    ['inbound-only with an outbound agent', '+14155550102', { outbound_agent_id: 'agent_stg_support1_91ab04' }, /is inbound-only but has outbound_agent_id/],
    ['inbound-outbound without an outbound agent', '+14155550103', { outbound_agent_id: null }, /is inbound-outbound but lacks/],
    ['outbound-only with an inbound agent', '+16505550104', { inbound_agent_id: 'agent_stg_appts_5e8d21' }, /is outbound-only but has inbound_agent_id/],
    ['outbound-only without an outbound agent', '+16505550104', { outbound_agent_id: null }, /is outbound-only but has no outbound_agent_id/],
  ])('fires for %s', async (_what, n, patch, message) => {
    const r = await afterModelEdit((dir) => { Object.assign(assignment(dir, n, 'staging'), patch); });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'assignment-type', phone_number: n, workspace: 'staging', message: expect.stringMatching(message) })]);
  });

  it('does not fire when the type matches the ids (each of the three types)', async () => {
    const r = await afterModelEdit((dir) => {
      expect(['+14155550102', '+14155550103', '+16505550104'].map((n) => assignment(dir, n, 'staging').assignment_type)).toEqual(['inbound-only', 'inbound-outbound', 'outbound-only']);
    });
    expect(r.errors).toEqual([]);
  });
});

describe('missing-termination-uri', () => {
  it('fires for an assigned SIP-trunk number without a termination URI', async () => {
    const r = await afterModelEdit((dir) => { num(dir, '+14155550103').workspaces.staging!.termination_uri = null; });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'missing-termination-uri', phone_number: '+14155550103', workspace: 'staging', file: 'phone-numbers/staging/numbers.json' })]);
  });

  it('does not fire for an unassigned number, nor for a number bought in Retell', async () => {
    const r = await afterModelEdit((dir) => {
      num(dir, '+14155550109').workspaces.staging!.termination_uri = null;
      expect(num(dir, '+14155550112').workspaces.staging!.termination_uri).toBeNull();
    });
    expect(r.errors).toEqual([]);
  });
});

describe('not-imported (warning)', () => {
  it('fires for a Twilio number imported in no workspace', async () => {
    const r = await afterModelEdit((dir) => { num(dir, '+12125550106').workspaces = {}; });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'not-imported', severity: 'warning', phone_number: '+12125550106' })]);
    expect(r.ok).toBe(true);
  });

  it('does not fire for a number imported somewhere', async () => {
    const r = await afterModelEdit((dir) => { delete num(dir, '+12125550106').workspaces.production; });
    expect(rules(r.warnings)).not.toContain('not-imported');
  });
});

describe('missing-in-workspace (warning)', () => {
  it('fires for a number in one workspace but not the other, in the seed\'s words', async () => {
    const r = await afterModelEdit((dir) => { delete num(dir, '+14155550103').workspaces.production; });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({
      rule: 'missing-in-workspace', phone_number: '+14155550103', workspace: 'production', message: '+14155550103 is missing in production (exists in staging only)',
    })]);
  });

  it('does not fire for a protected number, nor for one bought in Retell', async () => {
    const r = await afterModelEdit((dir) => {
      expect(num(dir, '+14155550101').status).toBe('protected');
      delete num(dir, '+14155550101').workspaces.production;
      expect(num(dir, '+14155550112').provider).toBe('retell-twilio');
    });
    expect(r.warnings).toEqual([]);
  });
});

describe('pool rules', () => {
  const withPools = async (edit: (pools: any) => void, model: (dir: Directory) => void = () => {}, now = BEFORE_HOLD) => withProject(async (root) => {
    await editJson(file(root, 'pools.json'), edit);
    await mutateModel(root, model);
    return validateAt(root, now);
  });

  it('pool-conflict fires for a number that numbers.json and directory.json put in different pools', async () => {
    await withProject(async (root) => {
      await editJson(file(root, 'staging/numbers.json'), (j) => { j.numbers.find((n: any) => n.phone_number === '+14155550109').pool = 'other-pool'; });
      const r = await validateAt(root);
      const conflict = r.errors.filter((f) => f.rule === 'pool-conflict');
      expect(conflict).toEqual([expect.objectContaining({ phone_number: '+14155550109', workspace: 'staging', file: 'phone-numbers/staging/numbers.json' })]);
      expect(conflict[0]!.message).toContain('"other-pool"');
      expect(conflict[0]!.message).toContain('"sales-pool"');
    });
  });

  it('unknown-pool fires for a pool pools.json does not define', async () => {
    const r = await afterModelEdit((dir) => { num(dir, '+12125550106').pool = 'ghost-pool'; });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'unknown-pool', phone_number: '+12125550106', message: expect.stringContaining('"ghost-pool"') })]);
  });

  it("pool-workspace fires for a pool number not imported into the pool's workspace, and not otherwise", async () => {
    const prodPool = (j: any) => { j.pools['prod-pool'] = { workspace: 'production', min_available: 0 }; };
    const r = await withPools(prodPool, (dir) => { num(dir, '+14155550112').pool = 'prod-pool'; });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'pool-workspace', phone_number: '+14155550112', workspace: 'production' })]);
    const fine = await withPools(prodPool, (dir) => { num(dir, '+12125550106').pool = 'prod-pool'; });
    expect(fine).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('hold-expired fires once release_at has passed, and not before', async () => {
    await withProject(async (root) => {
      const after = await validateAt(root, AFTER_HOLD);
      expect(after.errors).toEqual([]);
      expect(after.warnings).toEqual([expect.objectContaining({ rule: 'hold-expired', phone_number: '+14155550110', workspace: 'staging', file: 'phone-numbers/staging/assignments.json', message: expect.stringContaining('2030-01-01T00:00:00Z') })]);
      expect((await validateAt(root, new Date('2029-12-31T23:59:59Z'))).warnings).toEqual([]);
    });
  });

  it('pool-below-minimum fires below min_available, and not at it', async () => {
    const below = await withPools((j) => { j.pools['sales-pool'].min_available = 3; });
    expect(below.errors).toEqual([]);
    expect(below.warnings).toEqual([expect.objectContaining({ rule: 'pool-below-minimum', workspace: 'staging', file: 'phone-numbers/pools.json', message: expect.stringMatching(/sales-pool.*2 available.*minimum of 3/) })]);
    const at = await withPools((j) => { j.pools['sales-pool'].min_available = 2; });
    expect(at.warnings).toEqual([]);
  });
});

describe('validate through the CLI', () => {
  let root: string;
  beforeAll(async () => { root = await sampleProject(); });
  afterAll(async () => { await removeProject(root); });

  const validate = async (...args: string[]) => {
    const r = await runCli(['validate', ...args], { cwd: root });
    return { ...r, result: args.includes('--json') ? JSON.parse(r.stdout) : null };
  };

  it('reports every finding, not only the first, in text, JSON and GitHub formats', async () => {
    await editJson(file(root, 'directory.json'), (j) => { j.numbers['+14155550103'].twilio.phone_number_sid = 'PNbad'; });
    await rename(path.join(root, 'agents', 'after-hours'), path.join(root, 'agents', 'after-hours-old'));
    await editJson(file(root, 'pools.json'), (j) => { j.pools['sales-pool'].min_available = 5; });
    try {
      const j = await validate('--json');
      expect(j.exitCode).toBe(1);
      expect(j.result.ok).toBe(false);
      expect(j.result.errors.map((f: any) => f.rule).sort()).toEqual(['carrier-sid', 'orphaned-assignment']);
      expect(j.result.warnings.map((f: any) => f.rule)).toEqual(['pool-below-minimum']);
      for (const f of [...j.result.errors, ...j.result.warnings]) {
        expect(Object.keys(f).every((k) => ['rule', 'message', 'phone_number', 'workspace', 'file'].includes(k)), JSON.stringify(f)).toBe(true);
      }

      const text = await validate();
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toMatch(/^✗ 1 invalid carrier SID found$/m);
      expect(text.stdout).toMatch(/^✗ 1 orphaned assignment found$/m);
      expect(text.stdout).toMatch(/^ {2}- agents\/after-hours has 1 number in staging \(\+14155550108\) but agent directory doesn't exist$/m);
      expect(text.stdout).toMatch(/^⚠ 1 pool below its minimum found$/m);
      expect(text.stdout).toMatch(/^✓ All numbers are valid E\.164$/m);
      expect(text.stdout).not.toMatch(/^✓ All numbers have valid carrier SIDs$/m);
      expect(text.stdout).toMatch(/^Errors: 2\nWarnings: 1$/m);

      const gh = await validate('--format', 'github');
      expect(gh.exitCode).toBe(1);
      const annotations = gh.stdout.split('\n');
      expect(annotations).toHaveLength(3);
      expect(annotations).toContainEqual(expect.stringMatching(/^::error file=phone-numbers\/directory\.json,title=phone-dir carrier-sid::\+14155550103: .*PNbad/));
      expect(annotations).toContainEqual(expect.stringMatching(/^::error file=phone-numbers\/staging\/assignments\.json,title=phone-dir orphaned-assignment::agents\/after-hours has 1 number/));
      expect(annotations).toContainEqual(expect.stringMatching(/^::warning file=phone-numbers\/pools\.json,title=phone-dir pool-below-minimum::pool sales-pool/));
    } finally {
      await editJson(file(root, 'directory.json'), (j) => { j.numbers['+14155550103'].twilio.phone_number_sid = 'PNa1a087c816eb1686c5b2e5b52241edec'; });
      await rename(path.join(root, 'agents', 'after-hours-old'), path.join(root, 'agents', 'after-hours'));
      await editJson(file(root, 'pools.json'), (j) => { j.pools['sales-pool'].min_available = 1; });
    }
    expect((await validate('--json')).result).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('GitHub annotations: a finding without a file has no file property; warnings alone exit 0 unless --strict', async () => {
    await mutateModel(root, (dir) => { delete dir.numbers.get('+14155550103')!.workspaces.production; });
    try {
      const gh = await validate('--format', 'github', '--strict');
      expect(gh.exitCode).toBe(1);
      expect(gh.stdout).toBe('::warning title=phone-dir missing-in-workspace::+14155550103 is missing in production (exists in staging only)');
      expect((await validate('--format', 'github')).exitCode).toBe(0);
    } finally {
      await rm(root, { recursive: true, force: true });
      root = await sampleProject();
    }
  });

  it('schema: fires for a field that breaks the schema, naming the file and the field path', async () => {
    await editJson(file(root, 'staging/numbers.json'), (j) => { j.numbers[0].import_date = '2025-11-16 09:00'; });
    try {
      const j = await validate('--json');
      expect(j.exitCode).toBe(1);
      expect(j.result.errors).toEqual([{ rule: 'schema', file: 'phone-numbers/staging/numbers.json', message: expect.stringMatching(/^phone-numbers\/staging\/numbers\.json: numbers\.0\.import_date: \S/) }]);
      expect(j.result.warnings).toEqual([]);
    } finally {
      await editJson(file(root, 'staging/numbers.json'), (j) => { j.numbers[0].import_date = '2025-11-16T09:00:00Z'; });
    }
    expect((await validate('--json')).result.ok).toBe(true);
  });

  it('schema: reports every schema problem of every file', async () => {
    await editJson(file(root, 'production/assignments.json'), (j) => { j.assignments[0].assignment_type = 'both-ways'; j.assignments[1].extra = true; });
    await editJson(file(root, 'pools.json'), (j) => { j.pools['sales-pool'].min_available = -1; });
    try {
      const j = await validate('--json');
      expect(j.exitCode).toBe(1);
      const messages = j.result.errors.filter((f: any) => f.rule === 'schema').map((f: any) => f.message);
      expect(messages).toEqual(expect.arrayContaining([
        expect.stringMatching(/^phone-numbers\/production\/assignments\.json: assignments\.0\.assignment_type: /),
        expect.stringMatching(/^phone-numbers\/production\/assignments\.json: assignments\.1: /),
        expect.stringMatching(/^phone-numbers\/pools\.json: pools\.sales-pool\.min_available: /),
      ]));
      // The unreadable files are not compared with the others: no knock-on findings.
      expect(j.result.errors.map((f: any) => f.rule)).toEqual(['schema', 'schema', 'schema']);
      expect(j.result.warnings).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
      root = await sampleProject();
    }
  });

  it('schema: a workspace folder missing one of its views is reported, alone', async () => {
    await rm(file(root, 'production/assignments.json'));
    try {
      const j = await validate('--json');
      expect(j.exitCode).toBe(1);
      expect(j.result.errors).toEqual([expect.objectContaining({ rule: 'schema', file: 'phone-numbers/production/assignments.json', message: expect.stringContaining('missing') })]);
      expect(j.result.warnings).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
      root = await sampleProject();
    }
  });

  it('an unreadable agent file is reported once, without the id findings it would cause (exit 2: not JSON)', async () => {
    await writeFile(path.join(root, 'agents', 'sales-agent', 'staging.json'), '{ "agent_id": ');
    try {
      const j = await validate('--json');
      expect(j.exitCode).toBe(2);
      expect(j.result.errors).toEqual([expect.objectContaining({ rule: 'agent-file', file: 'agents/sales-agent/staging.json', message: expect.stringContaining('invalid JSON') })]);
      const text = await validate();
      expect(text.stdout).not.toContain('✓ All agent ids match');
    } finally {
      await writeFile(path.join(root, 'agents', 'sales-agent', 'staging.json'), '{ "agent_id": "agent_stg_sales_7c3e1a" }\n');
    }
    expect((await validate('--json')).result.ok).toBe(true);
  });

  it('schema: the runtime files under twilio/ are checked when present', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(file(root, 'twilio'), { recursive: true });
    await writeFile(file(root, 'twilio/sync.json'), `${JSON.stringify({ version: '1.0.0', last_full_sync: 'yesterday', last_incremental_sync: null, sync_history: [], next_sync: null, sync_interval_minutes: 60 }, null, 2)}\n`);
    try {
      const j = await validate('--json');
      expect(j.exitCode).toBe(1);
      expect(j.result.errors).toEqual([expect.objectContaining({ rule: 'schema', file: 'phone-numbers/twilio/sync.json', message: expect.stringContaining('last_full_sync') })]);
    } finally {
      await rm(file(root, 'twilio'), { recursive: true });
    }
  });
});

describe('control characters in values that findings quote', () => {
  const hostilePool = 'ghost\u001b[2J\u0007pool\nsecond line';

  it('text output shows them escaped, one line per finding; GitHub output drops them and escapes line breaks', async () => {
    await withProject(async (root) => {
      await mutateModel(root, (dir) => { num(dir, '+12125550106').pool = hostilePool; });
      const text = await runCli(['validate'], { cwd: root });
      expect(text.exitCode).toBe(0);
      const line = text.stdout.split('\n').find((l) => l.includes('+12125550106'));
      expect(line).toBe('  - +12125550106 is in pool "ghost\\x1b[2J\\x07pool\\nsecond line", which phone-numbers/pools.json does not define');
      const github = await runCli(['validate', '--format', 'github'], { cwd: root });
      expect(github.stdout).toBe('::warning title=phone-dir unknown-pool::+12125550106 is in pool "ghost[2Jpool%0Asecond line", which phone-numbers/pools.json does not define');
      for (const out of [text.stdout, github.stdout]) expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/); // eslint-disable-line no-control-regex
    });
  });
});

describe('GitHub annotation escaping', () => {
  it('puts line and col on an annotation whose finding has a position', () => {
    expect(renderGithubAnnotations([{ rule: 'schema', severity: 'error', message: 'm', file: 'f.json', line: 3, column: 9 }])).toBe('::error file=f.json,line=3,col=9,title=phone-dir schema::m\n');
  });

  it('keeps every annotation on one line and escapes the workflow-command characters', () => {
    const out = renderGithubAnnotations([
      { rule: 'schema', severity: 'error', message: '100% broken\nsecond line\r', file: 'phone-numbers/a,b:c.json' },
      { rule: 'not-imported', severity: 'warning', message: 'plain' },
    ]);
    expect(out).toBe(
      '::error file=phone-numbers/a%2Cb%3Ac.json,title=phone-dir schema::100%25 broken%0Asecond line%0D\n'
      + '::warning title=phone-dir not-imported::plain\n',
    );
  });
});
