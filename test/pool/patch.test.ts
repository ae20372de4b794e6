/**
 * The pool's patch writer (src/core/pool/patch.ts) must produce exactly the bytes of a full write
 * (planViewWrites over the whole model) for the same change: checked on the sample directory and on a
 * generated one, for every kind of change the pool and number commands make.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { loadDirectory, planViewWrites, type LoadedDirectory } from '../../src/store/directory.js';
import { modelFromViews } from '../../src/core/model-from-views.js';
import { cloneDirectory } from '../../src/core/clone.js';
import { serialize } from '../../src/core/views.js';
import { isoSeconds } from '../../src/core/time.js';
import { patchViews, subsetViews, workspacesOf, type ViewSet } from '../../src/core/pool/patch.js';
import { applyPlatformNumber, applyCarrierNumber, forgetAtCarrier, removeFromWorkspace } from '../../src/core/pool/apply.js';
import type { Directory } from '../../src/core/model.js';
import type { AgentsIndex } from '../../src/core/agents.js';
import type { PlatformNumberSnapshot } from '../../src/core/snapshot.js';
import { readAgents } from '../../src/store/agents.js';

const NOW = new Date('2030-01-02T03:04:05Z');
const STAMP = isoSeconds(NOW);

function snap(phone: string, inbound: string[], outbound: string[], extra: Partial<PlatformNumberSnapshot> = {}): PlatformNumberSnapshot {
  return {
    phone_number: phone, platform_ids: {}, provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk', nickname: null, termination_uri: 'acme.pstn.carrier.com', auth_username: null, inbound_webhook_url: null,
    last_modified: '2029-12-31T00:00:00Z', inbound_agents: inbound.map((agent_id) => ({ agent_id, weight: 1 / inbound.length })), outbound_agents: outbound.map((agent_id) => ({ agent_id, weight: 1 })), ...extra,
  };
}

type Mutation = (dir: Directory, agents: AgentsIndex) => void;

/** Full write vs patch for the same mutation of these numbers: every file's bytes must be equal. */
function expectSameBytes(loaded: LoadedDirectory, agents: AgentsIndex, phones: string[], mutate: Mutation): number {
  const full = cloneDirectory(loaded.dir);
  mutate(full, agents);
  const expected = new Map(planViewWrites(loaded.paths, full, loaded.texts, NOW).map((w) => [w.path, w.content]));

  const set: ViewSet = {
    directory: JSON.parse(loaded.texts.get(loaded.paths.directory)!),
    workspaces: new Map(),
    folders: new Set(loaded.dir.workspaces),
  };
  for (const ws of loaded.dir.workspaces) {
    set.workspaces.set(ws, { numbers: JSON.parse(loaded.texts.get(loaded.paths.workspaceNumbers(ws))!), assignments: JSON.parse(loaded.texts.get(loaded.paths.workspaceAssignments(ws))!) });
  }
  expect([...workspacesOf(set.directory, phones)].every((ws) => set.folders.has(ws))).toBe(true);
  const before = modelFromViews(subsetViews(set, new Set(phones)));
  const after = cloneDirectory(before);
  mutate(after, agents);
  const changed = patchViews(set, before, after, phones, STAMP);
  expect(changed).not.toBeNull();
  const got = new Map<string, string>();
  got.set(loaded.paths.directory, serialize(set.directory));
  for (const [ws, f] of set.workspaces) {
    got.set(loaded.paths.workspaceNumbers(ws), serialize(f.numbers));
    got.set(loaded.paths.workspaceAssignments(ws), serialize(f.assignments));
  }
  let differing = 0;
  for (const [file, content] of expected) {
    if (got.get(file) !== content) {
      const a = (got.get(file) ?? '').split('\n');
      const b = (content ?? '').split('\n');
      const k = a.findIndex((l, j) => l !== b[j]);
      throw new Error(`${path.basename(path.dirname(file))}/${path.basename(file)} differs at line ${k} (${phones.join(',')}):\n patch: ${a.slice(Math.max(0, k - 3), k + 3).join('\n')}\n full: ${b.slice(Math.max(0, k - 3), k + 3).join('\n')}`);
    }
    if (content !== loaded.texts.get(file)) differing++;
  }
  // The files reported changed are exactly those whose bytes changed.
  expect(changed!.length).toBe(differing);
  return differing;
}

describe('patch writer = full write, byte for byte (sample directory)', () => {
  let loaded: LoadedDirectory;
  let agents: AgentsIndex;
  beforeAll(async () => {
    loaded = await loadDirectory(REPO_ROOT);
    agents = (await readAgents(REPO_ROOT)).index;
  });
  const SALES = 'agent_stg_sales_7c3e1a';
  const SUPPORT = 'agent_stg_support1_91ab04';
  const CUST = 'agent_stg_custsvc_4f2a9c';

  it('assign a pool number', () => {
    expect(expectSameBytes(loaded, agents, ['+14155550109'], (d, a) => {
      applyPlatformNumber(d, 'staging', snap('+14155550109', [SALES], [SALES]), a, new Map(), STAMP);
      d.numbers.get('+14155550109')!.workspaces.staging!.assignment!.release_at = '2030-01-03T00:00:00Z';
    })).toBeGreaterThanOrEqual(4); // directory, staging numbers + assignments, production numbers (last_assigned)
  });
  it('release a pool number', () => {
    expectSameBytes(loaded, agents, ['+14155550110'], (d, a) => { applyPlatformNumber(d, 'staging', snap('+14155550110', [], []), a, new Map(), STAMP); });
  });
  it('move a hold only', () => {
    expect(expectSameBytes(loaded, agents, ['+14155550110'], (d) => { d.numbers.get('+14155550110')!.workspaces.staging!.assignment!.release_at = '2031-01-01T00:00:00Z'; })).toBe(1);
  });
  it('a weighted split assignment with a new agent key', () => {
    expectSameBytes(loaded, agents, ['+14155550111'], (d, a) => { applyPlatformNumber(d, 'staging', snap('+14155550111', [CUST, SUPPORT], [SUPPORT]), a, new Map(), STAMP); });
  });
  it('import a new number (new provider and type keys)', () => {
    expectSameBytes(loaded, agents, ['+18005550199'], (d, a) => { applyPlatformNumber(d, 'staging', snap('+18005550199', [SALES], []), a, new Map(), STAMP); });
  });
  it('provision: a bought Twilio number imported into a workspace and put in a pool', () => {
    expectSameBytes(loaded, agents, ['+14155550150'], (d, a) => {
      applyCarrierNumber(d, 'twilio', { sid: 'PN0123456789abcdef0123456789abcdef', phone_number: '+14155550150', friendly_name: 'sales-pool pool', capabilities: { voice: true, sms: true, mms: true, fax: false }, type: 'local', trunk_sid: null, voice_url: null, sms_url: null, date_created: STAMP }, undefined);
      const r = applyPlatformNumber(d, 'staging', snap('+14155550150', [], []), a, new Map(), STAMP);
      r.pool = 'sales-pool';
    });
  });
  it('delete from one workspace, and altogether', () => {
    expectSameBytes(loaded, agents, ['+14155550103'], (d) => { removeFromWorkspace(d, '+14155550103', 'staging'); });
    expectSameBytes(loaded, agents, ['+14155550112'], (d) => { removeFromWorkspace(d, '+14155550112', 'staging'); });
    expectSameBytes(loaded, agents, ['+18885550107'], (d) => { removeFromWorkspace(d, '+18885550107', 'staging'); removeFromWorkspace(d, '+18885550107', 'production'); forgetAtCarrier(d, '+18885550107'); });
  });
  it('pool and status of a number in two workspaces; several numbers at once', () => {
    expectSameBytes(loaded, agents, ['+14155550101', '+16505550104', '+14155550108'], (d, a) => {
      d.numbers.get('+14155550101')!.status = 'active';
      d.numbers.get('+16505550104')!.pool = 'sales-pool';
      applyPlatformNumber(d, 'production', snap('+14155550108', [], ['agent_prd_sales_2d9f6b']), a, new Map(), STAMP);
    });
  });
  it('nothing changed: no file reported', () => {
    expect(expectSameBytes(loaded, agents, ['+14155550101'], () => undefined)).toBe(0);
  });
  it('declines (null) when a workspace has no folder', () => {
    const set: ViewSet = { directory: JSON.parse(loaded.texts.get(loaded.paths.directory)!), workspaces: new Map(), folders: new Set(['staging']) };
    const before = modelFromViews(subsetViews(set, new Set(['+14155550109'])));
    const after = cloneDirectory(before);
    applyPlatformNumber(after, 'dev', snap('+14155550109', [], []), agents, new Map(), STAMP);
    expect(patchViews(set, before, after, ['+14155550109'], STAMP)).toBeNull();
  });
});

describe('patch writer = full write, random changes', () => {
  it('200 random single- and multi-number changes on the sample directory', async () => {
    const loaded = await loadDirectory(REPO_ROOT);
    const agents = (await readAgents(REPO_ROOT)).index;
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const phones = [...loaded.dir.numbers.keys(), '+14155550160', '+18775550161'];
    const ids: Record<string, string[]> = {
      staging: ['agent_stg_sales_7c3e1a', 'agent_stg_support1_91ab04', 'agent_stg_custsvc_4f2a9c', 'agent_unknown_1'],
      production: ['agent_prd_sales_2d9f6b', 'agent_prd_support1_c07e55', 'agent_prd_custsvc_8b1d3e'],
    };
    for (let i = 0; i < 200; i++) {
      const chosen = [...new Set([pick(phones), ...(rand() < 0.3 ? [pick(phones)] : [])])];
      const ops: Mutation[] = chosen.map((p) => {
        const ws = pick(['staging', 'production']);
        const kind = Math.floor(rand() * 6);
        const agentsOf = () => (rand() < 0.3 ? [] : rand() < 0.3 ? [pick(ids[ws]!), pick(ids[ws]!)].filter((x, k, a) => a.indexOf(x) === k) : [pick(ids[ws]!)]);
        const inbound = agentsOf();
        const outbound = agentsOf();
        const release = rand() < 0.5 ? '2030-02-01T00:00:00Z' : null;
        const pool = rand() < 0.5 ? null : 'sales-pool';
        const status = pick(['active', 'reserved', 'protected'] as const);
        return (d, a) => {
          if (kind <= 2) {
            applyPlatformNumber(d, ws, snap(p, inbound, outbound), a, new Map(), STAMP);
            const as = d.numbers.get(p)!.workspaces[ws]!.assignment;
            if (as) as.release_at = release;
          } else if (kind === 3) {
            if (d.numbers.has(p)) { d.numbers.get(p)!.pool = pool; d.numbers.get(p)!.status = status; }
          } else if (kind === 4) {
            removeFromWorkspace(d, p, ws);
          } else {
            forgetAtCarrier(d, p);
          }
        };
      });
      expectSameBytes(loaded, agents, chosen, (d, a) => { for (const op of ops) op(d, a); });
    }
  });
});
