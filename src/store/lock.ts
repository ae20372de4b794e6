/**
 * The directory lock (`phone-numbers/.lock`), taken by every mutating command.
 *
 * - Taking it: the holder JSON is written to a private temp file which is then hard-linked to the lock path
 *   (link fails with EEXIST when the lock exists), so the lock never appears empty or half-written. On
 *   filesystems without hard links, falls back to O_CREAT|O_EXCL (`wx`).
 * - Heartbeat: the holder refreshes the lock's mtime every few seconds through its own open descriptor (an
 *   unref'd timer), so it can never refresh somebody else's lock.
 * - Stale: a holder on this machine whose pid is dead (or whose pid now belongs to another process, or whose
 *   machine rebooted since) is stale at once; a holder on another machine (or in another pid namespace) is
 *   stale when its heartbeat is older than `staleMs`. A live holder on this machine is never robbed, however
 *   old its lock file is.
 * - Breaking a stale lock whose token is T: only under the guard `<lock>.break.<T>` (created exclusively);
 *   under it the lock is re-read and unlinked only if it still carries token T (tokens are never reused, so a
 *   lock taken meanwhile by someone else is never removed). A guard left by a dead breaker is itself broken
 *   the same way (guard `<lock>.break.<guard token>`).
 * - release() removes the lock only while the path still designates our own inode; an `exit` listener does the
 *   same synchronously when the process exits without calling release() (process.exit in a try block).
 *   kill -9 leaves the lock behind; the next process on this machine takes it over at once (pid dead).
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { assertWithin, errCode, folderExists, isNotFound, openFileForReading, sleep, unlinkIfExists } from './fsutil.js';
import { machineIdentity, pidAlive, pidStartTime } from './process-identity.js';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  /** ISO 8601: when the lock was taken */
  since: string;
  token: string;
  /** Linux: kernel boot id; a different one on the same host means the holder died with a reboot */
  bootId?: string;
  /** Linux: pid namespace; pids are only comparable inside one namespace (containers sharing a hostname) */
  pidNs?: string;
  /** Linux: start time of the holder's process (clock ticks since boot), to detect a recycled pid */
  pidStart?: string;
}

export interface LockOptions {
  timeoutMs: number;
  command: string;
  /** heartbeat age after which a holder on ANOTHER host counts as dead; default 60 s */
  staleMs?: number;
  /** called when the lock is found taken, and again whenever the holder changes */
  onWait?: (holder: LockHolder) => void;
  /** heartbeat period; default staleMs / 4, at most 5 s */
  heartbeatMs?: number;
}

export interface LockHandle {
  holder: LockHolder;
  release(): Promise<void>;
}

/** The lock could not be taken in time (exit code 3). */
export class LockTimeoutError extends Error {
  readonly exitCode = 3;
  readonly lockPath: string;
  readonly timeoutMs: number;
  /** the holder seen last; null if the lock file could not be read as a holder */
  readonly holder: LockHolder | null;
  readonly hint: string;
  constructor(lockPath: string, timeoutMs: number, holder: LockHolder | null) {
    const who = holder
      ? `held by pid ${holder.pid} on host ${holder.host} running "${holder.command}" since ${holder.since}`
      : 'held by an unknown process (the lock file is unreadable)';
    super(`Could not take the directory lock ${lockPath} within ${formatMs(timeoutMs)}: ${who}`);
    this.name = 'LockTimeoutError';
    this.lockPath = lockPath;
    this.timeoutMs = timeoutMs;
    this.holder = holder;
    this.hint =
      'Wait for that command to finish or raise --lock-timeout. A lock left by a process that died is taken over ' +
      'automatically (at once on the same machine; after its heartbeat goes stale from another machine).';
  }
}

function formatMs(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const DEFAULT_STALE_MS = 60_000;

// ----------------------------------------------------------------------------------------------------------
// Machine / process identity
// ----------------------------------------------------------------------------------------------------------

const machine = machineIdentity;

function makeHolder(command: string): LockHolder {
  const m = machine();
  const h: LockHolder = {
    pid: process.pid,
    host: m.host,
    command,
    since: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  if (m.bootId) h.bootId = m.bootId;
  if (m.pidNs) h.pidNs = m.pidNs;
  const start = pidStartTime(process.pid);
  if (start) h.pidStart = start;
  return h;
}


// ----------------------------------------------------------------------------------------------------------
// Reading lock-like files
// ----------------------------------------------------------------------------------------------------------

interface Observed {
  holder: LockHolder | null;
  /** the holder's token, or a stand-in derived from the inode when the file is unreadable */
  id: string;
  ino: bigint;
  mtimeMs: number;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder> | null;
    if (v && typeof v === 'object' && typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string' && /^[0-9a-z]+$/i.test(v.token)) {
      return {
        ...v,
        pid: v.pid,
        host: v.host,
        token: v.token,
        command: typeof v.command === 'string' ? v.command : '',
        since: typeof v.since === 'string' ? v.since : '',
      };
    }
  } catch {
    /* fallthrough */
  }
  return null;
}

/** `phone-numbers/.lock`: the lock's path as messages show it. */
function shownLockPath(file: string): string {
  return path.join(path.basename(path.dirname(file)), path.basename(file));
}

/**
 * Reads a lock (or guard) file through one descriptor, so content, inode and mtime belong together. A folder
 * or FIFO in its place is an error naming it (exit 2), never a wait.
 */
async function observe(file: string): Promise<Observed | null> {
  const fh = await openFileForReading(file, shownLockPath(file));
  if (fh === null) return null;
  try {
    const st = await fh.stat({ bigint: true });
    const text = await fh.readFile('utf8');
    const holder = parseHolder(text);
    return { holder, id: holder ? holder.token : `ino${st.ino}`, ino: st.ino, mtimeMs: Number(st.mtimeMs) };
  } finally {
    await fh.close();
  }
}

/**
 * How long a lock file that holds no readable holder may be young: its writer fills it before linking it
 * into place (or, without hard links, right after creating it), and heartbeats it, so one unreadable for
 * two heartbeats is garbage, not a lock being taken.
 */
function unreadableGraceMs(staleMs: number): number {
  return 2 * defaultHeartbeatMs(staleMs);
}

function defaultHeartbeatMs(staleMs: number): number {
  return Math.max(20, Math.min(5000, Math.floor(staleMs / 4)));
}

function isStale(o: Observed, staleMs: number, now = Date.now()): boolean {
  const h = o.holder;
  const heartbeatAge = now - o.mtimeMs;
  if (!h) return heartbeatAge > unreadableGraceMs(staleMs); // unreadable: only its age tells
  const m = machine();
  const sameMachine = h.host === m.host && (h.pidNs === undefined || m.pidNs === undefined || h.pidNs === m.pidNs);
  if (!sameMachine) return heartbeatAge > staleMs;
  if (h.bootId && m.bootId && h.bootId !== m.bootId) return true; // rebooted since
  if (!pidAlive(h.pid)) return true;
  if (h.pidStart) {
    const start = pidStartTime(h.pid);
    if (start !== undefined && start !== h.pidStart) return true; // pid recycled by another process
  }
  return false; // a live holder on this machine is never robbed
}

/** Returns the current holder of the lock, or null when the lock is free (or unreadable). */
export async function readLockHolder(lockPath: string): Promise<LockHolder | null> {
  const o = await observe(path.resolve(lockPath));
  return o?.holder ?? null;
}

// ----------------------------------------------------------------------------------------------------------
// Exclusive creation
// ----------------------------------------------------------------------------------------------------------

/**
 * Creates `target` holding `content`, atomically and exclusively. Returns an open handle on the new file, or
 * null when `target` already exists.
 */
async function createExclusive(target: string, content: string): Promise<fsp.FileHandle | null> {
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await fsp.open(tmp, 'wx', 0o644);
  let keep = false;
  try {
    await fh.writeFile(content);
    try {
      await fsp.link(tmp, target);
      keep = true;
      return fh;
    } catch (err) {
      const code = errCode(err);
      if (code === 'EEXIST') return null;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw err;
    }
    // no hard links here: O_EXCL create; the content is briefly empty (an empty lock is only ever judged by age)
    let direct: fsp.FileHandle;
    try {
      direct = await fsp.open(target, 'wx', 0o644);
    } catch (err) {
      if (errCode(err) === 'EEXIST') return null;
      throw err;
    }
    await direct.writeFile(content);
    return direct;
  } finally {
    await fsp.unlink(tmp).catch(() => undefined);
    if (!keep) await fh.close().catch(() => undefined);
  }
}

function guardPath(lockPath: string, id: string): string {
  return `${lockPath}.break.${id}`;
}

/**
 * Removes `target` (a lock or a guard) if it is still the stale instance `stale`. Returns true when it did.
 * Race-free between several breakers: only the holder of the guard for this instance may unlink it, and it
 * re-reads the instance under the guard.
 */
async function breakStale(lockPath: string, target: string, stale: Observed, staleMs: number, depth: number): Promise<boolean> {
  const guard = guardPath(lockPath, stale.id);
  const me = makeHolder(`break stale ${path.basename(target)}`);
  const gfh = await createExclusive(guard, JSON.stringify(me));
  if (!gfh) {
    // someone else is breaking it; if that breaker died in the middle, clear its guard (bounded recursion)
    if (depth < 3) {
      const g = await observe(guard);
      if (g && isStale(g, staleMs)) await breakStale(lockPath, guard, g, staleMs, depth + 1);
    }
    return false;
  }
  try {
    const cur = await observe(target);
    if (cur && cur.id === stale.id && cur.ino === stale.ino) {
      await unlinkIfExists(target);
      return true;
    }
    return false;
  } finally {
    await unlinkIfExists(guard).catch(() => false);
    await gfh.close().catch(() => undefined);
  }
}

/**
 * Whether a guard or temp file may be removed: its writer (the holder JSON it carries) is known dead, or
 * it is older than a live writer ever leaves one (writers link or remove their temp within milliseconds).
 */
async function isLeftover(file: string, staleMs: number, now: number): Promise<boolean> {
  const seen = await observe(file).catch(() => null);
  if (seen === null) return false;
  if (now - seen.mtimeMs > unreadableGraceMs(staleMs)) return true;
  return seen.holder !== null && isStale({ ...seen, mtimeMs: now }, staleMs, now);
}

/** Best effort: removes guard and temp files left by processes killed in the middle of breaking/creating. */
async function sweepLeftovers(lockPath: string, ownToken: string, staleMs: number): Promise<void> {
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || name === `${base}.break.${ownToken}`) continue;
    if (!name.startsWith(`${base}.break.`) && !name.endsWith('.tmp')) continue;
    const p = path.join(dir, name);
    try {
      if (await isLeftover(p, staleMs, now)) await fsp.unlink(p);
    } catch {
      /* gone or not removable */
    }
  }
}

// ----------------------------------------------------------------------------------------------------------
// Acquire / release
// ----------------------------------------------------------------------------------------------------------

class Handle implements LockHandle {
  readonly holder: LockHolder;
  private released = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onExit: () => void;

  constructor(
    private readonly file: string,
    holder: LockHolder,
    private readonly fh: fsp.FileHandle,
    private readonly ino: bigint,
    heartbeatMs: number,
  ) {
    this.holder = holder;
    this.timer = setInterval(() => {
      const now = new Date();
      this.fh.utimes(now, now).catch(() => undefined);
    }, heartbeatMs);
    this.timer.unref();
    this.onExit = () => {
      // synchronous last resort when the process exits without release()
      try {
        if (statSync(this.file, { bigint: true }).ino === this.ino) unlinkSync(this.file);
      } catch {
        /* already gone */
      }
    };
    process.on('exit', this.onExit);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    try {
      const st = await fsp.stat(this.file, { bigint: true });
      if (st.ino === this.ino) await unlinkIfExists(this.file); // never remove a lock that is not ours
    } catch (err) {
      if (!isNotFound(err)) throw err;
    } finally {
      await this.fh.close().catch(() => undefined);
    }
  }
}

/** Takes the lock, waiting up to opts.timeoutMs; throws LockTimeoutError naming the holder. */
export async function acquireLock(lockPath: string, opts: LockOptions): Promise<LockHandle> {
  const file = path.resolve(lockPath);
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const heartbeatMs = opts.heartbeatMs ?? defaultHeartbeatMs(staleMs);
  const timeoutMs = Math.max(0, opts.timeoutMs);
  const deadline = Date.now() + timeoutMs;
  // The lock lives in the data folder: never a file of that name, nor a symbolic link out of the project.
  const lockDir = path.dirname(file);
  if (await folderExists(lockDir, path.basename(lockDir))) await assertWithin(path.dirname(lockDir), lockDir, path.basename(lockDir));
  await fsp.mkdir(lockDir, { recursive: true });

  let delay = 10;
  let notified: string | null = null;
  let last: Observed | null = null;
  for (;;) {
    const holder = makeHolder(opts.command);
    const fh = await createExclusive(file, `${JSON.stringify(holder, null, 2)}\n`);
    if (fh) {
      const st = await fh.stat({ bigint: true });
      await sweepLeftovers(file, holder.token, staleMs);
      return new Handle(file, holder, fh, st.ino, heartbeatMs);
    }
    const seen = await observe(file);
    if (seen === null) continue; // released in between: try again at once
    last = seen;
    if (isStale(seen, staleMs)) {
      if (await breakStale(file, file, seen, staleMs, 0)) continue;
    } else if (seen.holder && notified !== seen.id) {
      notified = seen.id;
      opts.onWait?.(seen.holder);
    }
    const now = Date.now();
    if (now >= deadline) throw new LockTimeoutError(file, timeoutMs, last.holder);
    await sleep(Math.min(delay * (0.5 + Math.random()), deadline - now));
    // Short waits matter more than polling cost: pool commands hold the lock for milliseconds.
    delay = Math.min(25, delay * 1.5);
  }
}

/** Runs fn under the lock and releases it afterwards, whatever happens. */
export async function withLock<T>(lockPath: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  const handle = await acquireLock(lockPath, opts);
  try {
    return await fn();
  } finally {
    await handle.release();
  }
}
