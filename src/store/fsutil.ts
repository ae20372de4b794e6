/**
 * Small node:fs helpers for the storage layer: durable writes, directory fsync, error-code checks.
 * No third-party imports, so the transaction/lock modules stay dependency-free.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

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
        const e = new Error(`ENOTDIR: not a directory, mkdir '${dir}' (${cur} is a file)`) as NodeJS.ErrnoException;
        e.code = 'ENOTDIR';
        throw e;
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
