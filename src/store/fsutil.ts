/**
 * Small node:fs helpers for the storage layer: durable writes, directory fsync, error-code checks.
 * No third-party imports, so the transaction/lock modules stay dependency-free.
 */
import { closeSync, constants, fstatSync, openSync, promises as fsp, readFileSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * A path phone-dir cannot use as it stands (a folder where a file belongs, a FIFO, a symbolic link out of
 * the project): the input is at fault, so exit code 2, naming the path.
 */
export class UnusablePathError extends Error {
  readonly exitCode = 2;
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UnusablePathError';
    this.hint = hint;
  }
}

export function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function isNotFound(err: unknown): boolean {
  return errCode(err) === 'ENOENT';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * fsync a directory so that renames/creations/unlinks inside it are durable. Platforms that cannot open or
 * fsync a directory (Windows: EPERM/EISDIR; some network filesystems: EINVAL/ENOTSUP) are skipped: there the
 * rename itself is the best guarantee available.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT' || code === 'EPERM' || code === 'EISDIR' || code === 'EINVAL' || code === 'ENOTSUP' || code === 'EACCES' || code === 'EBADF') return;
    throw err;
  } finally {
    await fh?.close();
  }
}

/**
 * mkdir -p that also makes the new directory entries durable: returns after fsyncing the parent of every
 * directory it created. Returns the directories it created (outermost first).
 */
export async function mkdirpDurable(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  for (;;) {
    try {
      const st = await fsp.stat(cur);
      if (!st.isDirectory()) {
        throw new UnusablePathError(`${cur} is ${kindOf(st)} where phone-dir needs a folder`, `move ${cur} away`);
      }
      break;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missing.push(cur);
      const parent = path.dirname(cur);
      if (parent === cur) break;
      cur = parent;
    }
  }
  if (missing.length === 0) return [];
  await fsp.mkdir(dir, { recursive: true });
  missing.reverse();
  const parents = new Set(missing.map((d) => path.dirname(d)));
  for (const p of parents) await fsyncDir(p);
  return missing;
}

/** Reads a file as a Buffer, or null when it does not exist. */
export async function readBytesOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(file);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * Creates `file` exclusively (fails with EEXIST if it exists), writes `data`, fsyncs and closes it.
 * `mode` defaults to 0o666 (minus umask).
 */
export async function writeNewFileDurable(file: string, data: Buffer | string, mode = 0o666): Promise<void> {
  const fh = await fsp.open(file, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fsp.unlink(file).catch(() => undefined);
    throw err;
  }
  await fh.close();
}

/** unlink that ignores a missing file; returns whether something was removed. */
export async function unlinkIfExists(file: string): Promise<boolean> {
  try {
    await fsp.unlink(file);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** True when `child` is strictly inside `parent` (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return st.isFile() ? 'a file' : 'not a regular file';
}

function notAFile(shown: string, st: Stats): UnusablePathError {
  return new UnusablePathError(`${shown} is ${kindOf(st)}, not a regular file`, `phone-dir needs ${shown} to be a plain file: move it away`);
}

/** Opening never waits for a writer (a FIFO in place of a data file would block every command). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

function outsideError(shown: string, real: string): UnusablePathError {
  return new UnusablePathError(
    `${shown} leads outside the project (to ${real}) through a symbolic link; phone-dir neither reads nor writes there`,
    'replace the symbolic link with the real file or folder, or run phone-dir in the folder it points to (-C)',
  );
}

/** The real path of `p`: symbolic links resolved in the part of it that exists, the rest appended. */
export async function realpathOfExisting(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(await fsp.realpath(cur), ...rest.reverse());
    } catch (err) {
      if (!isNotFound(err) && errCode(err) !== 'ENOTDIR') throw err;
      const parent = path.dirname(cur);
      if (parent === cur) return path.resolve(p);
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Throws (exit 2) unless `target`, symbolic links resolved, is `scope` or lies inside it. */
export async function assertWithin(scope: string, target: string, shown: string): Promise<void> {
  const realScope = await realpathOfExisting(scope);
  const real = await realpathOfExisting(target);
  if (real !== realScope && !isInside(realScope, real)) throw outsideError(shown, real);
}

/**
 * Opens a data file for reading: null when it is missing (or a parent is not a folder); exit 2 when it is
 * not a regular file, or is a symbolic link leading out of `scope` (its content could land in an error
 * message). Never blocks.
 */
export async function openFileForReading(file: string, shown: string, scope: string | null = null): Promise<fsp.FileHandle | null> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, READ_FLAGS | (scope !== null ? NO_FOLLOW : 0));
  } catch (err) {
    if (isNotFound(err) || errCode(err) === 'ENOTDIR') return null;
    if (scope === null || errCode(err) !== 'ELOOP') throw err;
    await assertWithin(scope, file, shown); // a symbolic link: followed only while it stays in the project
    return openFileForReading(file, shown, null);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notAFile(shown, st);
    return fh;
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
}

/** The text of a data file, or null when it is missing; see openFileForReading. */
export async function readTextOrNull(file: string, shown: string, scope: string | null = null): Promise<string | null> {
  const fh = await openFileForReading(file, shown, scope);
  if (fh === null) return null;
  try {
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

/** readTextOrNull, synchronously (for the many tiny agent files). */
export function readTextSyncOrNull(file: string, shown: string, scope: string | null = null): string | null {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS | (scope !== null ? NO_FOLLOW : 0));
  } catch (err) {
    if (isNotFound(err) || errCode(err) === 'ENOTDIR') return null;
    if (scope === null || errCode(err) !== 'ELOOP') throw err;
    let real: string;
    try {
      real = realpathSync(file);
    } catch (linkErr) {
      if (isNotFound(linkErr) || errCode(linkErr) === 'ENOTDIR') return null; // a dangling link
      throw linkErr;
    }
    const realScope = realpathSync(scope);
    if (real !== realScope && !isInside(realScope, real)) throw outsideError(shown, real);
    return readTextSyncOrNull(file, shown, null);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notAFile(shown, st);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Throws (exit 2) when `dir` exists but is not a folder; true when it exists. */
export async function folderExists(dir: string, shown: string): Promise<boolean> {
  try {
    const st = await fsp.stat(dir);
    if (!st.isDirectory()) throw new UnusablePathError(`${shown} is ${kindOf(st)}, not a folder`, `phone-dir expects a folder named ${shown}: move the file away`);
    return true;
  } catch (err) {
    if (isNotFound(err) || errCode(err) === 'ENOTDIR') return false;
    throw err;
  }
}
