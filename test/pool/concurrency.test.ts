/**
 * Concurrency: 8 processes assigning from one pool at once (FOR UPDATE SKIP LOCKED over files), assigns
 * that do not wait for each other's Retell calls, and two concurrent deletes of the same number.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startProject, ok, expectValid, expectInSync, retellAgents, directoryEntries, runtimeFile, TRUNK_MAIN, MAIN_CREDENTIALS, STAGING_SALES, type Project } from './helpers.js';
import { existsSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any */

const AGENTS = ['sales-agent', 'customer-service', 'support-tier1', 'appointment-setter', 'after-hours', 'sales-agent', 'customer-service', 'support-tier1'];
const IDS: Record<string, string> = {
  'sales-agent': STAGING_SALES, 'customer-service': 'agent_stg_custsvc_4f2a9c', 'support-tier1': 'agent_stg_support1_91ab04',
  'appointment-setter': 'agent_stg_appts_5e8d21', 'after-hours': 'agent_stg_afterhrs_b2c4d6',
};

describe('concurrent pool operations', () => {
  let p: Project;
  beforeAll(async () => {
    p = await startProject({ pools: { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['415'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } } });
    await ok(p.run(['pool', 'provision', '--workspace', 'staging', '--count', '10', '--yes']));
  }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('8 processes assigning at once get 8 different numbers, and Retell agrees with the files', async () => {
    const procs = AGENTS.map((a) => p.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', a, '--json']));
    const results = await Promise.all(procs);
    for (const r of results) expect(r.exitCode, r.stderr as string).toBe(0);
    const out = results.map((r) => JSON.parse(r.stdout as string));
    expect(new Set(out.map((o) => o.phone_number)).size).toBe(8);
    const assignments = (await p.readJson('phone-numbers/staging/assignments.json')).assignments as any[];
    for (const o of out) {
      const id = IDS[o.agent_path.replace('agents/', '')]!;
      expect(retellAgents(p.sb, 'staging', o.phone_number)).toEqual({ inbound: [id], outbound: [id] });
      expect(assignments.find((a) => a.phone_number === o.phone_number)).toMatchObject({ agent_id: id, agent_path: o.agent_path, assignment_type: 'inbound-outbound' });
    }
    const entries = await directoryEntries(p);
    const free = Object.values(entries).filter((e: any) => e.pool === 'sales' && e.workspaces.staging.assignment_type === 'unassigned');
    expect(free).toHaveLength(2);
    for (const e of free as any[]) expect(retellAgents(p.sb, 'staging', e.phone_number)).toEqual({ inbound: [], outbound: [] });
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
    await expectInSync(p);
    await ok(p.run(['pool', 'release', '--expired'])); // nothing expired: no holds
    const released = await p.json(['pool', 'release', '--agent', 'sales-agent', '--yes']);
    expect(released.released.length).toBeGreaterThanOrEqual(2);
    for (const a of ['customer-service', 'support-tier1', 'appointment-setter', 'after-hours']) {
      const r = await p.json(['pool', 'release', '--agent', a, '--workspace', 'staging', '--yes']);
      expect(r.failed).toEqual([]);
    }
  }, 60_000);

  it('assigns do not wait for each other\'s Retell calls: one held at Retell, the others finish meanwhile', async () => {
    // Every pool number is free again (the previous test released them): 10 for 4 assigns.
    // Answers from the state at arrival, but only when the test says: the first assign waits at Retell.
    const held = p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', hold: true, times: 1 });
    const first = p.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--json']);
    await p.sb.faults.whenHeld(held.id);
    try {
      const others = await Promise.all(AGENTS.slice(1, 4).map((agent) => p.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', agent, '--json'])));
      for (const r of others) expect(r.exitCode, r.stderr as string).toBe(0);
      expect(first.exitCode).toBeNull(); // still waiting for Retell while the three finished
      p.sb.faults.release(held.id);
      const firstDone = await first;
      expect(firstDone.exitCode, firstDone.stderr as string).toBe(0);
      const numbers = [firstDone, ...others].map((r) => JSON.parse(r.stdout as string).phone_number);
      expect(new Set(numbers).size).toBe(4);
    } finally {
      p.sb.faults.release(held.id);
    }
    await expectValid(p);
    await expectInSync(p);
  }, 60_000);

  it('two concurrent deletes of the same number end as 0 and 4, with nothing corrupted', async () => {
    const phone = '+14155550105'; // "Spare" in the default scenario
    p.sb.faults.setLatency(100);
    try {
      const results = await Promise.all([0, 1].map(() => p.spawn(['number', 'delete', phone, '--workspace', 'staging', '--yes'])));
      expect(results.map((r) => r.exitCode).sort()).toEqual([0, 4]);
      const loser = results.find((r) => r.exitCode === 4)!;
      expect(loser.stderr).toMatch(/not found/);
    } finally {
      p.sb.faults.setLatency(0);
    }
    expect(p.sb.state.retell.get('staging')!.numbers.has(phone)).toBe(false);
    expect((await directoryEntries(p))[phone]?.workspaces?.staging).toBeUndefined();
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
    await expectInSync(p);
  }, 60_000);
});
