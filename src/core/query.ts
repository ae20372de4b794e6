import type { Directory, NumberRecord, AssignmentType, Assignment } from './model.js';
import { sortedNumbers, agentPathsOf, assignmentTypeOf, compareStrings } from './model.js';
import type { DirectoryNumberEntry } from './schemas.js';
import { renderDirectoryEntry } from './views.js';

export interface NumberFilter {
  workspace?: string;
  agent?: string;
  unassigned?: boolean;
  areaCode?: string;
  type?: string;
  tag?: string;
  trunk?: string;
  pool?: string;
  /** Who holds the number (its `provider`: a carrier such as twilio or signalwire, or a platform's own). */
  provider?: string;
  /** Only workspaces on this voice platform; `platformOf` says which platform a workspace is on. */
  platform?: string;
  platformOf?: (workspace: string) => string;
}

/** One agent on one side of a call; `agent_path` is null when no agent folder has its id for that workspace. */
export interface LegAgent { agent_id: string; agent_path: string | null; weight: number }
/** Who answers (inbound) and who calls out (outbound): they may differ, and each side may be weighted. */
export interface AgentLegs { inbound_agents: LegAgent[]; outbound_agents: LegAgent[] }

function singleLeg(a: Assignment, id: string | null): LegAgent[] {
  if (!id) return [];
  // The primary agent's path is known; another single id's path is not stored with the assignment.
  return [{ agent_id: id, agent_path: id === a.agent_id ? a.agent_path : null, weight: 1 }];
}

/** Both sides of an assignment: the weighted lists when the file has them, else the single ids. */
export function agentLegs(a: Assignment | null): AgentLegs {
  if (!a) return { inbound_agents: [], outbound_agents: [] };
  const copy = (list: LegAgent[]) => list.map((w) => ({ agent_id: w.agent_id, agent_path: w.agent_path, weight: w.weight }));
  const inbound = a.inbound_agents ?? (a.assignment_type === 'outbound-only' ? [] : singleLeg(a, a.inbound_agent_id ?? a.agent_id));
  const outbound = a.outbound_agents ?? (a.assignment_type === 'inbound-only' ? [] : singleLeg(a, a.outbound_agent_id ?? a.agent_id));
  return { inbound_agents: copy(inbound), outbound_agents: copy(outbound) };
}

/** True when one agent alone takes every leg it has (the seed's plain `agent_path (type)` says it all). */
export function isSingleAgent(legs: AgentLegs): boolean {
  const all = [...legs.inbound_agents, ...legs.outbound_agents];
  return legs.inbound_agents.length <= 1 && legs.outbound_agents.length <= 1 && all.every((w) => w.agent_id === all[0]!.agent_id);
}

export type WorkspaceEntryWithAgents = DirectoryNumberEntry['workspaces'][string] & AgentLegs & { platform?: string };
export type NumberEntryWithAgents = Omit<DirectoryNumberEntry, 'workspaces'> & { workspaces: Record<string, WorkspaceEntryWithAgents> };

/**
 * The directory entry (same keys, same order) with both legs of every workspace's assignment added, so that
 * `--json` readers see the outbound agent of a split number too.
 */
export function numberEntryWithAgents(n: NumberRecord, platformOf?: (workspace: string) => string): NumberEntryWithAgents {
  const entry = renderDirectoryEntry(n);
  const workspaces: Record<string, WorkspaceEntryWithAgents> = {};
  for (const [ws, w] of Object.entries(entry.workspaces)) {
    workspaces[ws] = { ...w, ...agentLegs(n.workspaces[ws]?.assignment ?? null), ...(platformOf ? { platform: platformOf(ws) } : {}) };
  }
  return { ...entry, workspaces };
}

function workspacesOf(n: NumberRecord, filter: NumberFilter): string[] {
  return filter.workspace ? (n.workspaces[filter.workspace] ? [filter.workspace] : []) : Object.keys(n.workspaces);
}

function workspaceMatches(n: NumberRecord, ws: string, f: NumberFilter): boolean {
  const a = n.workspaces[ws]!.assignment;
  if (f.platform && f.platformOf?.(ws) !== f.platform) return false;
  if (f.agent && !(a !== null && agentPathsOf(a).includes(f.agent))) return false;
  if (f.unassigned && a !== null) return false;
  return true;
}

/**
 * The workspaces through which a number matches the workspace-scoped filters (agent, unassigned), sorted.
 * A number imported nowhere matches with none when those filters allow it.
 */
export function matchingWorkspaces(n: NumberRecord, f: NumberFilter): string[] | null {
  if (f.workspace && !n.workspaces[f.workspace]) return null;
  if (f.areaCode && !n.phone_number.startsWith(`+1${f.areaCode}`)) return null;
  if (f.type && n.phone_number_type !== f.type) return null;
  if (f.tag && !n.tags.includes(f.tag)) return null;
  if (f.trunk && n.carrier?.trunk_sid !== f.trunk) return null;
  if (f.pool && n.pool !== f.pool) return null;
  if (f.provider && n.provider !== f.provider) return null;
  const wss = workspacesOf(n, f);
  if (wss.length === 0) return f.agent || f.platform ? null : [];
  const matching = wss.filter((ws) => workspaceMatches(n, ws, f)).sort(compareStrings);
  return matching.length ? matching : null;
}

/** A matching number and the workspaces it matched through: a table shows those rows, not the others. */
export interface NumberMatch { record: NumberRecord; workspaces: string[] }

export function matchNumbers(dir: Directory, f: NumberFilter): NumberMatch[] {
  const out: NumberMatch[] = [];
  for (const record of sortedNumbers(dir)) {
    const workspaces = matchingWorkspaces(record, f);
    if (workspaces) out.push({ record, workspaces });
  }
  return out;
}

export interface AgentNumber extends AgentLegs {
  workspace: string;
  phone_number: string;
  assignment_type: AssignmentType;
  nickname: string | null;
  /** Which legs this agent takes. */
  direction: 'both' | 'inbound' | 'outbound';
}

export function agentNumbers(dir: Directory, agentPath: string, workspace?: string): AgentNumber[] {
  const out: AgentNumber[] = [];
  for (const n of sortedNumbers(dir)) {
    for (const ws of Object.keys(n.workspaces).sort()) {
      if (workspace && ws !== workspace) continue;
      const wn = n.workspaces[ws]!;
      const a = wn.assignment;
      if (!a || !agentPathsOf(a).includes(agentPath)) continue;
      const legs = agentLegs(a);
      const inbound = legs.inbound_agents.some((w) => w.agent_path === agentPath);
      const outbound = legs.outbound_agents.some((w) => w.agent_path === agentPath);
      const direction = inbound && outbound ? 'both' : inbound ? 'inbound' : 'outbound';
      out.push({ workspace: ws, phone_number: n.phone_number, assignment_type: a.assignment_type, nickname: wn.nickname, direction, ...legs });
    }
  }
  return out.sort((x, y) => (x.workspace === y.workspace ? (x.phone_number < y.phone_number ? -1 : 1) : x.workspace < y.workspace ? -1 : 1));
}

export interface UnassignedNumber { workspace: string; phone_number: string; phone_number_type: string; phone_number_pretty: string; nickname: string | null }

export interface DiffSide extends AgentLegs { agent_path: string | null; agent_id: string | null; assignment_type: AssignmentType }
export interface DiffOnly extends AgentLegs { phone_number: string; assignment_type: AssignmentType; agent_path: string | null }
export interface WorkspaceDiff {
  only_in_a: DiffOnly[];
  only_in_b: DiffOnly[];
  different: { phone_number: string; a: DiffSide; b: DiffSide }[];
}

function side(n: NumberRecord, ws: string): DiffSide {
  const a = n.workspaces[ws]?.assignment ?? null;
  return { agent_path: a?.agent_path ?? null, agent_id: a?.agent_id ?? null, assignment_type: assignmentTypeOf(n.workspaces[ws]), ...agentLegs(a) };
}

/** What a workspace's binding means across workspaces: agent ids differ per workspace by nature, so paths, weights and type. */
function bindingKey(s: DiffSide): string {
  const leg = (list: LegAgent[]) => list.map((w) => `${w.agent_path ?? '?'}*${w.weight}`).sort().join(',');
  return `${s.assignment_type}|${s.agent_path ?? ''}|${leg(s.inbound_agents)}|${leg(s.outbound_agents)}`;
}

/** Numbers only in A, only in B, and those assigned differently (on either leg). */
export function diffWorkspaces(dir: Directory, a: string, b: string): WorkspaceDiff {
  const result: WorkspaceDiff = { only_in_a: [], only_in_b: [], different: [] };
  for (const n of sortedNumbers(dir)) {
    const inA = Boolean(n.workspaces[a]);
    const inB = Boolean(n.workspaces[b]);
    if (inA && !inB) result.only_in_a.push({ phone_number: n.phone_number, ...pick(side(n, a)) });
    else if (inB && !inA) result.only_in_b.push({ phone_number: n.phone_number, ...pick(side(n, b)) });
    else if (inA && inB) {
      const sa = side(n, a);
      const sb = side(n, b);
      if (bindingKey(sa) !== bindingKey(sb)) result.different.push({ phone_number: n.phone_number, a: sa, b: sb });
    }
  }
  return result;
}

function pick(s: DiffSide): Omit<DiffOnly, 'phone_number'> {
  return { assignment_type: s.assignment_type, agent_path: s.agent_path, inbound_agents: s.inbound_agents, outbound_agents: s.outbound_agents };
}
