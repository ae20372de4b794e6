/** Pure core of the pool: the LRU choice, reservation expiry, pools and holds, and agreement with reconcile. */
import { describe, it, expect } from 'vitest';
import { emptyDirectory, type Directory, type NumberRecord } from '../../src/core/model.js';
import { newRecord, reconcile } from '../../src/core/reconcile.js';
import { pickLeastRecentlyUsed, availableNumbers, poolCounts, unavailability, lruCompare } from '../../src/core/pool/select.js';
import { isStale, blockedNumbers, hasStale, staleEntries, type Owner, type Reservation, type RuntimeState } from '../../src/core/pool/state.js';
import { applyPlatformNumber, agentRefsFor, isAssignedAs, removeFromWorkspace, forgetAtCarrier } from '../../src/core/pool/apply.js';
import { resolvePool, holdUntil, parseUntil, requireKnownPool, DEFAULT_POOL } from '../../src/core/pool/pools.js';
import { viewsDisagreement } from '../../src/core/pool/agree.js';
import { poolHealth } from '../../src/core/pool/health.js';
import { poolStats } from '../../src/core/pool-stats.js';
import type { AgentsIndex } from '../../src/core/agents.js';
import type { PlatformNumberSnapshot } from '../../src/core/snapshot.js';
import type { PoolsFile } from '../../src/core/schemas.js';
import { parseRuntimeState } from '../../src/store/runtime-state.js';

const POOL = { name: 'sales', workspace: 'staging' };

function num(phone: string, o: { pool?: string | null; imported?: string | null; lastAssigned?: string | null; lastReleased?: string | null; assigned?: boolean; status?: NumberRecord['status']; ws?: string } = {}): NumberRecord {
  const r = newRecord(phone, 'twilio', 'local');
  r.pool = o.pool === undefined ? 'sales' : o.pool;
  r.status = o.status ?? 'active';
  r.last_assigned = o.lastAssigned ?? null;
  r.last_released = o.lastReleased ?? null;
  r.workspaces[o.ws ?? 'staging'] = {
    import_method: 'sip-trunk', platform_ids: {}, import_date: o.imported === undefined ? '2025-01-01T00:00:00Z' : o.imported, termination_uri: 't.pstn.carrier.com', auth_username: null,
    nickname: null, inbound_webhook_url: null, last_modified: null,
    assignment: o.assigned ? {
      agent_path: 'agents/a', agent_name: null, agent_id: 'agent_a', assignment_type: 'inbound-outbound', inbound_agent_id: 'agent_a', outbound_agent_id: 'agent_a',
      assigned_date: null, last_modified: null, release_at: '2025-01-01T00:00:00Z',
    } : null,
  };
  return r;
}

function dirOf(...records: NumberRecord[]): Directory {
  const d = emptyDirectory();
  d.workspaces.add('staging');
  for (const r of records) d.numbers.set(r.phone_number, r);
  return d;
}

describe('LRU choice', () => {
  const dir = dirOf(
    num('+14155550105', { imported: '2025-03-01T00:00:00Z' }),
    num('+14155550104', { imported: '2025-02-01T00:00:00Z' }),
    num('+14155550103', { lastAssigned: '2025-05-01T00:00:00Z', lastReleased: '2025-05-03T00:00:00Z' }),
    num('+14155550102', { lastAssigned: '2025-04-01T00:00:00Z', lastReleased: '2025-04-02T00:00:00Z' }),
    num('+14155550101', { assigned: true, imported: '2024-01-01T00:00:00Z' }),
    num('+14155550106', { status: 'protected', imported: '2020-01-01T00:00:00Z' }),
    num('+14155550107', { status: 'reserved', imported: '2020-01-01T00:00:00Z' }),
    num('+14155550108', { pool: 'other', imported: '2020-01-01T00:00:00Z' }),
    num('+14155550109', { ws: 'production', imported: '2020-01-01T00:00:00Z' }),
    num('+14155550110', { imported: '2025-02-01T00:00:00Z' }),
  );

  it('hands out never-used numbers first, oldest import first (FIFO), then the longest released', () => {
    expect(availableNumbers(dir, POOL, new Set()).map((n) => n.phone_number)).toEqual([
      '+14155550104', '+14155550110', // same import date: by number
      '+14155550105',
      '+14155550102', '+14155550103', // used: released longest ago first
    ]);
    expect(pickLeastRecentlyUsed(dir, POOL, new Set())?.phone_number).toBe('+14155550104');
  });

  it('skips reserved (runtime) numbers like SKIP LOCKED, and never hands out assigned, reserved or protected ones', () => {
    expect(pickLeastRecentlyUsed(dir, POOL, new Set(['+14155550104']))?.phone_number).toBe('+14155550110');
    const all = new Set(['+14155550104', '+14155550110', '+14155550105', '+14155550102', '+14155550103']);
    expect(pickLeastRecentlyUsed(dir, POOL, all)).toBeNull();
    expect(unavailability(dir.numbers.get('+14155550101')!, POOL, new Set())).toBe('assigned');
    expect(unavailability(dir.numbers.get('+14155550106')!, POOL, new Set())).toBe('protected');
    expect(unavailability(dir.numbers.get('+14155550107')!, POOL, new Set())).toBe('reserved');
    expect(unavailability(dir.numbers.get('+14155550108')!, POOL, new Set())).toBe('not-in-pool');
    expect(unavailability(dir.numbers.get('+14155550109')!, POOL, new Set())).toBe('not-in-pool');
    expect(poolCounts(dir, POOL, new Set(['+14155550104']))).toEqual({ available: 4, assigned: 1, reserved: 2, leased: 0, busy: 1, total: 8 });
  });

  it('the single-pass pick equals the head of the sorted list at scale', () => {
    const many: NumberRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      const used = i % 3 === 0;
      many.push(num(`+1415${String(2000000 + i)}`, {
        imported: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
        ...(used ? { lastReleased: `2025-06-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z` } : {}),
        assigned: i % 7 === 0,
      }));
    }
    const d = dirOf(...many);
    const sorted = availableNumbers(d, POOL, new Set());
    expect(pickLeastRecentlyUsed(d, POOL, new Set())).toBe(sorted[0]);
    const cmp = lruCompare('staging');
    for (let i = 1; i < sorted.length; i++) expect(cmp(sorted[i - 1]!, sorted[i]!)).toBeLessThan(0);
  });
});

describe('reservations', () => {
  const owner = (pid: number, host = 'h1'): Owner => ({ pid, host, token: `t${pid}`, command: 'phone-dir pool assign' });
  const now = new Date('2025-06-01T12:00:00Z');
  const res = (o: Owner, expires: string, phone = '+14155550101'): Reservation => ({
    phone_number: phone, workspace: 'staging', kind: 'assign', owner: o, created: '2025-06-01T11:59:00Z', expires, intended: {},
  });
  const alive = (o: Owner) => (o.host !== 'h1' ? null : o.pid === 1);

  it('is live while the owner runs and it has not expired', () => {
    expect(isStale(res(owner(1), '2025-06-01T12:10:00Z'), now, alive)).toBe(false);
  });
  it('is stale once expired, even with a live owner', () => {
    expect(isStale(res(owner(1), '2025-06-01T12:00:00Z'), now, alive)).toBe(true);
    expect(isStale(res(owner(1), 'garbage'), now, alive)).toBe(true);
  });
  it('is stale when its owner died on this machine; on another machine only expiry counts', () => {
    expect(isStale(res(owner(2), '2025-06-01T12:10:00Z'), now, alive)).toBe(true);
    expect(isStale(res(owner(2, 'h2'), '2025-06-01T12:10:00Z'), now, alive)).toBe(false);
    expect(isStale(res(owner(2, 'h2'), '2025-06-01T11:00:00Z'), now, alive)).toBe(true);
  });
  it('blocks every reserved or intended number, live or stale, and finds the stale ones', () => {
    const state: RuntimeState = {
      version: 1,
      reservations: [res(owner(1), '2025-06-01T12:10:00Z', '+1'), res(owner(2), '2025-06-01T12:10:00Z', '+2')],
      intents: [{ ...res(owner(1), '2025-06-01T11:00:00Z', '+3'), pool: 'p', trunk_sid: null, termination_uri: null, voice_url: null, sms_url: null, friendly_name: null, nickname: null, auth_username: null, auth_password_env: null }],
    };
    expect([...blockedNumbers(state)].sort()).toEqual(['+1', '+2', '+3']);
    expect(hasStale(state, now, alive)).toBe(true);
    const stale = staleEntries(state, now, alive);
    expect(stale.reservations.map((r) => r.phone_number)).toEqual(['+2']);
    expect(stale.intents.map((r) => r.phone_number)).toEqual(['+3']);
  });
  it('reads its file strictly', () => {
    expect(parseRuntimeState('{"version":1,"reservations":[],"intents":[]}', 'f').reservations).toEqual([]);
    expect(() => parseRuntimeState('{', 'f')).toThrow(/invalid JSON/);
    expect(() => parseRuntimeState('{"version":2,"reservations":[],"intents":[]}', 'f')).toThrow(/unknown format/);
  });
});

describe('pools and holds', () => {
  const pools: PoolsFile = { version: '1.0.0', pools: { sales: { workspace: 'staging', min_available: 2, default_hold: '18h' }, a: { workspace: 'production', min_available: 0 }, b: { workspace: 'production', min_available: 0 } } };
  it('resolves --pool, the only pool of a workspace, or the default pool', () => {
    expect(resolvePool(pools, 'staging').name).toBe('sales');
    expect(resolvePool(pools, 'staging', 'sales').settings?.default_hold).toBe('18h');
    expect(resolvePool(pools, 'dev').name).toBe(DEFAULT_POOL);
    expect(() => resolvePool(pools, 'production')).toThrow(/several pools/);
    expect(() => resolvePool(pools, 'production', 'sales')).toThrow(/belongs to workspace staging/);
  });
  it('computes holds from --hold, else the pool default', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    expect(holdUntil(now, '2h', '18h')).toBe('2025-06-01T14:00:00Z');
    expect(holdUntil(now, undefined, '18h')).toBe('2025-06-02T06:00:00Z');
    expect(holdUntil(now, undefined, null)).toBeNull();
    expect(parseUntil('2025-06-03T09:00:00Z', now)).toBe('2025-06-03T09:00:00Z');
    expect(parseUntil('1d', now)).toBe('2025-06-02T12:00:00Z');
    expect(() => parseUntil('soon', now)).toThrow(/neither a time nor a duration/);
  });
  it('health: poolStats plus numbers in flight and the minimum', () => {
    const dir = dirOf(num('+14155550101'), num('+14155550102'), num('+14155550103', { assigned: true }), num('+14155550104', { pool: 'loose' }));
    expect(poolStats(dir, pools, new Date('2030-01-01T00:00:00Z'))[2]).toMatchObject({ pool: 'sales', available: 2, assigned: 1, total: 3, overdue_holds: 1 });
    const rows = poolHealth(dir, pools, new Date('2030-01-01T00:00:00Z'), new Set(['+14155550101']), { workspace: 'staging' });
    expect(rows).toEqual([
      expect.objectContaining({ pool: 'loose', workspace: 'staging', available: 1, defined: false, below_minimum: false }),
      expect.objectContaining({ pool: 'sales', available: 1, in_flight: 1, assigned: 1, minimum: 2, below_minimum: true, defined: true }),
    ]);
    expect(poolHealth(dir, pools, new Date(), new Set(), { workspace: 'staging', min: 5 }).every((r) => r.below_minimum)).toBe(true);
  });
});

describe('one number applied like reconcile applies a whole snapshot', () => {
  const agents: AgentsIndex = {
    agents: new Map([['agents/a', { path: 'agents/a', name: 'Agent A', ids: { staging: 'agent_a' } }], ['agents/b', { path: 'agents/b', name: 'Agent B', ids: { staging: 'agent_b' } }]]),
    byId: new Map([['staging\u0000agent_a', 'agents/a'], ['staging\u0000agent_b', 'agents/b']]),
  };
  const snap = (phone: string, inbound: string[], outbound: string[], at: string): PlatformNumberSnapshot => ({
    phone_number: phone, platform_ids: {}, provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk', nickname: 'n', inbound_agents: inbound.map((agent_id) => ({ agent_id, weight: 1 / inbound.length })),
    outbound_agents: outbound.map((agent_id) => ({ agent_id, weight: 1 })), termination_uri: 't.pstn.carrier.com', auth_username: 'u', inbound_webhook_url: null, last_modified: at,
  });

  it.each([
    ['a new number', null, snap('+14155550150', [], [], '2025-06-01T10:00:00Z')],
    ['an assignment', num('+14155550150', { imported: '2025-01-01T00:00:00Z' }), snap('+14155550150', ['agent_a'], ['agent_a'], '2025-06-01T10:00:00Z')],
    ['a release', num('+14155550150', { assigned: true }), snap('+14155550150', [], [], '2025-06-01T10:00:00Z')],
    ['a weighted, split assignment', num('+14155550150', { assigned: true }), snap('+14155550150', ['agent_a', 'agent_b'], ['agent_b'], '2025-06-01T10:00:00Z')],
  ])('%s', (_label, before, r) => {
    const base = dirOf(...(before ? [before] : []));
    const other = num('+14155550160', { assigned: true });
    base.numbers.set(other.phone_number, other);
    const viaReconcile = reconcile({
      current: base, carriers: [], agents, now: '2025-06-02T00:00:00Z',
      platforms: [{ workspace: 'staging', platform: 'retell', agents: [], numbers: [r, snap('+14155550160', ['agent_a'], ['agent_a'], '2025-01-01T00:00:00Z')] }],
    });
    const mine = dirOf(...[...base.numbers.values()].map((n) => structuredClone(n)));
    applyPlatformNumber(mine, 'staging', r, agents, new Map(), '2025-06-02T00:00:00Z');
    expect(mine.numbers.get(r.phone_number)).toEqual(viaReconcile.numbers.get(r.phone_number));
  });

  it('removal and Twilio release prune a number no provider knows', () => {
    const d = dirOf(num('+14155550150'));
    d.numbers.get('+14155550150')!.provider = 'custom';
    d.numbers.get('+14155550150')!.carrier = null;
    removeFromWorkspace(d, '+14155550150', 'staging');
    expect(d.numbers.has('+14155550150')).toBe(false);
    const t = dirOf(num('+14155550151'));
    t.numbers.get('+14155550151')!.carrier = { phone_number_sid: 'PN1', trunk_sid: null, friendly_name: null, date_created: null };
    removeFromWorkspace(t, '+14155550151', 'staging');
    expect(t.numbers.has('+14155550151')).toBe(true);
    forgetAtCarrier(t, '+14155550151');
    expect(t.numbers.has('+14155550151')).toBe(false);
  });

  it('binds one agent per assignment type', () => {
    expect(agentRefsFor('inbound-outbound', 'agent_a')).toEqual({ inbound_agents: [{ agent_id: 'agent_a', weight: 1 }], outbound_agents: [{ agent_id: 'agent_a', weight: 1 }] });
    expect(agentRefsFor('inbound-only', 'agent_a')).toEqual({ inbound_agents: [{ agent_id: 'agent_a', weight: 1 }], outbound_agents: [] });
    expect(agentRefsFor('outbound-only', 'agent_a')).toEqual({ inbound_agents: [], outbound_agents: [{ agent_id: 'agent_a', weight: 1 }] });
    const d = dirOf(num('+14155550150'));
    applyPlatformNumber(d, 'staging', snap('+14155550150', [], ['agent_a'], '2025-06-01T10:00:00Z'), agents, new Map(), '2025-06-02T00:00:00Z');
    const wn = d.numbers.get('+14155550150')!.workspaces.staging;
    expect(isAssignedAs(wn, 'agent_a', 'outbound-only')).toBe(true);
    expect(isAssignedAs(wn, 'agent_a', 'inbound-outbound')).toBe(false);
    expect(d.numbers.get('+14155550150')!.last_assigned).toBe('2025-06-01T10:00:00Z');
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- hand-made partial view files */
describe('views agreement and known pools', () => {
  const phone = '+14155550100';
  const names = { directory: 'directory.json', numbers: 'staging/numbers.json', assignments: 'staging/assignments.json' };
  const views = (o: { dirAssigned: boolean; listedAssigned: boolean; inAssignments: boolean }) => ({
    directory: { numbers: { [phone]: { phone_number: phone, pool: 'sales', status: 'active', workspaces: { staging: { assignment_type: o.dirAssigned ? 'inbound-outbound' : 'unassigned', agent_id: o.dirAssigned ? 'agent_a' : null } } } } } as any,
    files: {
      numbers: { numbers: [{ phone_number: phone, assigned: o.listedAssigned, pool: 'sales', status: 'active' }] } as any,
      assignments: { assignments: o.inAssignments ? [{ phone_number: phone, agent_id: 'agent_a', assignment_type: 'inbound-outbound' }] : [] } as any,
    },
  });

  it('agreeing views pass; a disagreement names the file that differs from the other two first', () => {
    const ok = views({ dirAssigned: true, listedAssigned: true, inAssignments: true });
    expect(viewsDisagreement(phone, 'staging', ok.directory, ok.files, names)).toBeNull();
    const edited = views({ dirAssigned: true, listedAssigned: true, inAssignments: false });
    expect(viewsDisagreement(phone, 'staging', edited.directory, edited.files, names)).toBe(`${phone} (staging): the views disagree on assigned: staging/assignments.json says false, directory.json says true, staging/numbers.json says true`);
    // Without numbers.json (the reserve phase of an assign), who is bound is still compared.
    expect(viewsDisagreement(phone, 'staging', edited.directory, { assignments: edited.files.assignments }, names)).toMatch(/directory\.json says true, staging\/assignments\.json says false/);
  });

  it('requireKnownPool: declared or named by a number; a typo gets "did you mean"', () => {
    const pools: PoolsFile = { version: '1.0.0', pools: { 'sales-pool': { workspace: 'staging', min_available: 0 } } };
    const dir = emptyDirectory();
    dir.numbers.set('+14155550101', num('+14155550101', { pool: 'legacy' }));
    expect(() => requireKnownPool('sales-pool', pools, dir)).not.toThrow();
    expect(() => requireKnownPool('legacy', pools, dir)).not.toThrow();
    expect(() => requireKnownPool('sales-pol', pools, dir)).toThrow(/unknown pool "sales-pol": did you mean "sales-pool"\?/);
    try {
      requireKnownPool('sales-pol', pools, dir);
    } catch (err) {
      expect((err as { hint?: string }).hint).toMatch(/^use --pool sales-pool; or, to start a new pool, declare it/);
    }
    expect(() => requireKnownPool('zzz', null, null, true)).toThrow(/unknown pool "zzz" \(known: default\)/);
    expect(() => requireKnownPool(DEFAULT_POOL, null, null, true)).not.toThrow();
  });
});
