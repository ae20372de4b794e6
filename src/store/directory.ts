import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Directory, NumberRecord } from '../core/model.js';
import { DataError } from '../core/errors.js';
import { modelFromViews, type ParsedViews } from '../core/model-from-views.js';
import { renderViews, serialize, type Views } from '../core/views.js';
import type { ViewFile } from '../core/plan-drift.js';
import { isoSeconds } from '../core/time.js';
import { workspaceNameProblem } from '../core/config.js';
import { assertWithin, folderExists, readTextOrNull } from './fsutil.js';
import { DATA_DIR, projectPaths, type ProjectPaths } from './paths.js';
import { parseJsonText, formatIssue, type FileIssue } from './parse-file.js';
import { checkJsonFile } from './schema-check.js';
import { checkShape, directoryWorkspaceKeyIssues } from './shape.js';
import { scanRecord } from './record-scan.js';
import { refreshSchemaCopies } from './schema-copies.js';
import { readSnapshot, commitFiles, revisionOf, COMMIT_MARKER_NAME, type FileWrite } from './transaction.js';

export interface LoadedDirectory {
  dir: Directory;
  parsed: ParsedViews;
  /** The bytes each view file had when read (null: missing), keyed by absolute path. */
  texts: Map<string, string | null>;
  issues: FileIssue[];
  paths: ProjectPaths;
  /** The directory's revision these bytes belong to (read in the same snapshot). */
  revision: number;
}

/**
 * Workspaces are the folders of phone-numbers/ that hold a numbers.json or assignments.json. A folder whose
 * name cannot name a workspace (see workspaceNameProblem) is left out and reported in `refused`.
 */
export async function scanWorkspaceFolders(paths: ProjectPaths): Promise<{ workspaces: string[]; refused: FileIssue[] }> {
  if (!(await folderExists(paths.dataDir, DATA_DIR))) return { workspaces: [], refused: [] };
  const entries = await readdir(paths.dataDir, { withFileTypes: true });
  const workspaces: string[] = [];
  const refused: FileIssue[] = [];
  await Promise.all(entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && e.name !== 'twilio' && !e.name.startsWith('.')).map(async (e) => {
    const folder = path.join(paths.dataDir, e.name);
    if (e.isSymbolicLink()) {
      await assertWithin(paths.root, folder, `${DATA_DIR}/${e.name}`);
      if (!(await stat(folder).then((st) => st.isDirectory(), () => false))) return;
    }
    const files = await readdir(folder);
    if (!files.includes('numbers.json') && !files.includes('assignments.json')) return;
    const problem = workspaceNameProblem(e.name);
    if (problem) refused.push({ file: `${DATA_DIR}/${e.name}/`, field: '(folder)', message: `cannot be a workspace folder: ${problem}` });
    else workspaces.push(e.name);
  }));
  return { workspaces: workspaces.sort(), refused: refused.sort((x, y) => (x.file < y.file ? -1 : 1)) };
}

export async function listWorkspaceFolders(paths: ProjectPaths): Promise<string[]> {
  return (await scanWorkspaceFolders(paths)).workspaces;
}

export interface ReadOptions {
  /** Full zod schema (validate, writers) or the cheap structural check (reading commands). */
  schema: boolean;
  /** Keep each file's bytes for zero-churn writes; `validate` drops them as it goes to save memory. */
  keepTexts?: boolean;
  /** Report keys an object repeats (validate): a full pass over each file's text. */
  duplicateKeys?: boolean;
}

/** Reads every view as one consistent snapshot and builds the model; schema problems become issues. */
export async function readDirectory(root: string, opts: ReadOptions = { schema: true }): Promise<LoadedDirectory> {
  const paths = projectPaths(root);
  const { workspaces, refused } = await scanWorkspaceFolders(paths);
  await assertWithin(root, paths.dataDir, DATA_DIR);
  const files = [paths.directory, ...workspaces.flatMap((ws) => [paths.workspaceNumbers(ws), paths.workspaceAssignments(ws)])];
  const marker = path.join(paths.dataDir, COMMIT_MARKER_NAME);
  const texts = await readSnapshot(paths.dataDir, [...files, marker]);
  const revision = revisionOf(texts.get(marker) ?? null);
  texts.delete(marker);
  const issues: FileIssue[] = [...refused];
  const parse = async <T>(file: string, kind: 'directory' | 'numbers' | 'assignments'): Promise<T | null> => {
    const text = texts.get(file);
    if (text === null || text === undefined) return null;
    if (opts.keepTexts === false) texts.set(file, '');
    if (opts.schema) {
      const result = await checkJsonFile<T>(paths.rel(file), text, kind, { duplicateKeys: opts.duplicateKeys });
      const keyIssues = kind === 'directory' ? directoryWorkspaceKeyIssues(paths.rel(file), result.value) : [];
      issues.push(...result.issues, ...keyIssues);
      return keyIssues.length ? null : result.value;
    }
    const result = parseJsonText(paths.rel(file), text);
    const found = result.issues.length ? result.issues : checkShape(kind, paths.rel(file), result.value);
    issues.push(...found);
    return found.length ? null : (result.value as T);
  };
  const parsed: ParsedViews = { directory: await parse(paths.directory, 'directory'), workspaces: {} };
  if (texts.get(paths.directory) === null && workspaces.length > 0) {
    issues.push({ file: paths.rel(paths.directory), field: '(file)', message: 'missing; run phone-dir init or phone-dir sync' });
  }
  for (const ws of workspaces) {
    const numbers = await parse<ParsedViews['workspaces'][string]['numbers']>(paths.workspaceNumbers(ws), 'numbers');
    const assignments = await parse<ParsedViews['workspaces'][string]['assignments']>(paths.workspaceAssignments(ws), 'assignments');
    parsed.workspaces[ws] = { numbers, assignments };
  }
  return { dir: modelFromViews(parsed), parsed, texts, issues, paths, revision };
}

/** The directory's revision now (a cheap read of the commit marker; see revisionOf). */
export async function readRevision(root: string): Promise<number> {
  const paths = projectPaths(root);
  return revisionOf(await readTextOrNull(path.join(paths.dataDir, COMMIT_MARKER_NAME), `${DATA_DIR}/${COMMIT_MARKER_NAME}`, root));
}

/** For commands that need trustworthy data: the first problem becomes a one-line error (exit 2). */
export async function loadDirectory(root: string, opts: ReadOptions = { schema: true }): Promise<LoadedDirectory> {
  const loaded = await readDirectory(root, opts);
  if (loaded.issues.length > 0) {
    const more = loaded.issues.length > 1 ? ` (and ${loaded.issues.length - 1} more; run phone-dir validate)` : '';
    throw new DataError(`${formatIssue(loaded.issues[0]!)}${more}`);
  }
  return loaded;
}

function viewTexts(paths: ProjectPaths, views: Views): Map<string, string> {
  const out = new Map<string, string>([[paths.directory, serialize(views.directory)]]);
  for (const [ws, v] of Object.entries(views.workspaces)) {
    out.set(paths.workspaceNumbers(ws), serialize(v.numbers));
    out.set(paths.workspaceAssignments(ws), serialize(v.assignments));
  }
  return out;
}

/** The view files whose bytes differ from what their own model renders: a rewrite would change them. */
export function driftedViewFiles(loaded: Pick<LoadedDirectory, 'paths' | 'texts' | 'dir'>): ViewFile[] {
  const { paths } = loaded;
  const out: ViewFile[] = [];
  for (const [file, text] of viewTexts(paths, renderViews(loaded.dir))) {
    if (loaded.texts.get(file) === text) continue;
    if (file === paths.directory) { out.push({ kind: 'directory', name: paths.rel(file) }); continue; }
    const workspace = path.basename(path.dirname(file));
    out.push({ kind: file === paths.workspaceNumbers(workspace) ? 'numbers' : 'assignments', workspace, name: paths.rel(file) });
  }
  return out;
}

/**
 * Renders the views of `dir` for writing. A file's own timestamp (`last_updated`, `last_sync`) moves to
 * `now` only when the rest of that file changed, so a sync that finds nothing new changes no byte.
 */
export function planViewWrites(paths: ProjectPaths, dir: Directory, previous: Map<string, string | null>, now: Date): FileWrite[] {
  const first = viewTexts(paths, renderViews(dir));
  const stamp = isoSeconds(now);
  let restamped = false;
  if (first.get(paths.directory) !== previous.get(paths.directory)) {
    dir.stamps.directory.last_updated = stamp;
    restamped = true;
  }
  for (const ws of dir.workspaces) {
    const s = (dir.stamps.workspaces[ws] ??= { last_sync: null, assignments_last_updated: null });
    if (first.get(paths.workspaceNumbers(ws)) !== previous.get(paths.workspaceNumbers(ws))) { s.last_sync = stamp; restamped = true; }
    if (first.get(paths.workspaceAssignments(ws)) !== previous.get(paths.workspaceAssignments(ws))) { s.assignments_last_updated = stamp; restamped = true; }
  }
  const texts = restamped ? viewTexts(paths, renderViews(dir)) : first;
  return [...texts].map(([file, content]) => ({ path: file, content }));
}

/**
 * Writes the views (and any extra files) all-or-nothing, then refreshes phone-numbers/.schemas/ (outside
 * the transaction: a copy of the package, not directory data); returns the paths that changed.
 */
export async function writeDirectory(
  loaded: Pick<LoadedDirectory, 'paths' | 'texts'>,
  dir: Directory,
  now: Date,
  extra: FileWrite[] = [],
): Promise<string[]> {
  const writes = [...planViewWrites(loaded.paths, dir, loaded.texts, now), ...extra];
  const changed = await commitFiles(loaded.paths.dataDir, writes);
  return [...changed, ...(await refreshSchemaCopies(loaded.paths))];
}

/**
 * One number's model, read by locating its records in the views instead of parsing them whole (the fast
 * path of `show`). `undefined` means the files are not laid out as phone-dir writes them: use readDirectory.
 */
export async function readOneNumber(root: string, phone: string): Promise<{ record: NumberRecord | null; platforms: Map<string, string> } | undefined> {
  const paths = projectPaths(root);
  const workspaces = await listWorkspaceFolders(paths);
  const files = [paths.directory, ...workspaces.flatMap((ws) => [paths.workspaceNumbers(ws), paths.workspaceAssignments(ws)])];
  const texts = await readSnapshot(paths.dataDir, files);
  const scan = (file: string) => {
    const text = texts.get(file);
    if (text === null || text === undefined) return null;
    // A cut-off file cannot be trusted even where the number's record looks whole.
    if (!text.trimStart().startsWith('{') || !text.trimEnd().endsWith('}')) return undefined;
    return scanRecord(text, phone);
  };
  const shaped = <T>(file: string, kind: 'directory' | 'numbers' | 'assignments', json: unknown): T => {
    const issues = checkShape(kind, paths.rel(file), json);
    if (issues.length) throw new DataError(formatIssue(issues[0]!));
    return json as T;
  };
  const entry = scan(paths.directory);
  if (entry === undefined || texts.get(paths.directory) === null) return undefined;
  const parsed: ParsedViews = { directory: entry ? shaped(paths.directory, 'directory', { numbers: { [phone]: entry } }) : null, workspaces: {} };
  for (const ws of workspaces) {
    const n = scan(paths.workspaceNumbers(ws));
    const a = scan(paths.workspaceAssignments(ws));
    if (n === undefined || a === undefined) return undefined;
    // The views must agree about this number; if they do not, the full read names the problem.
    const listed = entry?.workspaces as Record<string, { assignment_type?: string }> | undefined;
    if (entry && (Boolean(listed?.[ws]) !== Boolean(n) || Boolean(n && listed?.[ws]?.assignment_type !== 'unassigned') !== Boolean(a))) return undefined;
    parsed.workspaces[ws] = {
      numbers: shaped(paths.workspaceNumbers(ws), 'numbers', { numbers: n ? [n] : [] }),
      assignments: shaped(paths.workspaceAssignments(ws), 'assignments', { assignments: a ? [a] : [] }),
    };
  }
  const platforms = new Map<string, string>();
  for (const ws of workspaces) {
    const platform = platformInHeader(texts.get(paths.workspaceNumbers(ws)));
    if (platform) platforms.set(ws, platform);
  }
  return { record: modelFromViews(parsed).numbers.get(phone) ?? null, platforms };
}

/** numbers.json's `platform`, written before its `numbers` list: read from the file's head without parsing it all. */
function platformInHeader(text: string | null | undefined): string | null {
  if (!text) return null;
  const head = text.slice(0, Math.max(0, text.indexOf('"numbers"')));
  return /^ {2}"platform": "([a-z][a-z0-9-]*)",?$/m.exec(head)?.[1] ?? null;
}

/** One number's record, lock-free: the one-record scan when the files allow it, else a full read. */
export async function readNumberRecord(root: string, phone: string): Promise<NumberRecord | undefined> {
  const fast = await readOneNumber(root, phone);
  if (fast) return fast.record ?? undefined;
  return (await loadDirectory(root, { schema: false })).dir.numbers.get(phone);
}
