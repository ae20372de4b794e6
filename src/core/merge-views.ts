/**
 * A three-way merge of one view file (directory.json, or a workspace's numbers.json or assignments.json),
 * for `phone-dir merge-driver`: number by number, a change on one side wins over the base, the same change
 * on both sides is taken once, and different changes to one number on both sides are a conflict for a
 * person. The derived parts (totals, per-agent lists) are computed again from the merged numbers, so the
 * result is what phone-dir itself renders for the merged model.
 */
import type { AssignmentEntry, AssignmentsFile, DirectoryFile, DirectoryNumberEntry, NumbersFile, WorkspaceNumberEntry } from './schemas.js';
import { agentPathsOf, compareStrings } from './model.js';
import { deriveMetadataFrom, deriveWorkspaceFrom } from './views.js';

export type ViewKind = 'directory' | 'numbers' | 'assignments';

export interface MergeConflict {
  /** The number (or top-level field) changed differently on both sides. */
  key: string;
  /** The fields that differ between the two sides. */
  fields: string[];
}

export interface MergeOutcome { merged: unknown; conflicts: MergeConflict[] }

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function differingFields(ours: unknown, theirs: unknown): string[] {
  if (!ours || !theirs || typeof ours !== 'object' || typeof theirs !== 'object') return ours === undefined || theirs === undefined ? ['(removed on one side)'] : ['(value)'];
  const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
  return [...keys].filter((k) => !same((ours as Record<string, unknown>)[k], (theirs as Record<string, unknown>)[k])).sort();
}

/** One value three ways: undefined means absent. */
function pick<T>(key: string, base: T | undefined, ours: T | undefined, theirs: T | undefined, conflicts: MergeConflict[]): T | undefined {
  if (same(ours, theirs)) return ours;
  if (same(base, ours)) return theirs;
  if (same(base, theirs)) return ours;
  conflicts.push({ key, fields: differingFields(ours, theirs) });
  return ours;
}

function mergeKeyed<T>(base: Map<string, T>, ours: Map<string, T>, theirs: Map<string, T>, conflicts: MergeConflict[]): Map<string, T> {
  const out = new Map<string, T>();
  const keys = [...new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])].sort(compareStrings);
  for (const key of keys) {
    const value = pick(key, base.get(key), ours.get(key), theirs.get(key), conflicts);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** A stamp (last_updated, last_sync): the later of two different changes, never a conflict. */
function laterStamp(base: string | null | undefined, ours: string | null | undefined, theirs: string | null | undefined): string | null {
  if (same(ours, theirs) || same(base, theirs)) return ours ?? null;
  if (same(base, ours)) return theirs ?? null;
  if (!ours) return theirs ?? null;
  if (!theirs) return ours;
  return Date.parse(theirs) > Date.parse(ours) ? theirs : ours;
}

/** A set three ways (membership per element), in phone-number order. */
function mergeSet(base: string[], ours: string[], theirs: string[]): string[] {
  const b = new Set(base);
  const o = new Set(ours);
  const t = new Set(theirs);
  return [...new Set([...base, ...ours, ...theirs])].filter((x) => (o.has(x) === t.has(x) ? o.has(x) : o.has(x) === b.has(x) ? t.has(x) : o.has(x))).sort(compareStrings);
}

const byPhone = <T extends { phone_number: string }>(list: T[] | undefined) => new Map((list ?? []).map((e) => [e.phone_number, e]));

function mergeDirectory(base: DirectoryFile, ours: DirectoryFile, theirs: DirectoryFile): MergeOutcome {
  const conflicts: MergeConflict[] = [];
  const numbers = mergeKeyed(new Map(Object.entries(base.numbers)), new Map(Object.entries(ours.numbers)), new Map(Object.entries(theirs.numbers)), conflicts);
  const entries: Record<string, DirectoryNumberEntry> = Object.fromEntries(numbers);
  const workspaces = new Set([...Object.keys(ours.metadata?.by_workspace ?? {}), ...Object.keys(theirs.metadata?.by_workspace ?? {})]);
  const facts = [...numbers.values()].map((e) => {
    const wss = Object.keys(e.workspaces ?? {});
    for (const ws of wss) workspaces.add(ws);
    return { phone_number_type: e.phone_number_type, provider: e.provider, workspaces: wss, assigned: wss.some((ws) => e.workspaces[ws]!.assignment_type !== 'unassigned') };
  });
  const merged: DirectoryFile = { ...ours, last_updated: laterStamp(base.last_updated, ours.last_updated, theirs.last_updated), numbers: entries, metadata: deriveMetadataFrom([...workspaces], facts) };
  return { merged, conflicts };
}

function mergeNumbers(base: NumbersFile, ours: NumbersFile, theirs: NumbersFile): MergeOutcome {
  const conflicts: MergeConflict[] = [];
  const numbers = [...mergeKeyed(byPhone(base.numbers), byPhone(ours.numbers), byPhone(theirs.numbers), conflicts).values()] as WorkspaceNumberEntry[];
  const derived = deriveWorkspaceFrom(numbers.map((e) => ({ phone_number: e.phone_number, import_method: e.import_method, assigned: e.assigned, agent_paths: [] })));
  const merged: NumbersFile = { ...ours, last_sync: laterStamp(base.last_sync, ours.last_sync, theirs.last_sync), numbers, summary: derived.summary };
  return { merged, conflicts };
}

function mergeAssignments(base: AssignmentsFile, ours: AssignmentsFile, theirs: AssignmentsFile): MergeOutcome {
  const conflicts: MergeConflict[] = [];
  const assignments = [...mergeKeyed(byPhone(base.assignments), byPhone(ours.assignments), byPhone(theirs.assignments), conflicts).values()] as AssignmentEntry[];
  const assigned = new Set(assignments.map((a) => a.phone_number));
  // The file alone does not list the workspace's numbers: its unassigned ones merge as a set.
  const unassigned = mergeSet(base.unassigned ?? [], ours.unassigned ?? [], theirs.unassigned ?? []).filter((p) => !assigned.has(p));
  const derived = deriveWorkspaceFrom(assignments.map((a) => ({ phone_number: a.phone_number, import_method: '', assigned: true, agent_paths: agentPathsOf(a) })));
  const merged: AssignmentsFile = { ...ours, last_updated: laterStamp(base.last_updated, ours.last_updated, theirs.last_updated), assignments, by_agent: derived.by_agent, unassigned };
  return { merged, conflicts };
}

/** The kind of view a project-relative path names, or null for any other file. */
export function viewKindOf(relPath: string): ViewKind | null {
  const parts = relPath.split(/[\\/]/);
  const at = parts.lastIndexOf('phone-numbers');
  const rest = at >= 0 ? parts.slice(at + 1) : parts;
  if (rest.length === 1 && rest[0] === 'directory.json') return 'directory';
  if (rest.length === 2 && rest[0] !== 'twilio' && !rest[0]!.startsWith('.')) {
    if (rest[1] === 'numbers.json') return 'numbers';
    if (rest[1] === 'assignments.json') return 'assignments';
  }
  return null;
}

export function mergeView(kind: ViewKind, base: unknown, ours: unknown, theirs: unknown): MergeOutcome {
  switch (kind) {
    case 'directory': return mergeDirectory(base as DirectoryFile, ours as DirectoryFile, theirs as DirectoryFile);
    case 'numbers': return mergeNumbers(base as NumbersFile, ours as NumbersFile, theirs as NumbersFile);
    case 'assignments': return mergeAssignments(base as AssignmentsFile, ours as AssignmentsFile, theirs as AssignmentsFile);
  }
}
