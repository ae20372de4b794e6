import type { Directory, NumberRecord, Assignment, WeightedAgent, Provider } from './model.js';
import type { CarrierSnapshot, CarrierNumberSnapshot, PlatformSnapshot, PlatformNumberSnapshot, AgentRef, TrunkSnapshot } from './snapshot.js';
import type { AgentsIndex } from './agents.js';
import { agentPathForId } from './agents.js';
import { describeNumber } from './phone.js';
import { cloneDirectory } from './clone.js';
import { renderDirectoryEntry, renderWorkspaceNumber, renderAssignment } from './views.js';

export interface ReconcileInput {
  current: Directory;
  /** The carriers that were fetched; a carrier not listed here was not asked, so its facts are kept as they are. */
  carriers: CarrierSnapshot[];
  /** Only the workspaces that were fetched successfully; others are kept as they are. */
  platforms: PlatformSnapshot[];
  agents: AgentsIndex;
  now: string;
  /**
   * Numbers a command changed, added or removed after the snapshots were read: the snapshots are older than
   * what the directory says about them, so they are kept exactly as they are (the next sync reconciles them).
   */
  keep?: ReadonlySet<string>;
  /** Each pool's workspace (pools.json): a number that is no longer imported there leaves its pool. */
  poolWorkspaces?: ReadonlyMap<string, string>;
}

function byWeight(refs: AgentRef[]): AgentRef[] {
  return [...refs].sort((a, b) => b.weight - a.weight || (a.agent_id < b.agent_id ? -1 : 1));
}

function sameIds(a: Assignment | null, b: Assignment): boolean {
  return a !== null && a.inbound_agent_id === b.inbound_agent_id && a.outbound_agent_id === b.outbound_agent_id && a.assignment_type === b.assignment_type;
}

/** A platform's weighted agent lists → the seed's assignment (primary agent, type, single ids) plus the lists when they carry more. */
export function assignmentFromPlatform(ws: string, r: PlatformNumberSnapshot, agents: AgentsIndex, agentNames: Map<string, string | null>, previous: Assignment | null, now: string): Assignment | null {
  const inbound = byWeight(r.inbound_agents);
  const outbound = byWeight(r.outbound_agents);
  if (inbound.length === 0 && outbound.length === 0) return null;
  const weighted = (refs: AgentRef[]): WeightedAgent[] => refs.map((x) => ({ agent_id: x.agent_id, agent_path: agentPathForId(agents, ws, x.agent_id), weight: x.weight }));
  const primary = inbound[0] ?? outbound[0]!;
  const path = agentPathForId(agents, ws, primary.agent_id);
  const a: Assignment = {
    agent_path: path,
    agent_name: (path ? agents.agents.get(path)?.name : null) ?? agentNames.get(primary.agent_id) ?? null,
    agent_id: primary.agent_id,
    assignment_type: inbound.length && outbound.length ? 'inbound-outbound' : inbound.length ? 'inbound-only' : 'outbound-only',
    inbound_agent_id: inbound[0]?.agent_id ?? null,
    outbound_agent_id: outbound[0]?.agent_id ?? null,
    assigned_date: null,
    last_modified: null,
    release_at: null,
  };
  const different = inbound[0] && outbound[0] && inbound[0].agent_id !== outbound[0].agent_id;
  if (inbound.length > 1 || outbound.length > 1 || different) {
    if (inbound.length) a.inbound_agents = weighted(inbound);
    if (outbound.length) a.outbound_agents = weighted(outbound);
  }
  const unchanged = sameIds(previous, a);
  a.assigned_date = unchanged ? previous!.assigned_date : (r.last_modified ?? now);
  a.last_modified = unchanged ? previous!.last_modified : (r.last_modified ?? now);
  a.release_at = unchanged ? previous!.release_at : null;
  return a;
}

export function newRecord(phone: string, provider: Provider, type: NumberRecord['phone_number_type'] | null): NumberRecord {
  const facts = describeNumber(phone);
  return {
    phone_number: phone, phone_number_type: type ?? facts.phone_number_type, provider, country_code: facts.country_code,
    capabilities: { voice: true, sms: false, mms: false, fax: false }, carrier: null, sip_config: null, notes: null, tags: [],
    pool: null, status: 'active', last_assigned: null, last_released: null, workspaces: {},
  };
}

export function sipConfigFor(trunk: TrunkSnapshot | undefined): NumberRecord['sip_config'] {
  if (!trunk) return null;
  const origination = [...trunk.origination_urls].filter((o) => o.enabled).sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
  const hasCredentials = trunk.credential_list_sids.length > 0;
  return {
    termination_uri: trunk.domain_name,
    origination_uri: origination?.sip_url ?? null,
    auth_type: hasCredentials ? 'credential' : trunk.auth_type,
    has_credentials: hasCredentials,
  };
}

/** What a carrier says about one number; sync applies it to every listed number, pool commands to one. */
export function applyCarrierNumber(dir: Directory, carrier: string, t: CarrierNumberSnapshot, trunk: TrunkSnapshot | undefined): NumberRecord {
  let record = dir.numbers.get(t.phone_number);
  if (!record) dir.numbers.set(t.phone_number, (record = newRecord(t.phone_number, carrier, t.type)));
  record.provider = carrier;
  if (t.type) record.phone_number_type = t.type;
  record.capabilities = { ...t.capabilities };
  record.carrier = { phone_number_sid: t.sid, trunk_sid: t.trunk_sid, friendly_name: t.friendly_name, date_created: t.date_created };
  record.sip_config = sipConfigFor(t.trunk_sid && trunk?.sid === t.trunk_sid ? trunk : undefined);
  return record;
}

/** The carrier no longer holds the number: its block goes, the record stays while a workspace has it. */
export function dropCarrierFacts(record: NumberRecord): void {
  record.carrier = null;
  record.sip_config = null;
}

function applyCarrier(dir: Directory, snap: CarrierSnapshot, keep: ReadonlySet<string>): void {
  const trunks = new Map(snap.trunks.map((t) => [t.sid, t]));
  const seen = new Set<string>();
  for (const t of snap.numbers) {
    seen.add(t.phone_number);
    if (keep.has(t.phone_number)) continue;
    applyCarrierNumber(dir, snap.carrier, t, t.trunk_sid ? trunks.get(t.trunk_sid) : undefined);
  }
  for (const record of dir.numbers.values()) {
    if (record.carrier && record.provider === snap.carrier && !seen.has(record.phone_number) && !keep.has(record.phone_number)) dropCarrierFacts(record);
  }
}

/** Carriers the directory has numbers of: a number that names one of them may still be there while that carrier was not asked. */
export function carriersOf(dir: Directory): Set<string> {
  const names = new Set<string>();
  for (const record of dir.numbers.values()) if (record.carrier) names.add(record.provider);
  return names;
}

/**
 * A number that no provider knows any more leaves the directory; one whose carrier was not asked (not in
 * `checked`) stays while it may still be there.
 */
export function isForgotten(record: NumberRecord, checked: ReadonlySet<string>, carriers: ReadonlySet<string>): boolean {
  const knownToCarrier = record.carrier !== null || (carriers.has(record.provider) && !checked.has(record.provider));
  return !knownToCarrier && Object.keys(record.workspaces).length === 0;
}

/** What a voice platform says about one number in one workspace; sync applies it to every listed number, pool and number commands to one. */
export function applyPlatformNumber(dir: Directory, ws: string, r: PlatformNumberSnapshot, agents: AgentsIndex, names: Map<string, string | null>, now: string): NumberRecord {
  dir.workspaces.add(ws);
  let record = dir.numbers.get(r.phone_number);
  if (!record) dir.numbers.set(r.phone_number, (record = newRecord(r.phone_number, r.provider, null)));
  if (r.provider_is_platform) record.provider = r.provider;
  const previous = record.workspaces[ws];
  const assignment = assignmentFromPlatform(ws, r, agents, names, previous?.assignment ?? null, now);
  if (record.pool && previous?.assignment && !assignment) record.last_released = now;
  if (record.pool && assignment && !sameIds(previous?.assignment ?? null, assignment)) record.last_assigned = assignment.assigned_date;
  record.workspaces[ws] = {
    import_method: r.import_method,
    platform_ids: { ...r.platform_ids },
    import_date: previous?.import_date ?? r.last_modified ?? now,
    termination_uri: r.termination_uri,
    auth_username: r.auth_username,
    nickname: r.nickname,
    inbound_webhook_url: r.inbound_webhook_url,
    last_modified: r.last_modified ?? previous?.last_modified ?? now,
    assignment,
  };
  return record;
}

/** Records which voice platform a workspace is on (numbers.json's `platform`). */
export function recordPlatform(dir: Directory, ws: string, platform: string): void {
  dir.workspaces.add(ws);
  (dir.stamps.workspaces[ws] ??= { last_sync: null, assignments_last_updated: null }).platform = platform;
}

/** Each workspace's platform as the directory records it (workspaces written before platforms have none). */
export function recordedPlatforms(dir: Directory): Map<string, string> {
  const out = new Map<string, string>();
  for (const [ws, stamps] of Object.entries(dir.stamps.workspaces)) if (stamps.platform) out.set(ws, stamps.platform);
  return out;
}

function applyPlatform(dir: Directory, snap: PlatformSnapshot, agents: AgentsIndex, now: string, keep: ReadonlySet<string>): void {
  const ws = snap.workspace;
  recordPlatform(dir, ws, snap.platform);
  const names = new Map(snap.agents.map((a) => [a.agent_id, a.agent_name]));
  const seen = new Set<string>();
  // Which source is newer is decided by `keep` (the directory's revision), never by comparing timestamps:
  // platforms' last_modified and the files' have one-second resolution, and a tie must not favour either.
  for (const r of snap.numbers) {
    seen.add(r.phone_number);
    if (!keep.has(r.phone_number)) applyPlatformNumber(dir, ws, r, agents, names, now);
  }
  for (const record of dir.numbers.values()) {
    if (record.workspaces[ws] && !seen.has(record.phone_number) && !keep.has(record.phone_number)) delete record.workspaces[ws];
  }
}

/** A pooled number that is no longer imported into its pool's (fetched) workspace leaves the pool. */
function leaveAbandonedPools(dir: Directory, poolWorkspaces: ReadonlyMap<string, string>, fetched: ReadonlySet<string>, keep: ReadonlySet<string>): void {
  for (const record of dir.numbers.values()) {
    const ws = record.pool ? poolWorkspaces.get(record.pool) : undefined;
    if (ws && fetched.has(ws) && !record.workspaces[ws] && !keep.has(record.phone_number)) record.pool = null;
  }
}

/** Everything the views say about one number, as one comparable string (absent: null). */
function recordText(record: NumberRecord | undefined): string | null {
  if (!record) return null;
  const workspaces = Object.keys(record.workspaces).sort().map((ws) => {
    const wn = record.workspaces[ws]!;
    return [ws, renderWorkspaceNumber(record, wn), wn.assignment && renderAssignment(record.phone_number, wn.assignment)];
  });
  return JSON.stringify([renderDirectoryEntry(record), workspaces]);
}

/**
 * The numbers whose records differ between two reads of the directory (changed, added or removed): what
 * commands recorded in between. Sync keeps them as they are now (`keep`), since its snapshots predate them.
 */
export function recordsChangedBetween(earlier: Directory, later: Directory): Set<string> {
  const changed = new Set<string>();
  for (const phone of new Set([...earlier.numbers.keys(), ...later.numbers.keys()])) {
    if (recordText(earlier.numbers.get(phone)) !== recordText(later.numbers.get(phone))) changed.add(phone);
  }
  return changed;
}

/**
 * Brings the model in line with the carriers and voice platforms: pure, so the same snapshots always give
 * the same model. Number-level facts phone-dir owns (notes, tags, pool, status) are kept.
 */
export function reconcile(input: ReconcileInput): Directory {
  const dir = cloneDirectory(input.current);
  const keep = input.keep ?? new Set<string>();
  const carriers = carriersOf(dir);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const snap of [...input.carriers].sort((a, b) => byName(a.carrier, b.carrier))) {
    carriers.add(snap.carrier);
    applyCarrier(dir, snap, keep);
  }
  for (const snap of [...input.platforms].sort((a, b) => byName(a.workspace, b.workspace))) applyPlatform(dir, snap, input.agents, input.now, keep);
  if (input.poolWorkspaces) leaveAbandonedPools(dir, input.poolWorkspaces, new Set(input.platforms.map((s) => s.workspace)), keep);
  const checked = new Set(input.carriers.map((c) => c.carrier));
  for (const [phone, record] of dir.numbers) if (!keep.has(phone) && isForgotten(record, checked, carriers)) dir.numbers.delete(phone);
  return dir;
}
