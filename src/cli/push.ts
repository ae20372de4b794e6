/**
 * `--push` on the commands that write the directory: the Git remote is where machines meet. Before the
 * command: fetch and fast-forward to the remote head. After it: commit what it wrote and push. When the push
 * is rejected because another machine pushed first, our commit is undone, the remote head fetched again, and
 * the change recomputed on it (the records our command changed, field by field, over the new head's
 * records: never the old bytes), with backoff and jitter, up to --push-retries times.
 */
import { Option, type Command } from 'commander';
import type { Context } from './context.js';
import { PhoneDirError, UsageError } from '../core/errors.js';

export interface PushFlags { push?: boolean; pushRetries?: string }

export interface PushReport { commit: string | null; attempts: number; rejected: number }

/** The lock could not be had in time: here the remote head, which kept moving (exit 3, like the lock). */
export class PushContendedError extends PhoneDirError {
  constructor(message: string, hint: string) { super(message, 3, hint); }
}

export const PUSH_HELP = 'commit what changed and push it to the branch\'s upstream, recomputing the change on the remote head if someone pushed first (implies --commit)';

export function pushRetriesOption(): Option {
  return new Option('--push-retries <n>', 'how many times to recompute and push again after a rejected push').default('5');
}

export function addPushOptions(cmd: Command): Command {
  return cmd.option('--push', PUSH_HELP).addOption(pushRetriesOption());
}

function retriesOf(raw: string | undefined): number {
  const n = Number(raw ?? '5');
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UsageError(`--push-retries: "${raw}" is not a whole number from 0 to 100`);
  return n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `body` (the command) with --push around it. `body` writes the directory and may commit itself (sync
 * --commit); whatever it left uncommitted in phone-numbers/ is committed with `message`.
 */
export async function withPush<T>(ctx: Context, flags: PushFlags, message: string, body: () => Promise<T>): Promise<{ result: T; push: PushReport | null }> {
  if (!flags.push) return { result: await body(), push: null };
  const retries = retriesOf(flags.pushRetries);
  const git = await import('../store/git-push.js');
  const { withDirectoryLock } = await import('./lock.js');
  const { requireGitRepo, gitCommit, git: runGit } = await import('../store/git.js');
  const { projectPaths } = await import('../store/paths.js');
  await requireGitRepo(ctx.root);
  const upstream = await git.upstreamOf(ctx.root);
  const dirty = await git.changedViewFiles(ctx.root);
  if (dirty.length) throw new UsageError(`--push: phone-numbers/ has changes that are not committed (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''})`, 'commit or discard them first: --push commits only what this command changes');

  const landOnRemoteHead = async () => {
    await git.fetchUpstream(ctx.root, upstream);
    const { ahead, behind } = await git.aheadBehind(ctx.root, upstream);
    if (ahead) throw new UsageError(`--push: the branch has ${ahead} commit${ahead === 1 ? '' : 's'} not on ${upstream.ref}`, 'push or rebase them first (git pull --rebase && git push): --push pushes only what this command changes');
    if (behind) await withDirectoryLock(ctx, 'phone-dir --push (fast-forward)', () => git.fastForward(ctx.root, upstream));
  };
  const commitChanges = async (commitMessage: string): Promise<string | null> => {
    const files = await git.changedViewFiles(ctx.root);
    const paths = projectPaths(ctx.root);
    return gitCommit(ctx.root, files.map((f) => `${paths.root}/${f}`), commitMessage);
  };

  await landOnRemoteHead();
  const before = await git.headCommit(ctx.root);
  const result = await body();
  let commit = await commitChanges(message);
  if (!commit && (await git.headCommit(ctx.root)) !== before) commit = await git.headCommit(ctx.root); // the command committed (sync --commit)
  if (!commit) return { result, push: { commit: null, attempts: 0, rejected: 0 } };

  const { recordDeltas, applyRecordDeltas } = await import('../core/record-delta.js');
  let rejected = 0;
  for (;;) {
    if ((await git.pushHead(ctx.root, upstream)) === 'pushed') return { result, push: { commit, attempts: rejected + 1, rejected } };
    rejected++;
    const deltas = recordDeltas(await git.directoryAt(ctx.root, `${commit}~1`), await git.directoryAt(ctx.root, commit));
    const subject = await runGit(ctx.root, ['log', '-1', '--format=%B', commit]);
    await withDirectoryLock(ctx, 'phone-dir --push (undo)', () => git.undoLastCommit(ctx.root));
    if (rejected > retries) {
      throw new PushContendedError(
        `--push: the remote moved on ${rejected} time${rejected === 1 ? '' : 's'} while this command tried to push; gave up after --push-retries ${retries}: nothing is committed, and the change is not in the directory here`,
        'what the command did at the platforms is kept there: run phone-dir sync --push to record it, or rerun with a larger --push-retries',
      );
    }
    if (ctx.showProgress || ctx.flags.debug) ctx.err(`--push: ${upstream.ref} moved on; recomputing the change on it (retry ${rejected} of ${retries})\n`);
    await sleep(Math.min(5_000, 100 * 2 ** (rejected - 1)) * (0.5 + Math.random()));
    await landOnRemoteHead();
    const { loadDirectory, writeDirectory } = await import('../store/directory.js');
    const changed = await withDirectoryLock(ctx, 'phone-dir --push (recompute)', async () => {
      const loaded = await loadDirectory(ctx.root);
      const numbers = applyRecordDeltas(loaded.dir, deltas);
      if (numbers.length) await writeDirectory(loaded, loaded.dir, ctx.now());
      return numbers.length;
    });
    if (!changed) return { result, push: { commit: null, attempts: rejected + 1, rejected } };
    commit = await commitChanges(subject);
    if (!commit) return { result, push: { commit: null, attempts: rejected + 1, rejected } };
  }
}

/** One line for people: where the change landed. */
export function pushLine(push: PushReport): string {
  if (!push.commit) return 'push: nothing to push (the remote head already has this change)';
  return `pushed ${push.commit.slice(0, 7)}${push.rejected ? ` after ${push.rejected} rejected push${push.rejected === 1 ? '' : 'es'} (recomputed on the new head)` : ''}`;
}
