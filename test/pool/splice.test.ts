/**
 * The files store's splice writer (src/store/files/view-text.ts, partial-views.ts): patching views that
 * hold only the changed numbers' entries and splicing those entries into the file's text must give the
 * bytes of the patch writer on the whole parsed files (itself equal to a full write: patch.test.ts).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { loadDirectory, type LoadedDirectory } from '../../src/store/directory.js';
import { modelFromViews } from '../../src/core/model-from-views.js';
import { cloneDirectory } from '../../src/core/clone.js';
import { serialize } from '../../src/core/views.js';
import { isoSeconds } from '../../src/core/time.js';
import { patchViews, subsetViews, type ViewSet } from '../../src/core/pool/patch.js';
import { applyPlatformNumber, forgetAtCarrier, removeFromWorkspace } from '../../src/core/pool/apply.js';
import { ViewText } from '../../src/store/files/view-text.js';
import { ASSIGNMENTS_ENTRIES, DIRECTORY_ENTRIES, NUMBERS_ENTRIES, entriesOf, lazyDirectoryFile, partialFile, type LargeMember } from '../../src/store/files/partial-views.js';
import type { Directory } from '../../src/core/model.js';
import type { AgentsIndex } from '../../src/core/agents.js';
import type { DirectoryFile } from '../../src/core/schemas.js';
import type { PlatformNumberSnapshot } from '../../src/core/snapshot.js';
import { readAgents } from '../../src/store/agents.js';
import { pickLeastRecentlyUsed, poolCounts } from '../../src/core/pool/select.js';

const NOW = new Date('2030-01-02T03:04:05Z');
const STAMP = isoSeconds(NOW);

function snap(phone: string, inbound: string[], outbound: string[]): PlatformNumberSnapshot {
  return {
    phone_number: phone, platform_ids: {}, provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk', nickname: null, termination_uri: 'acme.pstn.carrier.com', auth_username: null, inbound_webhook_url: null,
    last_modified: '2029-12-31T00:00:00Z', inbound_agents: inbound.map((agent_id) => ({ agent_id, weight: 1 / inbound.length })), outbound_agents: outbound.map((agent_id) => ({ agent_id, weight: 1 })),
  };
}

type Mutation = (dir: Directory, agents: AgentsIndex) => void;
interface ViewFile { path: string; large: LargeMember; workspace?: string; kind: 'directory' | 'numbers' | 'assignments' }

/** Every view file of the sample, as serialize writes it (the texts the store trusts). */
function canonicalTexts(loaded: LoadedDirectory): { files: ViewFile[]; texts: Map<string, string> } {
  const p = loaded.paths;
  const files: ViewFile[] = [{ path: p.directory, large: DIRECTORY_ENTRIES, kind: 'directory' }];
  for (const ws of loaded.dir.workspaces) {
    files.push({ path: p.workspaceNumbers(ws), large: NUMBERS_ENTRIES, workspace: ws, kind: 'numbers' }, { path: p.workspaceAssignments(ws), large: ASSIGNMENTS_ENTRIES, workspace: ws, kind: 'assignments' });
  }
  return { files, texts: new Map(files.map((f) => [f.path, serialize(JSON.parse(loaded.texts.get(f.path)!))])) };
}

/** Splice vs whole-file patch for one mutation; returns how many files were spliced (null: the splice declined). */
function expectSameSplice(loaded: LoadedDirectory, agents: AgentsIndex, phones: string[], mutate: Mutation): number | null {
  const { files, texts } = canonicalTexts(loaded);
  const workspaces = [...loaded.dir.workspaces];
  const whole: ViewSet = { directory: JSON.parse(texts.get(loaded.paths.directory)!), workspaces: new Map(), folders: new Set(workspaces) };
  for (const ws of workspaces) whole.workspaces.set(ws, { numbers: JSON.parse(texts.get(loaded.paths.workspaceNumbers(ws))!), assignments: JSON.parse(texts.get(loaded.paths.workspaceAssignments(ws))!) });
  const before = modelFromViews(subsetViews(whole, new Set(phones)));
  const after = cloneDirectory(before);
  mutate(after, agents);
  const wanted = [...new Set([...phones, ...after.numbers.keys()])].sort();

  const views = new Map(files.map((f) => [f.path, ViewText.of(texts.get(f.path)!, f.large)!]));
  for (const v of views.values()) expect(v).not.toBeNull();
  const partial: ViewSet = { directory: partialFile<DirectoryFile>(views.get(loaded.paths.directory)!, DIRECTORY_ENTRIES, wanted), workspaces: new Map(), folders: new Set(workspaces) };
  for (const ws of workspaces) {
    partial.workspaces.set(ws, {
      numbers: partialFile(views.get(loaded.paths.workspaceNumbers(ws))!, NUMBERS_ENTRIES, wanted),
      assignments: partialFile(views.get(loaded.paths.workspaceAssignments(ws))!, ASSIGNMENTS_ENTRIES, wanted),
    });
  }
  // The partial views give the same records as the whole ones.
  expect(modelFromViews(subsetViews(partial, new Set(phones)))).toEqual(before);

  const changedWhole = patchViews(whole, before, cloneDirectory(after), wanted, STAMP);
  const changedPartial = patchViews(partial, before, after, wanted, STAMP);
  expect(changedPartial).toEqual(changedWhole);
  if (!changedPartial) return 0;
  let spliced = 0;
  for (const c of changedPartial) {
    const file = files.find((f) => f.kind === c.kind && f.workspace === (c.kind === 'directory' ? undefined : c.workspace))!;
    const value = (c.kind === 'directory' ? partial.directory : partial.workspaces.get(c.workspace)![c.kind]) as unknown as Record<string, unknown>;
    const expected = serialize(c.kind === 'directory' ? whole.directory : whole.workspaces.get(c.workspace)![c.kind]);
    const got = views.get(file.path)!.render(value, entriesOf(value, file.large, wanted)!);
    if (got === null) return null;
    expect(got).toBe(expected);
    spliced++;
  }
  return spliced;
}

describe('splice writer = whole-file patch, byte for byte (sample directory)', () => {
  let loaded: LoadedDirectory;
  let agents: AgentsIndex;
  beforeAll(async () => {
    loaded = await loadDirectory(REPO_ROOT);
    agents = (await readAgents(REPO_ROOT)).index;
  });
  const SALES = 'agent_stg_sales_7c3e1a';

  it('assign a pool number (an entry inserted into assignments.json)', () => {
    expect(expectSameSplice(loaded, agents, ['+14155550109'], (d, a) => {
      applyPlatformNumber(d, 'staging', snap('+14155550109', [SALES], [SALES]), a, new Map(), STAMP);
    })).toBeGreaterThanOrEqual(3);
  });
  it('release a pool number (an entry removed)', () => {
    expect(expectSameSplice(loaded, agents, ['+14155550110'], (d, a) => { applyPlatformNumber(d, 'staging', snap('+14155550110', [], []), a, new Map(), STAMP); })).toBeGreaterThanOrEqual(3);
  });
  it('several numbers released at once, next to each other', () => {
    const assigned = [...loaded.dir.numbers.values()].filter((r) => r.workspaces.staging?.assignment).map((r) => r.phone_number).sort();
    expect(assigned.length).toBeGreaterThanOrEqual(3);
    const phones = assigned.slice(0, 3);
    expect(expectSameSplice(loaded, agents, phones, (d, a) => { for (const p of phones) applyPlatformNumber(d, 'staging', snap(p, [], []), a, new Map(), STAMP); })).toBeGreaterThanOrEqual(3);
    const last = assigned.slice(-2);
    expect(expectSameSplice(loaded, agents, last, (d, a) => { for (const p of last) applyPlatformNumber(d, 'staging', snap(p, [], []), a, new Map(), STAMP); })).toBeGreaterThanOrEqual(3);
  });
  it('a number deleted from a workspace and altogether', () => {
    expect(expectSameSplice(loaded, agents, ['+14155550103'], (d) => { removeFromWorkspace(d, '+14155550103', 'staging'); })).not.toBeNull();
    expect(expectSameSplice(loaded, agents, ['+18885550107'], (d) => { removeFromWorkspace(d, '+18885550107', 'staging'); removeFromWorkspace(d, '+18885550107', 'production'); forgetAtCarrier(d, '+18885550107'); })).not.toBeNull();
  });
  it('declines (null) a new number in directory.json: a full write re-sorts it', () => {
    expect(expectSameSplice(loaded, agents, ['+18005550199'], (d, a) => { applyPlatformNumber(d, 'staging', snap('+18005550199', [SALES], []), a, new Map(), STAMP); })).toBeNull();
  });

  it('200 random changes: equal whenever the splice does not decline', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const phones = [...loaded.dir.numbers.keys()];
    const ids: Record<string, string[]> = { staging: [SALES, 'agent_stg_support1_91ab04', 'agent_stg_custsvc_4f2a9c'], production: ['agent_prd_sales_2d9f6b', 'agent_prd_support1_c07e55'] };
    let spliced = 0;
    for (let i = 0; i < 200; i++) {
      const chosen = [...new Set([pick(phones), ...(rand() < 0.4 ? [pick(phones), pick(phones)] : [])])];
      const ops: Mutation[] = chosen.map((p) => {
        const ws = pick(['staging', 'production']);
        const kind = Math.floor(rand() * 5);
        const agent = pick(ids[ws]!);
        const pool = rand() < 0.5 ? null : 'sales-pool';
        return (d, a) => {
          if (kind <= 1) applyPlatformNumber(d, ws, snap(p, [agent], rand() < 0.5 ? [agent] : []), a, new Map(), STAMP);
          else if (kind === 2) applyPlatformNumber(d, ws, snap(p, [], []), a, new Map(), STAMP);
          else if (kind === 3) { if (d.numbers.has(p)) d.numbers.get(p)!.pool = pool; }
          else removeFromWorkspace(d, p, ws);
        };
      });
      if (expectSameSplice(loaded, agents, chosen, (d, a) => { for (const op of ops) op(d, a); }) !== null) spliced++;
    }
    expect(spliced).toBeGreaterThan(150);
  });
});

describe('directory.json read on demand', () => {
  it('hands out the entries, the keys and the pool choice a parse would', async () => {
    const loaded = await loadDirectory(REPO_ROOT);
    const text = serialize(JSON.parse(loaded.texts.get(loaded.paths.directory)!));
    const parsed = JSON.parse(text) as DirectoryFile;
    const lazy = lazyDirectoryFile(ViewText.of(text, DIRECTORY_ENTRIES)!);
    const phone = Object.keys(parsed.numbers)[2]!;
    expect(lazy.numbers[phone]).toEqual(parsed.numbers[phone]);
    expect(lazy.numbers[phone]).toBe(lazy.numbers[phone]);
    expect('+10000000000' in lazy.numbers).toBe(false);
    expect(lazy.numbers['+10000000000']).toBeUndefined();
    const pools = [...new Set(Object.values(parsed.numbers).map((e) => e.pool).filter((p): p is string => typeof p === 'string'))];
    expect(pools.length).toBeGreaterThan(0);
    for (const name of pools) {
      for (const ws of ['staging', 'production']) {
        const pool = { name, workspace: ws };
        const busy = { busy: new Set<string>(), leased: new Set<string>(), leaseEnds: {} };
        expect(pickLeastRecentlyUsed(lazy, pool, busy)?.phone_number).toBe(pickLeastRecentlyUsed(parsed, pool, busy)?.phone_number);
        expect(poolCounts(lazy, pool, busy)).toEqual(poolCounts(parsed, pool, busy));
      }
    }
    // Listing the keys parses the rest, keeping what was handed out.
    const handed = lazy.numbers[phone];
    expect(Object.keys(lazy.numbers)).toEqual(Object.keys(parsed.numbers));
    expect(lazy.numbers[phone]).toBe(handed);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(parsed));
  });
});
