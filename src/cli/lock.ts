import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from './context.js';
import { projectPaths } from '../store/paths.js';
import { acquireLock, LockTimeoutError } from '../store/lock.js';
import { recoverTransaction, JOURNAL_NAME } from '../store/transaction.js';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';

export const DEFAULT_LOCK_TIMEOUT = '30s';

export function lockTimeoutMs(ctx: Context): number {
  const raw = ctx.flags.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  try {
    return parseDuration(raw);
  } catch {
    throw new UsageError(`--lock-timeout: "${raw}" is not a duration (e.g. 30s, 2m, 500ms)`);
  }
}

/** Runs fn holding the directory lock, after finishing any write a crashed process left behind. */
export async function withDirectoryLock<T>(ctx: Context, command: string, fn: () => Promise<T>): Promise<T> {
  const paths = projectPaths(ctx.root);
  const handle = await acquireLock(paths.lock, {
    timeoutMs: lockTimeoutMs(ctx),
    command,
    onWait: (holder) => ctx.showProgress && ctx.err(`waiting for the directory lock held by pid ${holder.pid} (${holder.command})…\n`),
  });
  try {
    const recovered = await recoverTransaction(paths.dataDir);
    if (recovered === 'rolled-forward') ctx.info('finished a write that an interrupted phone-dir command had left');
    return await fn();
  } finally {
    await handle.release();
  }
}

/**
 * A reading command that finds a write interrupted by a crash finishes it when nobody holds the lock,
 * so the files on disk (not only what phone-dir shows) are all old or all new after any next command.
 * With a live writer holding the lock, the reader leaves the journal to it and reads the new view.
 */
export async function recoverIfInterrupted(ctx: Context): Promise<void> {
  const paths = projectPaths(ctx.root);
  try {
    await access(path.join(paths.dataDir, JOURNAL_NAME));
  } catch {
    return;
  }
  let handle;
  try {
    handle = await acquireLock(paths.lock, { timeoutMs: 0, command: 'phone-dir (recovery)' });
  } catch (err) {
    if (err instanceof LockTimeoutError) return;
    throw err;
  }
  try {
    await recoverTransaction(paths.dataDir);
  } finally {
    await handle.release();
  }
}
