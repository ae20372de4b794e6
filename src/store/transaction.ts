/**
 * All-or-nothing multi-file writes that survive kill -9 (and power loss, where the filesystem honours fsync)
 * at any point, plus lock-free consistent snapshot reads.
 *
 * Targets may be anywhere inside the parent of `txnDir` (the project root: `init` also writes `.gitignore`).
 * Layout inside `txnDir` (the `phone-numbers/` directory; everything here is gitignored):
 *   .txn                      the journal; its existence is the commit point
 *   .txn.<txid>.tmp           the journal before the commit point (also the record of what was staged)
 *   <target>.<txid>.tmp       staged content, beside its target (so also outside txnDir for root files)
 *   .txn-seq.tmp              commit marker: replaced (new inode) by every commit just before its journal is
 *                             removed, so that lock-free readers can detect that a commit happened meanwhile;
 *                             it holds the directory's revision (see revisionOf)
 *
 * Commit protocol (the caller holds the directory lock):
 *   1. finish any interrupted transaction (roll forward a journal left by a crash);
 *   2. skip files whose bytes are already identical; nothing left → return [] without touching the disk;
 *   3. write the journal to `.txn.<txid>.tmp` and fsync it *before* staging anything when a target lies outside
 *      txnDir: until the commit point it is the list of staged files a rollback must delete (the stray-temp
 *      scan does not look outside txnDir); when every target is inside, it is written alongside the temps;
 *   4. stage every new content in `<target>.<txid>.tmp` (mkdir -p parents, write, fsync), then fsync every
 *      directory holding a temp (and the parents of directories created), so the temps' directory entries are
 *      durable *before* the journal: otherwise a power loss could keep the journal but lose a temp, and
 *      recovery would take "temp missing" for "already renamed" and leave that target old;
 *   5. rename `.txn.<txid>.tmp` to `.txn`, fsync txnDir  ← commit point;
 *   6. rename each temp over its target, unlink the files to delete, fsync the directories touched, remove
 *      directories (inside txnDir) left empty by deletions;
 *   7. replace the commit marker, remove the journal, fsync txnDir.
 * Recovery: journal present → redo steps 6-7 (a missing temp means that rename already happened; unlinking an
 * absent file is a no-op, so redoing is idempotent, also if recovery itself is killed). Then, and when there is
 * no journal, roll back abandoned attempts: delete the temps listed by every `.txn.<txid>.tmp` and every stray
 * `*.<txid>.tmp` under txnDir (those transactions never reached their commit point).
 *
 * Snapshot reads (no lock): see readSnapshot.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp, type BigIntStats } from 'node:fs';
import path from 'node:path';
import {
  assertWithin,
  errCode,
  fsyncDir,
  isInside,
  isNotFound,
  mkdirpDurable,
  openFileForReading,
  readBytesOrNull,
  readTextOrNull,
  sleep,
  unlinkIfExists,
  UnusablePathError,
  writeNewFileDurable,
} from './fsutil.js';

export interface FileWrite {
  /** absolute path, inside txnDir */
  path: string;
  /** null = delete the file */
  content: string | null;
}

export type RecoveryResult = 'none' | 'rolled-forward' | 'rolled-back';

export const JOURNAL_NAME = '.txn';
export const COMMIT_MARKER_NAME = '.txn-seq.tmp';
/** Staged files of phone-dir transactions: `<anything>.pd-<base36 time>-<8 hex>.tmp`. */
const TEMP_RE = /\.pd-[0-9a-z]+-[0-9a-f]{8}\.tmp$/;
const TXID_RE = /^pd-[0-9a-z]+-[0-9a-f]{8}$/;

/** A journal that cannot be read back: the repository needs a human (exit code 2: invalid data file). */
export class TransactionJournalError extends Error {
  readonly exitCode = 2;
  readonly hint: string;
  constructor(message: string, journalPath: string) {
    super(message);
    this.name = 'TransactionJournalError';
    this.hint =
      `${journalPath} records an interrupted multi-file write. Restore the files under its directory from git ` +
      `(git checkout -- phone-numbers/), then delete ${journalPath} and the *.tmp files beside the data files.`;
  }
}

/** readSnapshot could not get a consistent view before its deadline (files kept changing). */
export class SnapshotTimeoutError extends Error {
  readonly exitCode = 70;
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotTimeoutError';
  }
}

interface JournalEntry {
  /** absolute target path */
  target: string;
  /** absolute temp path, or null when the target is to be deleted */
  temp: string | null;
}
interface Journal {
  txid: string;
  entries: JournalEntry[];
}
/** On-disk form: paths relative to txnDir with '/' separators, so a moved or re-mounted checkout still recovers. */
interface JournalFile {
  version: 1;
  txid: string;
  created: string;
  entries: { target: string; temp?: string; delete?: true }[];
}

function newTxid(): string {
  return `pd-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

function toRel(dir: string, abs: string): string {
  return path.relative(dir, abs).split(path.sep).join('/');
}

/** Targets must lie inside the project root, the parent of txnDir. */
function scopeOf(dir: string): string {
  return path.dirname(dir);
}

/** A path segment of a file phone-dir writes: no `..`, no hidden name (`.git`, `.lock`…). */
const PLAIN_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Why phone-dir would never write `abs` (null: it may). A journal may only name phone-dir's own files,
 * so that a forged one cannot make recovery delete or replace anything else (`../.git/HEAD`): the
 * project's `.gitignore`, and `.json` files under txnDir (the views and the runtime files) other than
 * the hand-written pools.json.
 */
function targetProblem(dir: string, abs: string): string | null {
  if (abs === path.join(scopeOf(dir), '.gitignore')) return null;
  if (!isInside(dir, abs)) return `outside ${dir}`;
  const segments = path.relative(dir, abs).split(path.sep);
  if (!segments.every((s) => PLAIN_SEGMENT.test(s)) || !abs.endsWith('.json')) return 'not a file phone-dir writes';
  if (segments.length === 1 && segments[0] === 'pools.json') return 'pools.json is written by hand, never by phone-dir';
  return null;
}

function fromRel(dir: string, rel: string, journalPath: string, kind: 'target' | 'temp'): string {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0') || path.isAbsolute(rel) || rel.includes('\\')) {
    throw new TransactionJournalError(`Invalid path ${JSON.stringify(rel)} in transaction journal ${journalPath}`, journalPath);
  }
  const abs = path.resolve(dir, ...rel.split('/'));
  // A temp is checked against its target instead (it must be `<target>.<txid>.tmp`).
  const problem = kind === 'target' ? targetProblem(dir, abs) : isInside(scopeOf(dir), abs) ? null : `outside ${scopeOf(dir)}`;
  if (problem !== null) {
    throw new TransactionJournalError(`Invalid path ${JSON.stringify(rel)} in transaction journal ${journalPath}: ${problem}; nothing was changed`, journalPath);
  }
  return abs;
}

function serializeJournal(dir: string, j: Journal): string {
  const file: JournalFile = {
    version: 1,
    txid: j.txid,
    created: new Date().toISOString(),
    entries: j.entries.map((e) => (e.temp === null ? { target: toRel(dir, e.target), delete: true } : { target: toRel(dir, e.target), temp: toRel(dir, e.temp) })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function parseJournal(dir: string, text: string, journalPath: string): Journal {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new TransactionJournalError(`Transaction journal ${journalPath} is not valid JSON (${(err as Error).message})`, journalPath);
  }
  const f = raw as Partial<JournalFile> | null;
  if (!f || typeof f !== 'object' || f.version !== 1 || typeof f.txid !== 'string' || !TXID_RE.test(f.txid) || !Array.isArray(f.entries)) {
    throw new TransactionJournalError(`Transaction journal ${journalPath} has an unknown format`, journalPath);
  }
  const txid = f.txid;
  const entries = f.entries.map((e): JournalEntry => {
    if (!e || typeof e !== 'object') throw new TransactionJournalError(`Transaction journal ${journalPath} has an invalid entry`, journalPath);
    const target = fromRel(dir, e.target, journalPath, 'target');
    if (e.delete === true && e.temp === undefined) return { target, temp: null };
    const temp = fromRel(dir, e.temp as string, journalPath, 'temp');
    if (temp !== `${target}.${txid}.tmp`) {
      throw new TransactionJournalError(`Transaction journal ${journalPath}: staged file ${JSON.stringify(e.temp)} does not belong to ${JSON.stringify(e.target)}`, journalPath);
    }
    return { target, temp };
  });
  return { txid, entries };
}

async function readJournal(dir: string): Promise<Journal | null> {
  const journalPath = path.join(dir, JOURNAL_NAME);
  const text = await readTextOrNull(journalPath, shown(dir, journalPath), scopeOf(dir));
  return text === null ? null : parseJournal(dir, text, journalPath);
}

/** A path as messages show it: relative to the project root. */
function shown(dir: string, abs: string): string {
  return toRel(scopeOf(dir), abs);
}

/** Writes go only where the project's real folders are: never through a symbolic link leading out of it. */
async function assertTargetsWithin(dir: string, targets: string[]): Promise<void> {
  const parents = new Set([dir, ...targets.map((t) => path.dirname(t))]);
  for (const parent of parents) await assertWithin(scopeOf(dir), parent, shown(dir, parent) || '.');
}

/** The commit marker must be replaceable: a folder or FIFO of that name would fail every commit after its commit point. */
async function assertMarkerReplaceable(dir: string): Promise<void> {
  const marker = path.join(dir, COMMIT_MARKER_NAME);
  try {
    const st = await fsp.lstat(marker);
    if (!st.isFile()) throw new UnusablePathError(`${shown(dir, marker)} is not a regular file`, `phone-dir replaces ${shown(dir, marker)} on every write: remove it`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

function checkTargets(dir: string, writes: FileWrite[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const w of writes) {
    if (!path.isAbsolute(w.path)) throw new Error(`commitFiles: path must be absolute: ${w.path}`);
    const abs = path.resolve(w.path);
    if (!isInside(scopeOf(dir), abs)) throw new Error(`commitFiles: ${abs} is not inside ${scopeOf(dir)}`);
    if (abs === dir) throw new Error(`commitFiles: ${abs} is the transaction directory itself`);
    const base = path.basename(abs);
    if (abs === path.join(dir, JOURNAL_NAME) || abs === path.join(dir, COMMIT_MARKER_NAME) || base.endsWith('.tmp') || base === '.lock' || base.startsWith('.lock.')) {
      throw new Error(`commitFiles: ${abs} is a reserved file name`);
    }
    // Recovery would refuse a journal naming it: never write one.
    const problem = targetProblem(dir, abs);
    if (problem !== null) throw new Error(`commitFiles: ${abs}: ${problem}`);
    if (w.content !== null && typeof w.content !== 'string') throw new Error(`commitFiles: content of ${abs} must be a string or null`);
    if (out.has(abs)) throw new Error(`commitFiles: ${abs} is listed twice`);
    out.set(abs, w.content);
  }
  return out;
}

/** Removes directories left empty by deletions, up to (not including) txnDir. Best effort. */
async function pruneEmptyDirs(dir: string, from: string): Promise<void> {
  let cur = from;
  while (isInside(dir, cur)) {
    try {
      await fsp.rmdir(cur);
    } catch {
      return; // not empty, gone, or not removable: stop
    }
    cur = path.dirname(cur);
  }
}

/**
 * The directory's revision: the count of commits, kept in the commit marker (`<revision> <txid>`). It only
 * grows (a replayed journal may bump it twice); a reader that saw revision N and finds N again under the lock
 * knows no command committed in between. A marker without one (older phone-dir) counts as 0.
 */
export function revisionOf(markerText: string | null): number {
  const n = Number.parseInt(markerText ?? '', 10);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

async function replaceCommitMarker(dir: string, txid: string): Promise<void> {
  const marker = path.join(dir, COMMIT_MARKER_NAME);
  const tmp = `${marker}.${txid}.tmp`;
  const previous = await readBytesOrNull(marker);
  await fsp.writeFile(tmp, `${revisionOf(previous?.toString('utf8') ?? null) + 1} ${txid}\n`, { flag: 'w' });
  await fsp.rename(tmp, marker);
}

/** Steps 6-7 of the protocol; idempotent, used by commitFiles and by recovery. */
async function applyJournal(dir: string, j: Journal): Promise<void> {
  const touched = new Set<string>();
  const deletedIn = new Set<string>();
  for (const e of j.entries) {
    const parent = path.dirname(e.target);
    if (e.temp !== null) {
      try {
        await fsp.rename(e.temp, e.target);
      } catch (err) {
        if (!isNotFound(err)) throw err; // temp missing: this rename already happened before the crash
      }
    } else {
      await unlinkIfExists(e.target);
      deletedIn.add(parent);
    }
    touched.add(parent);
  }
  await Promise.all([...touched].map(fsyncDir));
  for (const d of deletedIn) await pruneEmptyDirs(dir, d);
  await replaceCommitMarker(dir, j.txid);
  await unlinkIfExists(path.join(dir, JOURNAL_NAME));
  await fsyncDir(dir);
}

/** Every file under dir (recursively, not following symlinks) whose name looks like a staged write. */
async function findStrayTemps(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(d, { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err) || errCode(err) === 'ENOTDIR') return;
      throw err;
    }
    for (const ent of entries) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) {
        if (ent.name !== '.git' && ent.name !== 'node_modules') await walk(p);
      } else if (TEMP_RE.test(ent.name)) {
        found.push(p);
      }
    }
  };
  await walk(dir);
  return found.sort();
}

/**
 * Rolls back transactions that never reached their commit point: deletes the temps listed by each abandoned
 * `.txn.<txid>.tmp` (they may lie outside txnDir), then every stray staged file under txnDir. Returns how many
 * files it deleted.
 */
async function rollBackAbandoned(dir: string): Promise<number> {
  const temps = await findStrayTemps(dir);
  const journalTemps = temps.filter((t) => path.dirname(t) === dir && path.basename(t).startsWith(`${JOURNAL_NAME}.`));
  const listed: string[] = [];
  for (const jt of journalTemps) {
    try {
      const j = parseJournal(dir, (await readTextOrNull(jt, shown(dir, jt))) ?? '', jt);
      for (const e of j.entries) if (e.temp !== null && !isInside(dir, e.temp)) listed.push(e.temp);
    } catch {
      // incomplete: the process died while writing it, before staging anything
    }
  }
  let n = 0;
  const parents = new Set<string>();
  for (const t of [...listed, ...temps]) {
    if (await unlinkIfExists(t)) {
      n++;
      parents.add(path.dirname(t));
    }
  }
  for (const p of parents) await fsyncDir(p);
  return n;
}

/**
 * Finishes or discards a transaction interrupted by a crash. Call at the start of every mutating command,
 * under the directory lock.
 */
export async function recoverTransaction(txnDir: string): Promise<RecoveryResult> {
  const dir = path.resolve(txnDir);
  const journal = await readJournal(dir);
  if (journal) {
    await assertTargetsWithin(dir, journal.entries.map((e) => e.target));
    await applyJournal(dir, journal);
    await rollBackAbandoned(dir); // temps of older attempts that never committed
    return 'rolled-forward';
  }
  return (await rollBackAbandoned(dir)) > 0 ? 'rolled-back' : 'none';
}

interface Change {
  target: string;
  content: Buffer | null;
  mode: number | null;
}

/**
 * Writes all files or none, even across a crash. Skips files whose bytes are already identical. Returns the
 * absolute paths actually changed (created/modified/deleted), sorted. The caller must hold the directory lock.
 * A journal left by an earlier crash is rolled forward first (readSnapshot already showed its result).
 */
export async function commitFiles(txnDir: string, writes: FileWrite[]): Promise<string[]> {
  const dir = path.resolve(txnDir);
  const planned = checkTargets(dir, writes);
  await assertTargetsWithin(dir, [...planned.keys()]);
  await assertMarkerReplaceable(dir);
  const pending = await readJournal(dir);
  if (pending) {
    await assertTargetsWithin(dir, pending.entries.map((e) => e.target));
    await applyJournal(dir, pending);
  }

  const compared = await Promise.all(
    [...planned.keys()].sort().map(async (target): Promise<Change | null> => {
      const content = planned.get(target) ?? null;
      const bytes = content === null ? null : Buffer.from(content, 'utf8');
      let exists = false;
      let same = false;
      let mode: number | null = null;
      // Missing also when a parent is a file: mkdirpDurable reports that one.
      const fh = await openFileForReading(target, shown(dir, target), scopeOf(dir));
      if (fh !== null) {
        exists = true;
        try {
          if (bytes !== null) {
            const st = await fh.stat();
            mode = st.mode & 0o7777;
            // Only a file of the same size can hold the same bytes: the others need not be read.
            same = st.size === bytes.length && (await fh.readFile()).equals(bytes);
          }
        } finally {
          await fh.close();
        }
      }
      if (bytes === null) return exists ? { target, content: null, mode: null } : null;
      return same ? null : { target, content: bytes, mode };
    }),
  );
  const changes = compared.filter((c): c is Change => c !== null);
  if (changes.length === 0) return [];

  const txid = newTxid();
  const journalPath = path.join(dir, JOURNAL_NAME);
  const journalTmp = `${journalPath}.${txid}.tmp`;
  const journal: Journal = {
    txid,
    entries: changes.map((c) => ({ target: c.target, temp: c.content === null ? null : `${c.target}.${txid}.tmp` })),
  };
  const staged: string[] = [];
  let committed = false;
  try {
    await mkdirpDurable(dir);
    const toStage = changes.filter((c): c is Change & { content: Buffer } => c.content !== null);
    // See step 3: only temps outside txnDir need the journal on disk first (the stray-temp scan finds the others).
    const journalFirst = toStage.some((c) => !isInside(dir, c.target));
    const writeJournal = () => writeNewFileDurable(journalTmp, serializeJournal(dir, journal));
    if (journalFirst) await writeJournal();
    const dirsToSync = new Set<string>([dir]);
    for (const c of toStage) {
      const parent = path.dirname(c.target);
      await mkdirpDurable(parent);
      dirsToSync.add(parent);
      staged.push(`${c.target}.${txid}.tmp`);
    }
    // write + fsync the temps (and the journal) concurrently (the fsyncs overlap), then make their directory entries durable
    const writes = await Promise.allSettled([
      ...(journalFirst ? [] : [writeJournal()]),
      ...toStage.map(async (c) => {
        const temp = `${c.target}.${txid}.tmp`;
        await writeNewFileDurable(temp, c.content);
        if (c.mode !== null) await fsp.chmod(temp, c.mode);
      }),
    ]);
    const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all([...dirsToSync].map(fsyncDir));
    await fsp.rename(journalTmp, journalPath);
    committed = true; // ← commit point
    await fsyncDir(dir);
  } catch (err) {
    if (!committed) {
      for (const t of staged) await unlinkIfExists(t).catch(() => false);
      await unlinkIfExists(journalTmp).catch(() => false);
      throw err;
    }
    // Past the commit point (only the directory fsync failed): finish the transaction, then report.
    await applyJournal(dir, journal);
    throw err;
  }
  await applyJournal(dir, journal);
  return changes.map((c) => c.target).sort();
}

// ---------------------------------------------------------------------------------------------------------
// Snapshot reads
// ---------------------------------------------------------------------------------------------------------

export interface SnapshotOptions {
  /** Give up (SnapshotTimeoutError) when no consistent view was obtained within this time. Default 10 s. */
  timeoutMs?: number;
}

interface Identity {
  dev: bigint;
  ino: bigint;
}

type Plan =
  | { kind: 'target'; target: string }
  /** listed in a present journal with staged content: post-commit view is the temp, or the target once renamed */
  | { kind: 'staged'; target: string; temp: string }
  /** listed in a present journal for deletion: post-commit view is "missing" */
  | { kind: 'deleted'; target: string };

interface ReadResult {
  plan: Plan;
  value: string | null;
  fh: fsp.FileHandle | null;
  st: BigIntStats | null;
}

async function statIdentity(p: string): Promise<Identity | null> {
  try {
    const st = await fsp.stat(p, { bigint: true });
    return { dev: st.dev, ino: st.ino };
  } catch (err) {
    if (isNotFound(err) || errCode(err) === 'ENOTDIR') return null;
    throw err;
  }
}

function sameIdentity(a: Identity | null, b: Identity | null): boolean {
  if (a === null || b === null) return a === b;
  return a.dev === b.dev && a.ino === b.ino;
}

function openOrNull(dir: string, p: string): Promise<fsp.FileHandle | null> {
  return openFileForReading(p, shown(dir, p), scopeOf(dir));
}

/** Reads the whole file through an open handle; returns the content and the fstat taken before reading. */
async function readHandle(fh: fsp.FileHandle): Promise<{ text: string; st: BigIntStats }> {
  const st = await fh.stat({ bigint: true });
  const size = Number(st.size);
  let buf = Buffer.allocUnsafe(size > 0 ? size : 0);
  let off = 0;
  for (;;) {
    if (off === buf.length) {
      // the file may have grown since fstat (in-place edit): keep reading; the re-check will retry anyway
      const more = Buffer.allocUnsafe(Math.max(64 * 1024, buf.length));
      const { bytesRead } = await fh.read(more, 0, more.length, off);
      if (bytesRead === 0) break;
      buf = Buffer.concat([buf.subarray(0, off), more.subarray(0, bytesRead)]);
      off += bytesRead;
      continue;
    }
    const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
    if (bytesRead === 0) {
      buf = buf.subarray(0, off);
      break;
    }
    off += bytesRead;
  }
  return { text: buf.toString('utf8'), st };
}

async function readPlanned(dir: string, plan: Plan): Promise<ReadResult> {
  if (plan.kind === 'deleted') return { plan, value: null, fh: null, st: null };
  let fh: fsp.FileHandle | null = null;
  if (plan.kind === 'staged') fh = await openOrNull(dir, plan.temp);
  if (fh === null) fh = await openOrNull(dir, plan.target);
  if (fh === null) return { plan, value: null, fh: null, st: null };
  try {
    const { text, st } = await readHandle(fh);
    return { plan, value: text, fh, st };
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
}

/** True when what was read is still what the path (or, for staged entries, temp-or-target) designates. */
async function stillValid(r: ReadResult): Promise<boolean> {
  const { plan } = r;
  if (plan.kind === 'deleted') return true;
  if (r.fh === null || r.st === null) {
    if ((await statIdentity(plan.target)) !== null) return false;
    return plan.kind === 'target' || (await statIdentity(plan.temp)) === null;
  }
  const now = await r.fh.stat({ bigint: true });
  if (now.size !== r.st.size || now.mtimeNs !== r.st.mtimeNs) return false; // modified in place
  const held: Identity = { dev: now.dev, ino: now.ino };
  if (sameIdentity(await statIdentity(plan.target), held)) return true;
  return plan.kind === 'staged' && sameIdentity(await statIdentity(plan.temp), held);
}

type Attempt = { ok: true; values: Map<string, string | null> } | { ok: false };

async function attemptSnapshot(dir: string, targets: string[]): Promise<Attempt> {
  const handles: fsp.FileHandle[] = [];
  try {
    // 1. commit marker, then journal: both held open so their inode numbers cannot be recycled meanwhile
    const markerPath = path.join(dir, COMMIT_MARKER_NAME);
    const journalPath = path.join(dir, JOURNAL_NAME);
    const markerFh = await openOrNull(dir, markerPath);
    if (markerFh) handles.push(markerFh);
    const markerId = markerFh ? await handleIdentity(markerFh) : null;
    const journalFh = await openOrNull(dir, journalPath);
    let journal: Journal | null = null;
    let journalId: Identity | null = null;
    if (journalFh) {
      handles.push(journalFh);
      journalId = await handleIdentity(journalFh);
      journal = parseJournal(dir, (await readHandle(journalFh)).text, journalPath);
    }
    // 2. plan: with a journal present, show the post-commit view of the files it lists
    const inJournal = new Map<string, JournalEntry>();
    for (const e of journal?.entries ?? []) inJournal.set(e.target, e);
    const plans = targets.map((target): Plan => {
      const e = inJournal.get(target);
      if (!e) return { kind: 'target', target };
      return e.temp === null ? { kind: 'deleted', target } : { kind: 'staged', target, temp: e.temp };
    });
    // 3. read everything (in parallel), keeping every handle open until the re-check
    const settled = await Promise.allSettled(plans.map((plan) => readPlanned(dir, plan)));
    const results: ReadResult[] = [];
    let failure: unknown = null;
    for (const s of settled) {
      if (s.status === 'fulfilled') {
        results.push(s.value);
        if (s.value.fh) handles.push(s.value.fh);
      } else if (failure === null) {
        failure = s.reason;
      }
    }
    if (failure !== null) throw failure;
    // 4. re-check: every file, then the journal, then the commit marker (this order matters: a commit
    //    replaces the marker *before* removing its journal, so a commit that overlapped the reads shows up
    //    either as a journal change or as a marker change)
    for (const r of results) if (!(await stillValid(r))) return { ok: false };
    if (!sameIdentity(await statIdentity(journalPath), journalId)) return { ok: false };
    if (!sameIdentity(await statIdentity(markerPath), markerId)) return { ok: false };
    const values = new Map<string, string | null>();
    for (const r of results) values.set(r.plan.target, r.value);
    return { ok: true, values };
  } finally {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }
}

async function handleIdentity(fh: fsp.FileHandle): Promise<Identity> {
  const st = await fh.stat({ bigint: true });
  return { dev: st.dev, ino: st.ino };
}

/**
 * Reads several files as one consistent snapshot without taking the lock: never a mix of before and after a
 * concurrent commit. While a journal is present (a commit in progress, or one interrupted by a crash and not
 * yet recovered) the files it lists are shown as they will be after it completes. Missing files → null.
 * The map is keyed by the paths as given.
 */
export async function readSnapshot(txnDir: string, paths: string[], opts: SnapshotOptions = {}): Promise<Map<string, string | null>> {
  const dir = path.resolve(txnDir);
  const targets = [...new Set(paths.map((p) => path.resolve(p)))];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    const r = await attemptSnapshot(dir, targets);
    if (r.ok) {
      const out = new Map<string, string | null>();
      for (const p of paths) out.set(p, r.values.get(path.resolve(p)) ?? null);
      return out;
    }
    if (Date.now() - start >= timeoutMs) {
      throw new SnapshotTimeoutError(`Could not read a consistent snapshot of ${paths.length} file(s) in ${dir}: they kept changing for ${timeoutMs} ms (attempts: ${attempt + 1})`);
    }
    // a few immediate retries (a commit usually finishes within one of them), then short jittered waits
    if (attempt >= 2) await sleep(Math.min(50, 2 ** (attempt - 2)) * (0.5 + Math.random()));
  }
}
