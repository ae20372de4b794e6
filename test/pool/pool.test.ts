/**
 * The pool commands through the built CLI against the sandbox: provision, assign, hold, release, health,
 * ensure. After each scenario, validate passes and the directory agrees with the sandbox (sync --check).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { startProject, ok, expectValid, expectInSync, purchases, retellAgents, twilioHas, directoryEntries, runtimeFile, TRUNK_MAIN, MAIN_CREDENTIALS, STAGING_SALES, STAGING_SUPPORT, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = {
  sales: { workspace: 'staging', min_available: 2, default_hold: '18h', provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } },
};

describe('pool commands', () => {
  let p: Project;
  const bought: string[] = [];
  beforeAll(async () => { p = await startProject({ pools: POOLS }); });
  afterAll(async () => { await p?.close(); });

  it('provision --dry-run shows what would be bought and buys nothing; buying needs --yes without a terminal', async () => {
    const dry = await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '2', '--dry-run']);
    expect(dry).toMatchObject({ workspace: 'staging', pool: 'sales', dry_run: true, bought: [] });
    expect(dry.candidates).toHaveLength(2);
    expect(dry.candidates[0].phone_number).toMatch(/^\+1650/);
    expect(purchases(p.sb).size).toBe(0);
    const refused = await p.run(['pool', 'provision', '--workspace', 'staging', '--count', '2']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(purchases(p.sb).size).toBe(0);
  });

  it('provision buys, attaches to the trunk, imports into Retell with the trunk domain and records as available', async () => {
    const r = await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '3', '--yes']);
    expect(r.bought).toHaveLength(3);
    expect(r.failed).toEqual([]);
    const entries = await directoryEntries(p);
    for (const b of r.bought) {
      bought.push(b.phone_number);
      expect(b).toMatchObject({ trunk_sid: TRUNK_MAIN, termination_uri: 'acme-main.pstn.twilio.com', pool: 'sales' });
      expect(p.sb.state.twilio.findByPhone(b.phone_number)?.trunkSid).toBe(TRUNK_MAIN);
      expect(p.sb.state.retell.get('staging')!.numbers.get(b.phone_number)?.sip?.terminationUri).toBe('acme-main.pstn.twilio.com');
      expect(entries[b.phone_number]).toMatchObject({ pool: 'sales', status: 'active', last_assigned: null, workspaces: { staging: { assignment_type: 'unassigned' } } });
    }
    expect([...purchases(p.sb).values()].every((n) => n === 1)).toBe(true);
    const health = await p.json(['pool', 'health']);
    expect(health.pools).toEqual([expect.objectContaining({ pool: 'sales', workspace: 'staging', available: 3, assigned: 0, total: 3, below_minimum: false })]);
    await expectValid(p);
    await expectInSync(p);
  });

  it('assign hands out the oldest import first, binds it in Retell and records it with the hold', async () => {
    const first = await p.json(['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent', '--hold', '2h']);
    expect(Object.keys(first).sort()).toEqual(['agent_id', 'agent_path', 'assignment_type', 'phone_number', 'release_at', 'workspace']);
    expect(first).toMatchObject({ workspace: 'staging', agent_path: 'agents/sales-agent', agent_id: STAGING_SALES, assignment_type: 'inbound-outbound' });
    expect(bought).toContain(first.phone_number);
    expect(Date.parse(first.release_at) - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(retellAgents(p.sb, 'staging', first.phone_number)).toEqual({ inbound: [STAGING_SALES], outbound: [STAGING_SALES] });

    const second = await p.run(['pool', 'assign', '-w', 'staging', '-a', STAGING_SUPPORT, '--type', 'inbound-only']);
    expect(second.exitCode, second.stderr).toBe(0);
    const phone = second.stdout.trim();
    expect(phone).toMatch(/^\+1\d{10}$/);
    expect(phone).not.toBe(first.phone_number);
    expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [STAGING_SUPPORT], outbound: [] });
    const a = (await p.readJson('phone-numbers/staging/assignments.json')).assignments.find((x: any) => x.phone_number === phone);
    expect(a).toMatchObject({ agent_path: 'agents/support-tier1', assignment_type: 'inbound-only', inbound_agent_id: STAGING_SUPPORT, outbound_agent_id: null });
    expect(Date.parse(a.release_at) - Date.now()).toBeGreaterThan(18 * 3_600_000 - 60_000); // the pool's default_hold
    expect((await directoryEntries(p))[phone].last_assigned).not.toBeNull();
    expect(existsSync(runtimeFile(p))).toBe(false); // no reservation left behind
    await expectValid(p);
    await expectInSync(p);
  });

  it('assign --number: unknown is exit 4, an assigned one exit 6, an available one is handed out', async () => {
    const entries = await directoryEntries(p);
    const assigned = bought.filter((n) => entries[n].workspaces.staging.assignment_type !== 'unassigned');
    const free = bought.find((n) => entries[n].workspaces.staging.assignment_type === 'unassigned')!;
    expect((await p.run(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--number', '+14155559999'])).exitCode).toBe(4);
    const taken = await p.run(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--number', assigned[0]!]);
    expect(taken.exitCode).toBe(6);
    expect(taken.stderr).toMatch(/not available: it is assigned to agents\//);
    expect((await p.run(['pool', 'assign', '-w', 'staging', '-a', 'no-such-agent'])).exitCode).toBe(4);
    const r = await p.json(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--number', free, '--type', 'outbound-only']);
    expect(r).toMatchObject({ phone_number: free, assignment_type: 'outbound-only' });
  });

  it('an empty pool exits 6 naming the pool, the workspace, the counts and both ways out; nothing changes', async () => {
    const before = await p.readJson('phone-numbers/directory.json');
    const r = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent']);
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/pool "sales" in workspace staging has no available number \(0 available, 3 assigned/);
    expect(r.stderr).toMatch(/--provision/);
    expect(r.stderr).toMatch(/pool release --expired/);
    expect(await p.readJson('phone-numbers/directory.json')).toEqual(before);
    const health = await p.run(['pool', 'health', '--json']);
    expect(health.exitCode).toBe(1);
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: false, pools: [{ pool: 'sales', available: 0, assigned: 3, below_minimum: true }] });
  });

  it('assign --provision buys one when the pool is empty and hands it out', async () => {
    const r = await p.json(['pool', 'assign', '-w', 'staging', '-a', 'customer-service', '--provision']);
    expect(bought).not.toContain(r.phone_number);
    expect(r.phone_number).toMatch(/^\+1650/);
    expect(twilioHas(p.sb, r.phone_number)).toBe(true);
    expect(retellAgents(p.sb, 'staging', r.phone_number)).toEqual({ inbound: ['agent_stg_custsvc_4f2a9c'], outbound: ['agent_stg_custsvc_4f2a9c'] });
    expect((await directoryEntries(p))[r.phone_number]).toMatchObject({ pool: 'sales', workspaces: { staging: { agent_path: 'agents/customer-service' } } });
    bought.push(r.phone_number);
    await expectValid(p);
    await expectInSync(p);
  });

  it('hold sets and moves release_at; release --expired returns every expired hold to the pool', async () => {
    const entries = await directoryEntries(p);
    const [a, b] = bought.filter((n) => entries[n].workspaces.staging.assignment_type !== 'unassigned');
    const moved = await p.json(['pool', 'hold', a!, '--workspace', 'staging', '--until', '2020-01-01T00:00:00Z']);
    expect(moved).toMatchObject({ phone_number: a, release_at: '2020-01-01T00:00:00Z' });
    await ok(p.run(['pool', 'hold', b!, '-w', 'staging', '--until', '2021-06-01T00:00:00Z']));
    expect((await p.run(['pool', 'hold', '+14155559999', '-w', 'staging', '--until', '1h'])).exitCode).toBe(4);
    expect((await p.run(['validate', '--json'])).stdout).toMatch(/hold-expired/);

    const r = await p.json(['pool', 'release', '--expired']);
    expect(r.released.map((x: any) => x.phone_number).sort()).toEqual([a, b].sort());
    expect(r.failed).toEqual([]);
    for (const n of [a, b]) expect(retellAgents(p.sb, 'staging', n!)).toEqual({ inbound: [], outbound: [] });
    const after = await directoryEntries(p);
    for (const n of [a, b]) {
      expect(after[n!].workspaces.staging.assignment_type).toBe('unassigned');
      expect(after[n!].last_released).not.toBeNull();
    }
    expect((await p.json(['pool', 'release', '--expired'])).released).toEqual([]);
    await expectValid(p);
    await expectInSync(p);
  });

  it('release <number> and --agent return numbers; the least recently released comes back first', async () => {
    const entries = await directoryEntries(p);
    const stillAssigned = bought.filter((n) => entries[n].workspaces.staging.assignment_type !== 'unassigned');
    expect(stillAssigned.length).toBe(2);
    const one = await p.json(['pool', 'release', stillAssigned[0]!, '--workspace', 'staging']);
    expect(one.released).toEqual([expect.objectContaining({ phone_number: stillAssigned[0], partial: false })]);
    const again = await p.run(['pool', 'release', stillAssigned[0]!, '--workspace', 'staging']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/not assigned/);
    const agentPath = entries[stillAssigned[1]!].workspaces.staging.agent_path;
    const byAgent = await p.json(['pool', 'release', '--agent', agentPath, '--workspace', 'staging', '--yes']);
    expect(byAgent.released.map((x: any) => x.phone_number)).toContain(stillAssigned[1]);

    // LRU: every pool number is free now; the one released longest ago is handed out first.
    const after = await directoryEntries(p);
    const order = bought.filter((n) => after[n].last_released).sort((x, y) => Date.parse(after[x].last_released) - Date.parse(after[y].last_released) || (x < y ? -1 : 1));
    const never = bought.filter((n) => !after[n].last_released && !after[n].last_assigned);
    const next = await p.json(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent']);
    expect(next.phone_number).toBe(never[0] ?? order[0]);
    await ok(p.run(['pool', 'release', next.phone_number, '-w', 'staging']));
    await expectValid(p);
    await expectInSync(p);
  });

  it('release --orphans unassigns numbers whose agent folder is gone, in every workspace', async () => {
    const { rm } = await import('node:fs/promises');
    const r0 = await p.json(['pool', 'assign', '-w', 'staging', '-a', 'appointment-setter']);
    await rm(p.file('agents/appointment-setter'), { recursive: true });
    const r = await p.json(['pool', 'release', '--orphans', '--yes']);
    expect(r.released.map((x: any) => x.phone_number)).toContain(r0.phone_number);
    expect(r.released.find((x: any) => x.phone_number === '+14155550104')).toBeTruthy(); // appointment callbacks (scenario)
    expect(retellAgents(p.sb, 'staging', r0.phone_number)).toEqual({ inbound: [], outbound: [] });
    await expectValid(p);
    await expectInSync(p);
  });

  it('release --agent on a split number removes only that agent', async () => {
    // +14155550105 ("Spare" in the default scenario) split: inbound customer-service, outbound sales-agent.
    await ok(p.run(['number', 'update', '+14155550105', '-w', 'staging', '--inbound-agent', 'customer-service', '--outbound-agent', 'sales-agent']));
    const r = await p.json(['pool', 'release', '--agent', 'sales-agent', '--workspace', 'staging', '--yes']);
    const split = r.released.find((x: any) => x.phone_number === '+14155550105');
    expect(split).toMatchObject({ partial: true, agent_path: 'agents/sales-agent' });
    expect(retellAgents(p.sb, 'staging', '+14155550105')).toEqual({ inbound: ['agent_stg_custsvc_4f2a9c'], outbound: [] });
    await expectValid(p);
    await expectInSync(p);
  });

  it('release --agent without --workspace releases the agent in every workspace', async () => {
    const r = await p.json(['pool', 'release', '--agent', 'customer-service', '--yes']);
    expect(r.failed).toEqual([]);
    expect(r.released.some((x: any) => x.phone_number === '+14155550101' && x.workspace === 'production')).toBe(true);
    for (const ws of ['staging', 'production']) {
      expect(retellAgents(p.sb, ws, '+14155550101')).toEqual({ inbound: [], outbound: [] });
      const byAgent = (await p.readJson(`phone-numbers/${ws}/assignments.json`)).by_agent;
      expect(byAgent['agents/customer-service']).toBeUndefined();
    }
    await expectValid(p);
    await expectInSync(p);
  });

  it('ensure provisions until the pool has N available, and then does nothing', async () => {
    const before = (await p.json(['pool', 'health'])).pools[0].available;
    const r = await p.json(['pool', 'ensure', '--workspace', 'staging', '--min', String(before + 2)]);
    expect(r).toMatchObject({ min: before + 2, available_before: before, available_after: before + 2 });
    expect(r.bought).toHaveLength(2);
    const again = await p.json(['pool', 'ensure', '--workspace', 'staging', '--min', String(before + 2)]);
    expect(again.bought).toEqual([]);
    expect((await p.json(['pool', 'health', '--min', String(before + 2)])).ok).toBe(true);
    expect((await p.run(['pool', 'health', '--min', String(before + 3)])).exitCode).toBe(1);
    for (const [, n] of purchases(p.sb)) expect(n).toBe(1);
    await expectValid(p);
    await expectInSync(p);
  });

  it('usage errors exit 2', async () => {
    expect((await p.run(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--type', 'sideways'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--hold', 'forever'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'assign', '-w', 'nowhere', '-a', 'sales-agent'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'release'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'release', '--expired', '--orphans'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'provision', '-w', 'staging', '--count', 'x', '--yes'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'hold', '+14155550101', '-w', 'staging', '--until', 'whenever'])).exitCode).toBe(2);
    expect((await p.run(['pool', 'provision', '-w', 'production', '--yes'])).exitCode).toBe(2); // no trunk: no termination URI
  });
});
