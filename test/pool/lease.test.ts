/**
 * Leases on the files store through the built CLI: idempotent per ref, concurrent leasers get distinct
 * numbers, a leased number is never assigned, release/hold --for, expiry, kill -9, and the views untouched.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startProject, ok, expectValid, expectInSync, runtimeState, TRUNK_MAIN, MAIN_CREDENTIALS, type Project } from './helpers.js';
import { pickLeastRecentlyUsed, type PoolCandidate } from '../../src/core/pool/select.js';
import { endLease, MAX_LEASE_ENDS } from '../../src/core/pool/leases.js';
import { emptyRuntimeState, takenNumbers } from '../../src/core/pool/state.js';
import type { Directory } from '../../src/core/model.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } };

describe('pool lease (files store)', () => {
  let p: Project;
  let pool: string[] = [];
  let views: () => Promise<string>;
  beforeAll(async () => {
    p = await startProject({ pools: POOLS });
    const r = await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '10', '--yes']);
    pool = r.bought.map((b: any) => b.phone_number);
    expect(pool).toHaveLength(10);
    views = async () => (await Promise.all(['phone-numbers/directory.json', 'phone-numbers/staging/numbers.json', 'phone-numbers/staging/assignments.json'].map((f) => readFile(p.file(f), 'utf8')))).join('\n');
  }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('leasing twice for one ref returns the same number, prints it, and never touches the views', async () => {
    const before = await views();
    const first = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-1']);
    expect(Object.keys(first).sort()).toEqual(['phone_number', 'pool', 'ref', 'release_at']);
    expect(first).toMatchObject({ pool: 'sales', ref: 'lead-1' });
    expect(pool).toContain(first.phone_number);
    expect(Math.abs(Date.parse(first.release_at) - Date.now() - 18 * 3_600_000)).toBeLessThan(60_000);
    const text = await ok(p.run(['pool', 'lease', '--pool', 'sales', '--for', 'lead-1']));
    expect(text.stdout.trim()).toBe(first.phone_number);
    expect(text.stderr).toMatch(/already leased to lead-1/);
    const again = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-1', '--hold', '1h']);
    expect(again).toEqual(first); // a live lease moves nothing, not even with another --hold
    expect((await runtimeState(p))!.reservations).toEqual([]);
    expect(await views()).toBe(before);
    await expectValid(p);
    await expectInSync(p);
  });

  it('refuses an unknown pool (did you mean), an empty, too long or control-character ref, and a bad hold: exit 2, nothing leased', async () => {
    const typo = await p.run(['pool', 'lease', '--pool', 'sale', '--for', 'x']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toMatch(/unknown pool "sale".*did you mean "sales"/);
    for (const ref of ['', '   ', 'a'.repeat(201), 'bad\tref']) {
      const r = await p.run(['pool', 'lease', '--pool', 'sales', '--for', ref]);
      expect(r.exitCode, ref).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^error: --for: /);
    }
    const ok200 = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'b'.repeat(200), '--hold', '5m']);
    await ok(p.run(['pool', 'release', '--for', ok200.ref]));
    for (const hold of ['soon', '0s']) expect((await p.run(['pool', 'lease', '--pool', 'sales', '--for', 'y', '--hold', hold])).exitCode).toBe(2);
    expect((await p.json(['pool', 'leases'])).leases.map((l: any) => l.ref)).toEqual(['lead-1']);
  });

  it('8 concurrent leasers with different refs get 8 distinct numbers; a leased number is never assigned', async () => {
    const procs = Array.from({ length: 8 }, (_, i) => p.spawn(['pool', 'lease', '--pool', 'sales', '--for', `lead-c${i}`, '--json']));
    const results = await Promise.all(procs);
    for (const r of results) expect(r.exitCode, String(r.stderr)).toBe(0);
    const numbers = results.map((r) => JSON.parse(String(r.stdout)).phone_number);
    expect(new Set(numbers).size).toBe(8);
    const leased = (await p.json(['pool', 'leases'])).leases.map((l: any) => l.phone_number);
    expect(leased).toHaveLength(9);
    expect(new Set(leased).size).toBe(9);

    // One number is left: assign gets it, not a leased one; then the pool is exhausted for both.
    const a = await p.json(['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent']);
    expect(leased).not.toContain(a.phone_number);
    expect(pool).toContain(a.phone_number);
    const none = await p.run(['pool', 'lease', '--pool', 'sales', '--for', 'lead-late']);
    expect(none.exitCode).toBe(6);
    expect(none.stderr).toMatch(/9 leased/);
    expect((await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent'])).exitCode).toBe(6);
    const direct = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent', '--number', leased[0]]);
    expect(direct.exitCode).toBe(6);
    expect(direct.stderr).toMatch(/leased/);

    const health = await p.json(['pool', 'health']);
    expect(health.pools).toEqual([expect.objectContaining({ pool: 'sales', leased: 9, assigned: 1, available: 0, total: 10 })]);
    expect((await ok(p.run(['pool', 'health']))).stdout).toMatch(/leased/);
    await ok(p.run(['pool', 'release', a.phone_number, '--workspace', 'staging']));
    await expectValid(p);
    await expectInSync(p);
  }, 60_000);

  it('release --for ends a lease (exit 4 when there is none); the freed number goes after those rested longer', async () => {
    const leases = (await p.json(['pool', 'leases'])).leases;
    const mine = leases.find((l: any) => l.ref === 'lead-c0');
    const ended = await p.json(['pool', 'release', '--for', 'lead-c0']);
    expect(ended).toMatchObject({ ref: 'lead-c0', phone_number: mine.phone_number, pool: 'sales' });
    expect((await p.run(['pool', 'release', '--for', 'lead-c0'])).exitCode).toBe(4);
    expect((await p.run(['pool', 'release', '--for', 'lead-c0', '--expired'])).exitCode).toBe(2);
    // Two free now: the number released by the assign test (longer ago) and lead-c0's (just now).
    const next = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-n1']);
    expect(next.phone_number).not.toBe(mine.phone_number);
    const after = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-n2']);
    expect(after.phone_number).toBe(mine.phone_number);
    expect((await runtimeState(p) as any).lease_ends[mine.phone_number]).toBeTruthy();
    await ok(p.run(['pool', 'release', '--for', 'lead-n1']));
    await ok(p.run(['pool', 'release', '--for', 'lead-n2']));
  });

  it('hold --for moves a lease; release --expired ends the expired ones and says how many', async () => {
    const moved = await p.json(['pool', 'hold', '--for', 'lead-c1', '--until', '2h']);
    expect(Math.abs(Date.parse(moved.release_at) - Date.now() - 2 * 3_600_000)).toBeLessThan(60_000);
    expect((await p.json(['pool', 'leases'])).leases.find((l: any) => l.ref === 'lead-c1').release_at).toBe(moved.release_at);
    expect((await p.run(['pool', 'hold', '--for', 'nobody', '--until', '2h'])).exitCode).toBe(4);
    expect((await p.run(['pool', 'hold', '--for', 'lead-c1', '--until', 'none'])).exitCode).toBe(2);

    await ok(p.run(['pool', 'hold', '--for', 'lead-c2', '--until', '2020-01-01T00:00:00Z']));
    // A hold under a second is a lease too (PostgreSQL once got it as an end cut to the second: a negative hold).
    const quick = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-quick', '--hold', '300ms']);
    await new Promise((r) => setTimeout(r, 1_200));
    const listed = (await p.json(['pool', 'leases'])).leases;
    expect(listed.filter((l: any) => l.expired).map((l: any) => l.ref).sort()).toEqual(['lead-c2', 'lead-quick']);
    const dry = await p.json(['pool', 'release', '--expired', '--dry-run']);
    expect(dry.would_end_leases).toHaveLength(2);
    const r = await ok(p.run(['pool', 'release', '--expired']));
    expect(r.stdout).toMatch(/ended 2 expired leases/);
    const left = (await p.json(['pool', 'leases'])).leases.map((l: any) => l.ref);
    expect(left).not.toContain('lead-c2');
    expect(left).not.toContain('lead-quick');
    expect(left).toContain('lead-c1');
    expect((await p.json(['pool', 'release', '--expired'])).leases_ended).toEqual([]);
    expect(quick.phone_number).toBeTruthy();
    await expectValid(p);
    await expectInSync(p);
  });

  it('kill -9 during a lease leaves the lease or none, never half of one', async () => {
    for (let i = 0; i < 6; i++) {
      const ref = `lead-kill${i}`;
      const proc = p.spawn(['pool', 'lease', '--pool', 'sales', '--for', ref]);
      await new Promise((r) => setTimeout(r, 120 + i * 40));
      proc.kill('SIGKILL');
      await proc;
      const leases = (await p.json(['pool', 'leases'])).leases;
      const numbers = leases.map((l: any) => l.phone_number);
      expect(new Set(numbers).size).toBe(numbers.length);
      const state = await runtimeState(p);
      expect(state!.reservations).toEqual([]);
      const mine = leases.filter((l: any) => l.ref === ref);
      expect(mine.length).toBeLessThanOrEqual(1);
      if (mine.length) await ok(p.run(['pool', 'release', '--for', ref]));
    }
    await expectValid(p);
    await expectInSync(p);
  }, 60_000);

  it('figures: a lease\'s whole-process time against node -e 0, and its time under the lock', async () => {
    const { execa } = await import('execa');
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const node: number[] = [];
    const lease: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await execa('node', ['-e', '0']);
      node.push(performance.now() - t);
      t = performance.now();
      const r = await ok(p.run(['pool', 'lease', '--pool', 'sales', '--for', `lead-t${i}`, '--debug'], { process: true }));
      lease.push(performance.now() - t);
      held.push(Number(/under lock ([\d.]+)ms/.exec(r.stderr)?.[1] ?? NaN));
      await ok(p.run(['pool', 'release', '--for', `lead-t${i}`]));
    }
    console.log(`pool lease (10 numbers): ${median(lease).toFixed(0)} ms a process (median of 5), node -e 0 ${median(node).toFixed(0)} ms (${(median(lease) / median(node)).toFixed(2)}×); under the lock ${median(held).toFixed(1)} ms`);
    expect(held.every(Number.isFinite)).toBe(true);
  }, 60_000);
});

describe('the LRU choice with lease end times', () => {
  const candidate = (phone: string, lastReleased: string | null): PoolCandidate => ({
    phone_number: phone, pool: 'p', status: 'active', last_assigned: lastReleased, last_released: lastReleased, carrier: null,
    workspaces: { ws: { import_date: '2025-01-01T00:00:00Z', assignment: null } },
  });
  const dir = (...c: PoolCandidate[]) => ({ numbers: new Map(c.map((n) => [n.phone_number, n])) }) as unknown as Directory;

  it('a number whose lease ended recently goes after one that has rested longer', () => {
    const state = emptyRuntimeState();
    const a = candidate('+1000', '2025-01-01T00:00:00Z');
    const b = candidate('+2000', '2025-01-02T00:00:00Z');
    expect(pickLeastRecentlyUsed(dir(a, b), { name: 'p', workspace: 'ws' }, takenNumbers(state))!.phone_number).toBe('+1000');
    endLease(state, { ref: 'r', pool: 'p', workspace: 'ws', phone_number: '+1000', release_at: '2025-01-03T00:00:00Z', created: '2025-01-02T12:00:00Z' }, new Date('2025-01-03T00:00:00Z'));
    expect(pickLeastRecentlyUsed(dir(a, b), { name: 'p', workspace: 'ws' }, takenNumbers(state))!.phone_number).toBe('+2000');
    // A never-used number that was leased once is no longer "never used".
    const fresh = candidate('+3000', null);
    endLease(state, { ref: 's', pool: 'p', workspace: 'ws', phone_number: '+3000', release_at: '2025-01-04T00:00:00Z', created: '2025-01-03T00:00:00Z' }, new Date('2025-01-04T00:00:00Z'));
    expect(pickLeastRecentlyUsed(dir(fresh, b), { name: 'p', workspace: 'ws' }, takenNumbers(state))!.phone_number).toBe('+2000');
  });

  it('keeps a bounded number of lease end times, dropping the oldest', () => {
    const state = emptyRuntimeState();
    for (let i = 0; i <= MAX_LEASE_ENDS; i++) {
      endLease(state, { ref: `r${i}`, pool: 'p', workspace: 'ws', phone_number: `+1${String(i).padStart(9, '0')}`, release_at: '', created: '' }, new Date(Date.UTC(2025, 0, 1) + i * 1000));
    }
    expect(Object.keys(state.lease_ends!)).toHaveLength(MAX_LEASE_ENDS);
    expect(state.lease_ends!['+1000000000']).toBeUndefined();
  });
});
