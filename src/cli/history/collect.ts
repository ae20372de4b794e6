import { scanRecord } from '../../store/record-scan.js';
import { logFileChanges, readBlobs, requireGitWorkTree, type LoggedCommit } from '../../store/git-history.js';
import { isoSeconds } from '../../core/time.js';
import {
  assignmentFacts, diffAssignmentFacts, diffDirectoryFacts, directoryFacts, sortChanges, viewFileOf,
  type FieldChange, type HistoryCommit, type NumberHistory, type ViewFileRef,
} from '../../core/history.js';

export const HISTORY_PATHSPECS = ['phone-numbers/directory.json', 'phone-numbers/*/assignments.json'];

type Extracted = Record<string, unknown> | null | 'unreadable';

const WINDOW = 64 * 1024;

/**
 * phone-dir writes `"phone_number": "<phone>"` as each record's first key: decode only the bytes from that
 * record's `{` on, not the whole version (a sync commit's directory.json is mostly other numbers).
 */
function recordWindow(content: Buffer, phone: string): Record<string, unknown> | null {
  const needle = `"phone_number": "${phone}"`;
  const at = content.indexOf(needle);
  if (at === -1 || content.indexOf(needle, at + needle.length) !== -1) return null;
  const open = content.lastIndexOf(123, at);
  if (open === -1) return null;
  return scanRecord(content.toString('utf8', open, Math.min(content.length, open + WINDOW)), phone) ?? null;
}

/** The number's record in one version of a view, found without parsing the rest of the file when possible. */
/** A version phone-dir could not have written: committed conflict markers, or not a JSON object at all. */
function looksBroken(content: Buffer): boolean {
  let i = 0;
  while (i < content.length && (content[i] === 32 || content[i] === 10 || content[i] === 13 || content[i] === 9)) i++;
  if (content[i] !== 123) return true;
  // Searched without the leading newline: a needle starting with a common byte is ten times slower.
  for (let at = content.indexOf('<<<<<<< '); at !== -1; at = content.indexOf('<<<<<<< ', at + 1)) {
    if (at === 0 || content[at - 1] === 10) return true;
  }
  return false;
}

function extract(content: Buffer, ref: ViewFileRef, phone: string): Extracted {
  if (looksBroken(content)) return 'unreadable';
  if (content.indexOf(`"${phone}"`) === -1) return null;
  const quick = recordWindow(content, phone);
  if (quick) return quick;
  const text = content.toString('utf8');
  const found = scanRecord(text, phone);
  if (found !== undefined) return found;
  try {
    const json = JSON.parse(text) as { numbers?: Record<string, unknown>; assignments?: unknown[] };
    if (ref.kind === 'directory') {
      const entry = json.numbers && Object.hasOwn(json.numbers, phone) ? json.numbers[phone] : null;
      return entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : null;
    }
    const entry = Array.isArray(json.assignments) ? json.assignments.find((a) => (a as { phone_number?: unknown })?.phone_number === phone) : null;
    return entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : null;
  } catch {
    return 'unreadable';
  }
}

export interface HistoryResult { history: NumberHistory; unreadable: string[] }

/**
 * Every commit that changed this number's entries, newest first. Git lists only the commits that touched the
 * views; each distinct blob is read once (one version is the "after" of one commit and the "before" of the
 * next) and reduced at once to the number's record.
 */
export async function numberHistory(root: string, phone: string): Promise<HistoryResult> {
  await requireGitWorkTree(root);
  const commits = await logFileChanges(root, HISTORY_PATHSPECS);
  const refs = new Map<string, ViewFileRef>();
  const wanted = new Set<string>();
  for (const c of commits) {
    for (const f of c.files) {
      const ref = viewFileOf(f.path);
      if (!ref) continue;
      for (const sha of [...f.before, f.after]) if (sha) { wanted.add(sha); refs.set(sha, ref); }
    }
  }
  const records = new Map<string, Extracted>();
  await readBlobs(root, [...wanted], (sha, content) => { records.set(sha, extract(content, refs.get(sha)!, phone)); });
  const unreadable: string[] = [];
  const changes: HistoryCommit[] = [];
  // Oldest first (Git lists parents after their children), so a broken version can stand for the last good one.
  for (const c of [...commits].reverse()) {
    const found = commitChanges(c, records, unreadable);
    if (found.length) changes.push({ commit: c.short, date: isoSeconds(new Date(c.time * 1000)), author: c.author, subject: c.subject, changes: sortChanges(found) });
  }
  return { history: { phone_number: phone, changes: changes.reverse() }, unreadable: unreadable.reverse() };
}

function commitChanges(c: LoggedCommit, records: Map<string, Extracted>, unreadable: string[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of c.files) {
    const ref = viewFileOf(f.path);
    if (!ref) continue;
    const read = (sha: string | null): Extracted => (sha ? records.get(sha) ?? null : null);
    const parents = f.before.map(read);
    const after = read(f.after);
    // A version that is not JSON (a committed merge conflict) says nothing about the number: it stands for the
    // last good version, so the commit that repairs it reports what changed across the gap, and nothing twice.
    if (after === 'unreadable' || parents.includes('unreadable')) {
      unreadable.push(`${c.short}:${f.path}`);
      if (after === 'unreadable' && f.after) records.set(f.after, parents[0] ?? null);
      continue;
    }
    const good = parents as (Record<string, unknown> | null)[];
    if (ref.kind === 'directory') out.push(...diffDirectoryFacts(good.map(directoryFacts), directoryFacts(after)));
    else out.push(...diffAssignmentFacts(ref.workspace, good.map(assignmentFacts), assignmentFacts(after)));
  }
  return out;
}
