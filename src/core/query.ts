import type { Directory, NumberRecord, AssignmentType } from './model.js';
import { sortedNumbers, agentPathsOf, assignmentTypeOf } from './model.js';

export interface NumberFilter {
  workspace?: string;
  agent?: string;
  unassigned?: boolean;
  areaCode?: string;
  type?: string;
  tag?: string;
  trunk?: string;
  pool?: string;
}

function workspacesOf(n: NumberRecord, filter: NumberFilter): string[] {
  return filter.workspace ? (n.workspaces[filter.workspace] ? [filter.workspace] : []) : Object.keys(n.workspaces);
}

/** AND of the given filters; a number matches a workspace-scoped filter through any of its workspaces. */
export function matchesFilter(n: NumberRecord, f: NumberFilter): boolean {
  if (f.workspace && !n.workspaces[f.workspace]) return false;
  if (f.areaCode && !n.phone_number.startsWith(`+1${f.areaCode}`)) return false;
  if (f.type && n.phone_number_type !== f.type) return false;
  if (f.tag && !n.tags.includes(f.tag)) return false;
  if (f.trunk && n.twilio?.trunk_sid !== f.trunk) return false;
  if (f.pool && n.pool !== f.pool) return false;
  const wss = workspacesOf(n, f);
  if (f.agent && !wss.some((ws) => { const a = n.workspaces[ws]!.assignment; return a !== null && agentPathsOf(a).includes(f.agent!); })) return false;
  if (f.unassigned && !(wss.length === 0 || wss.some((ws) => n.workspaces[ws]!.assignment === null))) return false;
  return true;
}

export function filterNumbers(dir: Directory, f: NumberFilter): NumberRecord[] {
  return sortedNumbers(dir).filter((n) => matchesFilter(n, f));
}

export interface AgentNumber { workspace: string; phone_number: string; assignment_type: AssignmentType; nickname: string | null; direction: 'both' | 'inbound' | 'outbound' }

export function agentNumbers(dir: Directory, agentPath: string, workspace?: string): AgentNumber[] {
  const out: AgentNumber[] = [];
  for (const n of sortedNumbers(dir)) {
    for (const ws of Object.keys(n.workspaces).sort()) {
      if (workspace && ws !== workspace) continue;
      const wn = n.workspaces[ws]!;
      const a = wn.assignment;
      if (!a || !agentPathsOf(a).includes(agentPath)) continue;
      const inbound = a.inbound_agents ? a.inbound_agents.some((w) => w.agent_path === agentPath) : a.assignment_type !== 'outbound-only' && a.agent_path === agentPath;
      const outbound = a.outbound_agents ? a.outbound_agents.some((w) => w.agent_path === agentPath) : a.assignment_type !== 'inbound-only' && a.agent_path === agentPath;
      out.push({ workspace: ws, phone_number: n.phone_number, assignment_type: a.assignment_type, nickname: wn.nickname, direction: inbound && outbound ? 'both' : inbound ? 'inbound' : 'outbound' });
    }
  }
  return out.sort((x, y) => (x.workspace === y.workspace ? (x.phone_number < y.phone_number ? -1 : 1) : x.workspace < y.workspace ? -1 : 1));
}

export interface UnassignedNumber { workspace: string; phone_number: string; phone_number_type: string; phone_number_pretty: string; nickname: string | null }

export interface DiffSide { agent_path: string | null; agent_id: string | null; assignment_type: AssignmentType }
export interface WorkspaceDiff {
  only_in_a: { phone_number: string; assignment_type: AssignmentType; agent_path: string | null }[];
  only_in_b: { phone_number: string; assignment_type: AssignmentType; agent_path: string | null }[];
  different: { phone_number: string; a: DiffSide; b: DiffSide }[];
}

function side(n: NumberRecord, ws: string): DiffSide {
  const a = n.workspaces[ws]?.assignment ?? null;
  return { agent_path: a?.agent_path ?? null, agent_id: a?.agent_id ?? null, assignment_type: assignmentTypeOf(n.workspaces[ws]) };
}

/** Numbers only in A, only in B, and those assigned differently (agent ids differ per workspace by nature, so paths and types are compared). */
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
      if (sa.agent_path !== sb.agent_path || sa.assignment_type !== sb.assignment_type) result.different.push({ phone_number: n.phone_number, a: sa, b: sb });
    }
  }
  return result;
}

function pick(s: DiffSide): { assignment_type: AssignmentType; agent_path: string | null } {
  return { assignment_type: s.assignment_type, agent_path: s.agent_path };
}
