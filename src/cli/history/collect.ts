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
function extract(content: Buffer, ref: ViewFileRef, phone: string): Extracted {
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
  for (const c of commits) {
    const found = commitChanges(c, records, unreadable);
    if (found.length) changes.push({ commit: c.short, date: isoSeconds(new Date(c.time * 1000)), author: c.author, subject: c.subject, changes: sortChanges(found) });
  }
  return { history: { phone_number: phone, changes }, unreadable };
}

function commitChanges(c: LoggedCommit, records: Map<string, Extracted>, unreadable: string[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of c.files) {
    const ref = viewFileOf(f.path);
    if (!ref) continue;
    const read = (sha: string | null): Extracted => (sha ? records.get(sha) ?? null : null);
    const versions = [...f.before.map(read), read(f.after)];
    // A version that is not JSON (a committed merge conflict) says nothing about the number: skip the file here.
    if (versions.includes('unreadable')) { unreadable.push(`${c.short}:${f.path}`); continue; }
    const [parents, after] = [versions.slice(0, -1) as (Record<string, unknown> | null)[], versions.at(-1) as Record<string, unknown> | null];
    if (ref.kind === 'directory') out.push(...diffDirectoryFacts(parents.map(directoryFacts), directoryFacts(after)));
    else out.push(...diffAssignmentFacts(ref.workspace, parents.map(assignmentFacts), assignmentFacts(after)));
  }
  return out;
}
