import { mkdir } from 'node:fs/promises';
import type { Context } from './context.js';
import { projectPaths } from '../store/paths.js';
import { acquireLock } from '../store/lock.js';
import { recoverTransaction } from '../store/transaction.js';
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
  await mkdir(paths.dataDir, { recursive: true });
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
