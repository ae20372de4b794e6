import type { Directory, NumberRecord, Assignment, WeightedAgent, Provider } from './model.js';
import type { TwilioSnapshot, TwilioNumberSnapshot, RetellSnapshot, RetellNumberSnapshot, RetellAgentRef, TrunkSnapshot } from './snapshot.js';
import type { AgentsIndex } from './agents.js';
import { agentPathForId } from './agents.js';
import { describeNumber } from './phone.js';
import { cloneDirectory } from './clone.js';
import { renderDirectoryEntry, renderWorkspaceNumber, renderAssignment } from './views.js';

export interface ReconcileInput {
  current: Directory;
  /** null: Twilio was not fetched (sync-retell), so Twilio facts are kept as they are. */
  twilio: TwilioSnapshot | null;
  /** Only the workspaces that were fetched successfully; others are kept as they are. */
  retell: RetellSnapshot[];
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

function byWeight(refs: RetellAgentRef[]): RetellAgentRef[] {
  return [...refs].sort((a, b) => b.weight - a.weight || (a.agent_id < b.agent_id ? -1 : 1));
}

function sameIds(a: Assignment | null, b: Assignment): boolean {
  return a !== null && a.inbound_agent_id === b.inbound_agent_id && a.outbound_agent_id === b.outbound_agent_id && a.assignment_type === b.assignment_type;
}

/** Retell's weighted agent lists → the seed's assignment (primary agent, type, single ids) plus the lists when they carry more. */
export function assignmentFromRetell(ws: string, r: RetellNumberSnapshot, agents: AgentsIndex, agentNames: Map<string, string | null>, previous: Assignment | null, now: string): Assignment | null {
  const inbound = byWeight(r.inbound_agents);
  const outbound = byWeight(r.outbound_agents);
  if (inbound.length === 0 && outbound.length === 0) return null;
  const weighted = (refs: RetellAgentRef[]): WeightedAgent[] => refs.map((x) => ({ agent_id: x.agent_id, agent_path: agentPathForId(agents, ws, x.agent_id), weight: x.weight }));
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
    capabilities: { voice: true, sms: false, mms: false, fax: false }, twilio: null, sip_config: null, notes: null, tags: [],
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

/** What Twilio says about one number; sync applies it to every listed number, pool commands to one. */
export function applyTwilioNumber(dir: Directory, t: TwilioNumberSnapshot, trunk: TrunkSnapshot | undefined): NumberRecord {
  let record = dir.numbers.get(t.phone_number);
  if (!record) dir.numbers.set(t.phone_number, (record = newRecord(t.phone_number, 'twilio', t.type)));
  record.provider = 'twilio';
  if (t.type) record.phone_number_type = t.type;
  record.capabilities = { ...t.capabilities };
  record.twilio = { phone_number_sid: t.sid, trunk_sid: t.trunk_sid, friendly_name: t.friendly_name, date_created: t.date_created };
  record.sip_config = sipConfigFor(t.trunk_sid && trunk?.sid === t.trunk_sid ? trunk : undefined);
  return record;
}

function applyTwilio(dir: Directory, snap: TwilioSnapshot, keep: ReadonlySet<string>): void {
  const trunks = new Map(snap.trunks.map((t) => [t.sid, t]));
  const seen = new Set<string>();
  for (const t of snap.numbers) {
    seen.add(t.phone_number);
    if (keep.has(t.phone_number)) continue;
    applyTwilioNumber(dir, t, t.trunk_sid ? trunks.get(t.trunk_sid) : undefined);
  }
  for (const record of dir.numbers.values()) {
    if (record.twilio && !seen.has(record.phone_number) && !keep.has(record.phone_number)) {
      record.twilio = null;
      record.sip_config = null;
    }
  }
}

/**
 * A number that no provider knows any more leaves the directory; one whose Twilio side was not asked
 * about (`twilioChecked` false) stays while it may still be in Twilio.
 */
export function isForgotten(record: NumberRecord, twilioChecked: boolean): boolean {
  const knownToTwilio = record.twilio !== null || (!twilioChecked && record.provider === 'twilio');
  return !knownToTwilio && Object.keys(record.workspaces).length === 0;
}

/** What Retell says about one number in one workspace; sync applies it to every listed number, pool and number commands to one. */
export function applyRetellNumber(dir: Directory, ws: string, r: RetellNumberSnapshot, agents: AgentsIndex, names: Map<string, string | null>, now: string): NumberRecord {
  dir.workspaces.add(ws);
  const provider: Provider = r.phone_number_type === 'custom' ? 'custom' : r.phone_number_type;
  let record = dir.numbers.get(r.phone_number);
  if (!record) dir.numbers.set(r.phone_number, (record = newRecord(r.phone_number, provider, null)));
  if (r.phone_number_type !== 'custom') record.provider = r.phone_number_type;
  const previous = record.workspaces[ws];
  const assignment = assignmentFromRetell(ws, r, agents, names, previous?.assignment ?? null, now);
  if (record.pool && previous?.assignment && !assignment) record.last_released = now;
  if (record.pool && assignment && !sameIds(previous?.assignment ?? null, assignment)) record.last_assigned = assignment.assigned_date;
  record.workspaces[ws] = {
    import_method: r.phone_number_type === 'custom' ? 'sip-trunk' : 'direct-purchase',
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

function applyRetell(dir: Directory, snap: RetellSnapshot, agents: AgentsIndex, now: string, keep: ReadonlySet<string>): void {
  const ws = snap.workspace;
  dir.workspaces.add(ws);
  const names = new Map(snap.agents.map((a) => [a.agent_id, a.agent_name]));
  const seen = new Set<string>();
  // Which source is newer is decided by `keep` (the directory's revision), never by comparing timestamps:
  // Retell's last_modified and the files' have one-second resolution, and a tie must not favour either.
  for (const r of snap.numbers) {
    seen.add(r.phone_number);
    if (!keep.has(r.phone_number)) applyRetellNumber(dir, ws, r, agents, names, now);
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
 * Brings the model in line with the providers: pure, so the same snapshots always give the same model.
 * Number-level facts phone-dir owns (notes, tags, pool, status) are kept.
 */
export function reconcile(input: ReconcileInput): Directory {
  const dir = cloneDirectory(input.current);
  const keep = input.keep ?? new Set<string>();
  if (input.twilio) applyTwilio(dir, input.twilio, keep);
  for (const snap of [...input.retell].sort((a, b) => (a.workspace < b.workspace ? -1 : 1))) applyRetell(dir, snap, input.agents, input.now, keep);
  if (input.poolWorkspaces) leaveAbandonedPools(dir, input.poolWorkspaces, new Set(input.retell.map((s) => s.workspace)), keep);
  for (const [phone, record] of dir.numbers) if (!keep.has(phone) && isForgotten(record, input.twilio !== null)) dir.numbers.delete(phone);
  return dir;
}
