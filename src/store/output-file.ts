/**
 * Files a command writes at the user's request (`report --output`): never over phone-dir's own data, and
 * atomically, so a failed write leaves the old file or none, never half a file.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { DATA_DIR } from './paths.js';
import { errCode, isInside, isNotFound, writeNewFileDurable } from './fsutil.js';

/** What phone-dir owns in a project: the data folder, the configuration, the agent folders (and Git's own). */
const OWNED: [name: string, label: string][] = [[DATA_DIR, `${DATA_DIR}/`], ['workspaces.json', 'workspaces.json'], ['agents', 'agents/'], ['.git', '.git/']];

/** The path with every symlink resolved, as far as it exists: a link into phone-numbers/ is phone-numbers/. */
async function realTarget(target: string): Promise<string> {
  try {
    return await fsp.realpath(target);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const parent = path.dirname(target);
    return parent === target ? target : path.join(await realTarget(parent), path.basename(target));
  }
}

/** Refuses (exit 2) a target that is one of the project's own files or inside its folders. */
export async function refuseProjectData(root: string, target: string, option: string): Promise<void> {
  const [realRoot, real] = await Promise.all([realTarget(root), realTarget(target)]);
  for (const [owned, label] of OWNED) {
    const ownedPath = path.join(realRoot, owned);
    if (real === ownedPath || isInside(ownedPath, real)) {
      throw new UsageError(`${option}: ${target} is phone-dir's own data (${label}); refusing to write over it`, 'write the report outside phone-numbers/, agents/ and workspaces.json');
    }
  }
}

function writeFailure(option: string, target: string, err: unknown): Error {
  const code = errCode(err);
  const why = code === 'ENOENT' ? `the folder ${path.dirname(target)} does not exist`
    : code === 'EISDIR' ? 'it is a folder'
      : code === 'ENOTDIR' ? `${path.dirname(target)} is not a folder`
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : code === 'EROFS' ? 'the file system is read-only'
            : code === 'ENOSPC' ? 'no space left on the device' : null;
  return why ? new UsageError(`${option}: cannot write ${target}: ${why}`) : (err as Error);
}

/** Writes `text` to `target` through a temporary file in the same folder and a rename. */
export async function writeOutputFile(target: string, text: string, option: string): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const existing = await fsp.stat(target).catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
    if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    await writeNewFileDurable(temp, text, existing ? existing.mode & 0o777 : 0o666);
    await fsp.rename(temp, target);
  } catch (err) {
    await fsp.unlink(temp).catch(() => undefined);
    throw writeFailure(option, target, err);
  }
}
