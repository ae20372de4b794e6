import { agentLegs, type LegAgent } from './query.js';
import type { Assignment } from './model.js';

/**
 * One number's history is a diff of its records between versions of two kinds of view file. Each field is
 * read from exactly one kind, so a commit that touches both files never reports a change twice:
 * directory.json gives presence, pool, status and the workspaces; <workspace>/assignments.json the agents.
 */
export type HistoryField = 'in_directory' | 'pool' | 'status' | 'in_workspace' | 'assignment_type' | 'inbound_agents' | 'outbound_agents';

export type HistoryAgent = LegAgent;
export type HistoryValue = string | boolean | null | HistoryAgent[];

export interface FieldChange { workspace: string | null; field: HistoryField; from: HistoryValue; to: HistoryValue }

export interface DirectoryFacts { in_directory: boolean; pool: string | null; status: string | null; workspaces: string[] }
export interface AssignmentFacts { assignment_type: string | null; inbound_agents: HistoryAgent[]; outbound_agents: HistoryAgent[] }

export type ViewFileRef = { kind: 'directory' } | { kind: 'assignments'; workspace: string };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What directory.json says of the number (null record: it is not in that version). */
export function directoryFacts(record: Record<string, unknown> | null): DirectoryFacts {
  if (!record) return { in_directory: false, pool: null, status: null, workspaces: [] };
  const ws = record.workspaces;
  const workspaces = ws && typeof ws === 'object' && !Array.isArray(ws) ? Object.keys(ws).sort() : [];
  return { in_directory: true, pool: str(record.pool), status: str(record.status), workspaces };
}

/** What one workspace's assignments.json says of the number's agents (null record: no assignment). */
export function assignmentFacts(record: Record<string, unknown> | null): AssignmentFacts {
  const type = record ? str(record.assignment_type) : null;
  if (!record || !type || type === 'unassigned') return { assignment_type: null, inbound_agents: [], outbound_agents: [] };
  const legs = agentLegs(record as unknown as Assignment);
  const plain = (list: LegAgent[]) => list.map((w) => ({ agent_id: w.agent_id, agent_path: w.agent_path ?? null, weight: w.weight }));
  return { assignment_type: type, inbound_agents: plain(legs.inbound_agents), outbound_agents: plain(legs.outbound_agents) };
}

const same = (a: HistoryValue, b: HistoryValue) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields whose value in `after` differs from every parent's (from: the first parent's). For an ordinary
 * commit that is a plain diff; for a merge it keeps only what the merge itself decided, so a change made on
 * a branch is reported once, at the branch's commit, not again at the merge.
 */
function changed(workspace: string | null, field: HistoryField, parents: HistoryValue[], after: HistoryValue): FieldChange[] {
  if (parents.length === 0 || parents.some((p) => same(p, after))) return [];
  return [{ workspace, field, from: parents[0]!, to: after }];
}

export function diffDirectoryFacts(parents: DirectoryFacts[], after: DirectoryFacts): FieldChange[] {
  const out = [
    ...changed(null, 'in_directory', parents.map((p) => p.in_directory), after.in_directory),
    ...changed(null, 'pool', parents.map((p) => p.pool), after.pool),
    ...changed(null, 'status', parents.map((p) => p.status), after.status),
  ];
  const names = [...new Set([...after.workspaces, ...parents.flatMap((p) => p.workspaces)])].sort();
  for (const ws of names) out.push(...changed(ws, 'in_workspace', parents.map((p) => p.workspaces.includes(ws)), after.workspaces.includes(ws)));
  return out;
}

export function diffAssignmentFacts(workspace: string, parents: AssignmentFacts[], after: AssignmentFacts): FieldChange[] {
  return (['assignment_type', 'inbound_agents', 'outbound_agents'] as const)
    .flatMap((field) => changed(workspace, field, parents.map((p) => p[field]), after[field]));
}

const FIELD_ORDER: HistoryField[] = ['in_directory', 'pool', 'status', 'in_workspace', 'assignment_type', 'inbound_agents', 'outbound_agents'];

/** Directory-wide changes first, then each workspace's in name order, fields in a fixed order. */
export function sortChanges(changes: FieldChange[]): FieldChange[] {
  const key = (c: FieldChange) => [c.workspace === null ? 0 : 1, c.workspace ?? '', FIELD_ORDER.indexOf(c.field)] as const;
  return [...changes].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2];
  });
}

const VIEW_PATH = /^phone-numbers\/(?:directory\.json|([^/]+)\/assignments\.json)$/;

/** Which view a path (relative to the project) is, or null for anything else the log lists. */
export function viewFileOf(relPath: string): ViewFileRef | null {
  const m = VIEW_PATH.exec(relPath);
  if (!m) return null;
  return m[1] === undefined ? { kind: 'directory' } : m[1] === 'twilio' ? null : { kind: 'assignments', workspace: m[1] };
}

export interface HistoryCommit { commit: string; date: string; author: string; subject: string; changes: FieldChange[] }
export interface NumberHistory { phone_number: string; changes: HistoryCommit[] }
