/**
 * Rewrites the views for a few numbers without rebuilding and re-rendering the whole directory.
 *
 * The hot path of the pool (assign, release, hold, …) changes one number, but a full write re-reads,
 * re-validates and re-renders every view: ~0.9 s under the lock at 3,000 numbers. This patches the parsed
 * view files instead: the changed entries are rendered by the same renderers as a full write
 * (renderDirectoryEntry, renderWorkspaceNumber, renderAssignment) and the derived parts (metadata, summary,
 * by_agent, unassigned) are adjusted by the difference between the numbers' before and after records.
 * The result is byte-identical to a full write of the same model (test/pool/patch.test.ts checks it);
 * whenever that cannot be guaranteed (a missing file, views that disagree, a new workspace), patchViews
 * returns null and the caller does a full write.
 */
import type { Directory, NumberRecord, WorkspaceNumber } from '../model.js';
import { agentPathsOf, compareStrings, isAssignedAnywhere } from '../model.js';
import { renderAssignment, renderDirectoryEntry, renderWorkspaceNumber } from '../views.js';
import type { DirectoryFile, NumbersFile, AssignmentsFile, DirectoryNumberEntry, WorkspaceNumberEntry, AssignmentEntry } from '../schemas.js';
import type { ParsedViews } from '../model-from-views.js';

export interface WorkspaceFiles { numbers: NumbersFile; assignments: AssignmentsFile }

export interface ViewSet {
  directory: DirectoryFile;
  /** Parsed files of the workspaces loaded so far (at least every workspace the numbers are in). */
  workspaces: Map<string, WorkspaceFiles>;
  /** Every workspace folder (the workspaces a full write would render). */
  folders: ReadonlySet<string>;
}

export type ChangedFile = { kind: 'directory' } | { kind: 'numbers' | 'assignments'; workspace: string };

/** Workspaces the numbers are imported into according to directory.json. */
export function workspacesOf(directory: DirectoryFile, phones: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of phones) for (const ws of Object.keys(directory.numbers[p]?.workspaces ?? {})) out.add(ws);
  return out;
}

/** The views restricted to these numbers, for modelFromViews (which then builds exactly their records). */
export function subsetViews(set: ViewSet, phones: ReadonlySet<string>): ParsedViews {
  const numbers: Record<string, DirectoryNumberEntry> = {};
  for (const p of phones) if (set.directory.numbers[p]) numbers[p] = set.directory.numbers[p]!;
  const parsed: ParsedViews = { directory: { ...set.directory, numbers }, workspaces: {} };
  for (const [ws, f] of set.workspaces) {
    parsed.workspaces[ws] = {
      numbers: { ...f.numbers, numbers: f.numbers.numbers.filter((e) => phones.has(e.phone_number)) },
      assignments: { ...f.assignments, assignments: f.assignments.assignments.filter((e) => phones.has(e.phone_number)) },
    };
  }
  return parsed;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function sortedKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => compareStrings(a, b)));
}

/** Adds delta to a count; a count of a key-set-by-presence (by_type, …) disappears at zero. Returns whether a key appeared. */
function bump(counts: Record<string, number>, key: string, delta: number, keepZero: boolean): boolean {
  const had = key in counts;
  const next = (counts[key] ?? 0) + delta;
  if (next === 0 && !keepZero) delete counts[key];
  else counts[key] = next;
  return !had && key in counts;
}

function indexOfPhone<T extends { phone_number: string }>(list: T[], phone: string): number {
  return list.findIndex((e) => e.phone_number === phone);
}

/** Replaces, inserts (keeping the sort by number) or removes one entry; false when the list disagrees with `expected`. */
function putEntry<T extends { phone_number: string }>(list: T[], phone: string, entry: T | null, expectedPresent: boolean): boolean {
  const i = indexOfPhone(list, phone);
  if ((i >= 0) !== expectedPresent) return false;
  if (i >= 0) {
    if (entry) list[i] = entry;
    else list.splice(i, 1);
  } else if (entry) {
    let at = list.findIndex((e) => compareStrings(e.phone_number, phone) > 0);
    if (at < 0) at = list.length;
    list.splice(at, 0, entry);
  }
  return true;
}

/** Puts a number into (or takes it out of) a sorted list; returns whether the list changed. */
function putPhone(list: string[], phone: string, present: boolean): boolean {
  const i = list.indexOf(phone);
  if (present && i < 0) {
    let at = list.findIndex((p) => compareStrings(p, phone) > 0);
    if (at < 0) at = list.length;
    list.splice(at, 0, phone);
    return true;
  }
  if (!present && i >= 0) {
    list.splice(i, 1);
    return true;
  }
  return false;
}

interface Side { record: NumberRecord | undefined; wn: WorkspaceNumber | undefined }

/**
 * Patches `set` (in place) from the `before` records to the `after` records of `phones`. Returns the files
 * whose content changed (their own timestamp moved to `stamp`), or null when a full write is needed.
 */
export function patchViews(set: ViewSet, before: Directory, after: Directory, phones: string[], stamp: string): ChangedFile[] | null {
  const dirFile = set.directory;
  const meta = dirFile.metadata;
  if (!meta || typeof meta !== 'object') return null;
  const touched = new Set<string>();
  for (const p of phones) {
    for (const ws of Object.keys(before.numbers.get(p)?.workspaces ?? {})) touched.add(ws);
    for (const ws of Object.keys(after.numbers.get(p)?.workspaces ?? {})) touched.add(ws);
  }
  for (const ws of touched) if (!set.folders.has(ws) || !set.workspaces.has(ws)) return null;

  // directory.json
  let dirChanged = false;
  let resortNumbers = false;
  const resort = { by_type: false, by_provider: false, by_workspace: false };
  for (const p of phones) {
    const b = before.numbers.get(p);
    const a = after.numbers.get(p);
    const old = dirFile.numbers[p] ?? null;
    if ((old !== null) !== (b !== undefined)) return null; // directory.json and the workspace files disagree
    const next = a ? renderDirectoryEntry(a) : null;
    if (!same(old, next)) dirChanged = true;
    if (next) {
      if (!old) resortNumbers = true;
      dirFile.numbers[p] = next;
    } else if (old) {
      delete dirFile.numbers[p];
    }
    for (const [r, sign] of [[b, -1], [a, 1]] as const) {
      if (!r) continue;
      meta.total_numbers += sign;
      for (const ws of Object.keys(r.workspaces)) resort.by_workspace = bump(meta.by_workspace, ws, sign, true) || resort.by_workspace;
      resort.by_type = bump(meta.by_type, r.phone_number_type, sign, false) || resort.by_type;
      resort.by_provider = bump(meta.by_provider, r.provider, sign, false) || resort.by_provider;
      if (isAssignedAnywhere(r)) meta.assigned += sign;
    }
  }
  const unassigned = meta.total_numbers - meta.assigned;
  if (meta.unassigned !== unassigned) meta.unassigned = unassigned;
  if (resortNumbers) dirFile.numbers = sortedKeys(dirFile.numbers);
  if (resort.by_workspace) meta.by_workspace = sortedKeys(meta.by_workspace);
  if (resort.by_type) meta.by_type = sortedKeys(meta.by_type);
  if (resort.by_provider) meta.by_provider = sortedKeys(meta.by_provider);

  // workspace files
  const changed: ChangedFile[] = [];
  for (const ws of [...touched].sort(compareStrings)) {
    const files = set.workspaces.get(ws)!;
    const nf = files.numbers;
    const af = files.assignments;
    let numbersChanged = false;
    let assignmentsChanged = false;
    let resortMethods = false;
    let resortAgents = false;
    for (const p of phones) {
      const b: Side = { record: before.numbers.get(p), wn: before.numbers.get(p)?.workspaces[ws] };
      const a: Side = { record: after.numbers.get(p), wn: after.numbers.get(p)?.workspaces[ws] };
      if (!b.wn && !a.wn) continue;
      const oldN = nf.numbers[indexOfPhone(nf.numbers, p)] ?? null;
      const nextN: WorkspaceNumberEntry | null = a.wn ? renderWorkspaceNumber(a.record!, a.wn) : null;
      if (!same(oldN, nextN)) numbersChanged = true;
      if (!putEntry(nf.numbers, p, nextN, b.wn !== undefined)) return null;
      const oldA = af.assignments[indexOfPhone(af.assignments, p)] ?? null;
      const nextA: AssignmentEntry | null = a.wn?.assignment ? renderAssignment(p, a.wn.assignment) : null;
      if (!same(oldA, nextA)) assignmentsChanged = true;
      if (!putEntry(af.assignments, p, nextA, Boolean(b.wn?.assignment))) return null;
      for (const [side, sign] of [[b, -1], [a, 1]] as const) {
        if (!side.wn) continue;
        nf.summary.total += sign;
        if (side.wn.assignment) nf.summary.assigned += sign;
        else nf.summary.unassigned += sign;
        resortMethods = bump(nf.summary.import_methods, side.wn.import_method, sign, false) || resortMethods;
      }
      const beforePaths = b.wn?.assignment ? agentPathsOf(b.wn.assignment) : [];
      const afterPaths = a.wn?.assignment ? agentPathsOf(a.wn.assignment) : [];
      for (const path of beforePaths) {
        if (afterPaths.includes(path)) continue;
        const list = af.by_agent[path];
        if (!list) return null;
        if (putPhone(list, p, false)) assignmentsChanged = true;
        if (list.length === 0) delete af.by_agent[path];
      }
      for (const path of afterPaths) {
        if (beforePaths.includes(path)) continue;
        if (!af.by_agent[path]) {
          af.by_agent[path] = [];
          resortAgents = true;
        }
        if (putPhone(af.by_agent[path]!, p, true)) assignmentsChanged = true;
      }
      const wasUnassigned = Boolean(b.wn && !b.wn.assignment);
      const isUnassigned = Boolean(a.wn && !a.wn.assignment);
      if (wasUnassigned !== isUnassigned && putPhone(af.unassigned, p, isUnassigned)) assignmentsChanged = true;
    }
    if (resortMethods) nf.summary.import_methods = sortedKeys(nf.summary.import_methods);
    if (resortAgents) af.by_agent = sortedKeys(af.by_agent);
    if (numbersChanged) {
      nf.last_sync = stamp;
      changed.push({ kind: 'numbers', workspace: ws });
    }
    if (assignmentsChanged) {
      af.last_updated = stamp;
      changed.push({ kind: 'assignments', workspace: ws });
    }
  }
  if (dirChanged) {
    dirFile.last_updated = stamp;
    changed.unshift({ kind: 'directory' });
  }
  return changed;
}
