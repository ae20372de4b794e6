import { describe, it, expect } from 'vitest';
import { reconcile, assignmentFromPlatform, recordsChangedBetween } from '../../src/core/reconcile.js';
import { cloneDirectory } from '../../src/core/clone.js';
import { planChanges, commitMessage } from '../../src/core/plan.js';
import { workspaceRefusal, carrierRefusal } from '../../src/core/safety.js';
import { emptyDirectory, type Directory } from '../../src/core/model.js';
import type { AgentsIndex } from '../../src/core/agents.js';
import type { PlatformNumberSnapshot, CarrierSnapshot, PlatformSnapshot } from '../../src/core/snapshot.js';

const agents: AgentsIndex = {
  agents: new Map([
    ['agents/a', { path: 'agents/a', name: 'Agent A', ids: { staging: 'agent_a' } }],
    ['agents/b', { path: 'agents/b', name: 'Agent B', ids: { staging: 'agent_b' } }],
  ]),
  byId: new Map([['staging\u0000agent_a', 'agents/a'], ['staging\u0000agent_b', 'agents/b']]),
};
const NOW = '2026-01-01T00:00:00Z';

function retellNumber(phone: string, inbound: string[], outbound: string[], extra: Partial<PlatformNumberSnapshot> = {}): PlatformNumberSnapshot {
  return {
    phone_number: phone, platform_ids: {}, provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk', nickname: null, termination_uri: 'x.pstn.carrier.com', auth_username: null, inbound_webhook_url: null,
    last_modified: '2025-06-01T00:00:00Z', inbound_agents: inbound.map((agent_id) => ({ agent_id, weight: 1 / inbound.length })),
    outbound_agents: outbound.map((agent_id) => ({ agent_id, weight: 1 / outbound.length })), ...extra,
  };
}

function twilioSnap(phones: string[]): CarrierSnapshot {
  return {
    carrier: 'twilio',
    numbers: phones.map((p, i) => ({ sid: `PN${String(i).padStart(32, '0')}`, phone_number: p, friendly_name: p, capabilities: { voice: true, sms: true, mms: false, fax: false }, type: 'local', trunk_sid: 'TK1', voice_url: null, sms_url: null, date_created: '2025-01-01T00:00:00Z' })),
    trunks: [{ sid: 'TK1', friendly_name: 'Main', domain_name: 'main.pstn.carrier.com', auth_type: null, credential_list_sids: ['CL1'], origination_urls: [{ sid: 'OU1', sip_url: 'sip:sip.retellai.com', friendly_name: null, priority: 1, weight: 1, enabled: true }], phone_numbers: [], date_created: null, date_updated: null }],
    credential_lists: [],
  };
}

const staging = (numbers: PlatformNumberSnapshot[]): PlatformSnapshot => ({ workspace: 'staging', platform: 'retell', numbers, agents: [] });

describe('assignmentFromPlatform', () => {
  it('derives the seed table from the weighted lists', () => {
    const names = new Map<string, string | null>();
    expect(assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_a'], ['agent_a']), agents, names, null, NOW)).toMatchObject({ assignment_type: 'inbound-outbound', agent_path: 'agents/a', agent_name: 'Agent A' });
    expect(assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_a'], []), agents, names, null, NOW)?.assignment_type).toBe('inbound-only');
    expect(assignmentFromPlatform('staging', retellNumber('+14155550101', [], ['agent_b']), agents, names, null, NOW)).toMatchObject({ assignment_type: 'outbound-only', agent_path: 'agents/b', inbound_agent_id: null });
    expect(assignmentFromPlatform('staging', retellNumber('+14155550101', [], []), agents, names, null, NOW)).toBeNull();
  });

  it('keeps both agents when they differ and an unknown agent id without a path', () => {
    const split = assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_a'], ['agent_b']), agents, new Map(), null, NOW)!;
    expect(split.outbound_agents).toEqual([{ agent_id: 'agent_b', agent_path: 'agents/b', weight: 1 }]);
    const unknown = assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_zzz'], []), agents, new Map([['agent_zzz', 'Remote name']]), null, NOW)!;
    expect(unknown).toMatchObject({ agent_path: null, agent_id: 'agent_zzz', agent_name: 'Remote name' });
  });

  it('keeps assigned_date and release_at while the agents stay the same', () => {
    const first = assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_a'], []), agents, new Map(), null, NOW)!;
    const held = { ...first, release_at: '2030-01-01T00:00:00Z', assigned_date: '2024-01-01T00:00:00Z' };
    const again = assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_a'], [], { last_modified: '2026-05-05T00:00:00Z' }), agents, new Map(), held, NOW)!;
    expect(again.assigned_date).toBe('2024-01-01T00:00:00Z');
    expect(again.release_at).toBe('2030-01-01T00:00:00Z');
    const moved = assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_b'], []), agents, new Map(), held, NOW)!;
    expect(moved.release_at).toBeNull();
  });
});

describe('reconcile and plan', () => {
  it('is pure and idempotent: the same snapshots twice give no changes', () => {
    const input = { carriers: [twilioSnap(['+14155550101', '+14155550102'])], platforms: [staging([retellNumber('+14155550101', ['agent_a'], ['agent_a'])])], agents, now: NOW };
    const current = emptyDirectory();
    const first = reconcile({ ...input, current });
    expect(current.numbers.size).toBe(0);
    expect(first.numbers.get('+14155550101')!.sip_config).toEqual({ termination_uri: 'main.pstn.carrier.com', origination_uri: 'sip:sip.retellai.com', auth_type: 'credential', has_credentials: true });
    expect(first.numbers.get('+14155550102')!.workspaces).toEqual({});
    const second = reconcile({ ...input, current: first });
    expect(planChanges(first, second).changes).toEqual([]);
    const plan = planChanges(current, first);
    expect(plan.summary).toMatchObject({ numbers_added: 2 });
    expect(plan.changes.map((c) => c.summary)).toEqual([
      '+ +14155550101 added (twilio, local, in staging)',
      '+ +14155550101 staging: agents/a (inbound-outbound)',
      '+ +14155550102 added (twilio, local, in no workspace)',
    ]);
    expect(commitMessage('phone-dir sync', plan, ['staging'])).toMatch(/^phone-dir sync \(staging\): 2 added, 1 assignment change\n\n\+ \+14155550101 added/);
  });

  it('drops numbers no provider knows, keeps what it did not ask about, and keeps phone-dir-owned fields', () => {
    const base = reconcile({ current: emptyDirectory(), carriers: [twilioSnap(['+14155550101'])], platforms: [staging([retellNumber('+14155550101', [], []), retellNumber('+13125550178', [], [], { provider: 'retell-telnyx', provider_is_platform: true, import_method: 'direct-purchase' })])], agents, now: NOW });
    base.numbers.get('+14155550101')!.tags = ['sales'];
    base.numbers.get('+14155550101')!.pool = 'p';
    expect(base.numbers.get('+13125550178')!.provider).toBe('retell-telnyx');
    const retellOnly = reconcile({ current: base, carriers: [], platforms: [staging([retellNumber('+14155550101', ['agent_a'], [])])], agents, now: NOW });
    expect(retellOnly.numbers.has('+13125550178')).toBe(false);
    const kept = retellOnly.numbers.get('+14155550101')!;
    expect(kept.carrier?.phone_number_sid).toBeDefined();
    expect(kept.tags).toEqual(['sales']);
    expect(kept.last_assigned).toBe('2025-06-01T00:00:00Z');
  });
});

describe('reconcile with what commands recorded after the snapshot', () => {
  const base = () => reconcile({ current: emptyDirectory(), carriers: [twilioSnap(['+14155550101', '+14155550102'])], platforms: [staging([retellNumber('+14155550101', [], []), retellNumber('+14155550102', [], [])])], agents, now: NOW });

  it('finds the records that changed, appeared or disappeared between two reads', () => {
    const earlier = base();
    const later = cloneDirectory(earlier);
    later.numbers.get('+14155550101')!.workspaces.staging!.nickname = 'changed';
    later.numbers.delete('+14155550102');
    later.numbers.set('+14155550199', { ...earlier.numbers.get('+14155550101')!, phone_number: '+14155550199' });
    expect([...recordsChangedBetween(earlier, later)].sort()).toEqual(['+14155550101', '+14155550102', '+14155550199']);
    expect(recordsChangedBetween(earlier, cloneDirectory(earlier)).size).toBe(0);
  });

  it('keeps kept numbers exactly as they are, whatever the snapshots say and even on a timestamp tie', () => {
    const current = base();
    current.numbers.get('+14155550101')!.workspaces.staging!.assignment = assignmentFromPlatform('staging', retellNumber('+14155550101', ['agent_b'], []), agents, new Map(), null, NOW);
    current.numbers.set('+14155550150', { ...current.numbers.get('+14155550102')!, phone_number: '+14155550150' });
    // The stale snapshot: 0101 unassigned at the same second, 0150 unknown to both providers, 0102 gone from Retell.
    const stale = { carriers: [twilioSnap(['+14155550101', '+14155550102'])], platforms: [staging([retellNumber('+14155550101', [], [])])], agents, now: NOW };
    const keep = new Set(['+14155550101', '+14155550150']);
    const next = reconcile({ ...stale, current, keep });
    expect(next.numbers.get('+14155550101')).toEqual(current.numbers.get('+14155550101'));
    expect(next.numbers.get('+14155550150')).toEqual(current.numbers.get('+14155550150'));
    expect(next.numbers.get('+14155550102')!.workspaces.staging).toBeUndefined();
    expect(reconcile({ ...stale, current }).numbers.get('+14155550101')!.workspaces.staging!.assignment).toBeNull();
  });

  it('takes a number out of its pool when the pool\'s workspace no longer has it', () => {
    const current = base();
    for (const r of current.numbers.values()) r.pool = 'sales';
    const next = reconcile({ current, carriers: [], platforms: [staging([retellNumber('+14155550102', [], [])])], agents, now: NOW, poolWorkspaces: new Map([['sales', 'staging']]) });
    expect(next.numbers.get('+14155550101')!.pool).toBeNull();
    expect(next.numbers.get('+14155550102')!.pool).toBe('sales');
    expect(planChanges(current, next).changes.map((c) => c.summary)).toContain('~ +14155550101 leaves pool "sales" (no longer imported into staging)');
    const notFetched = reconcile({ current, carriers: [], platforms: [], agents, now: NOW, poolWorkspaces: new Map([['sales', 'staging']]) });
    expect(notFetched.numbers.get('+14155550101')!.pool).toBe('sales');
  });
});

describe('safety thresholds', () => {
  const dirWith = (n: number): Directory => {
    const phones = Array.from({ length: n }, (_, i) => `+1415555${String(1000 + i)}`);
    return reconcile({ current: emptyDirectory(), carriers: [twilioSnap(phones)], platforms: [staging(phones.map((p) => retellNumber(p, [], [])))], agents, now: NOW });
  };
  const without = (dir: Directory, lose: number): Directory => {
    const kept = [...dir.numbers.keys()].slice(lose);
    return reconcile({ current: dir, carriers: [], platforms: [staging(kept.map((p) => retellNumber(p, [], [])))], agents, now: NOW });
  };

  it('refuses losing more than 30% of at least 10 numbers, not exactly 30%', () => {
    const ten = dirWith(10);
    expect(workspaceRefusal(ten, without(ten, 3), 'staging', 7, 'Retell')).toBeNull();
    expect(workspaceRefusal(ten, without(ten, 4), 'staging', 6, 'Retell')?.message).toBe('workspace staging would lose 4 of 10 numbers (40% > 30%)');
    const nine = dirWith(9);
    expect(workspaceRefusal(nine, without(nine, 8), 'staging', 1, 'Retell')).toBeNull();
  });

  it('refuses an empty provider listing whatever the size', () => {
    const two = dirWith(2);
    expect(workspaceRefusal(two, without(two, 2), 'staging', 0, 'Retell')?.message).toMatch(/lists no numbers/);
    const twilioGone = reconcile({ current: two, carriers: [twilioSnap([])], platforms: [], agents, now: NOW });
    expect(carrierRefusal(two, twilioGone, 'twilio', 'Twilio', 0)?.message).toMatch(/Twilio lists no numbers/);
    expect(carrierRefusal(two, two, 'twilio', 'Twilio', 2)).toBeNull();
  });
});
