/**
 * The Git side of `--push`: the branch's upstream, fetching it, fast-forwarding to it, pushing to it (a
 * rejection because someone pushed first is told apart from other failures), undoing our last commit, and
 * reading the directory's views as a revision has them.
 */
import { git, GitError } from './git.js';
import { modelFromViews, type ParsedViews } from '../core/model-from-views.js';
import type { Directory } from '../core/model.js';
import { ConfigError, ProviderError } from '../core/errors.js';
import { redactUrlCredentials } from '../core/secrets.js';
import { DATA_DIR } from './paths.js';

export interface Upstream { remote: string; branch: string; ref: string }

const clean = (err: unknown) => redactUrlCredentials(err instanceof Error ? err.message : String(err)).replace(/^(fatal|error):\s*/, '');

export async function upstreamOf(root: string): Promise<Upstream> {
  let ref: string;
  try {
    ref = await git(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  } catch {
    const branch = await git(root, ['symbolic-ref', '--short', '--quiet', 'HEAD']).catch(() => 'HEAD');
    throw new ConfigError(`--push: branch ${branch} has no upstream to push to`, `set one: git push -u origin ${branch}`);
  }
  const remote = await git(root, ['config', `branch.${await git(root, ['symbolic-ref', '--short', 'HEAD'])}.remote`]);
  const merge = await git(root, ['config', `branch.${await git(root, ['symbolic-ref', '--short', 'HEAD'])}.merge`]);
  return { remote, branch: merge.replace(/^refs\/heads\//, ''), ref };
}

export async function fetchUpstream(root: string, upstream: Upstream): Promise<void> {
  try {
    await git(root, ['fetch', '--quiet', upstream.remote, upstream.branch]);
  } catch (err) {
    throw new ProviderError('git', `--push: git fetch ${upstream.remote} failed: ${clean(err)}`, undefined, 'check the network and the remote (git remote -v)');
  }
}

export async function aheadBehind(root: string, upstream: Upstream): Promise<{ ahead: number; behind: number }> {
  const [ahead, behind] = (await git(root, ['rev-list', '--left-right', '--count', `HEAD...${upstream.ref}`])).split(/\s+/).map(Number) as [number, number];
  return { ahead, behind };
}

export async function fastForward(root: string, upstream: Upstream): Promise<void> {
  await git(root, ['merge', '--ff-only', '--quiet', upstream.ref]);
}

export async function headCommit(root: string): Promise<string> {
  return git(root, ['rev-parse', 'HEAD']);
}

/** 'pushed', or 'rejected' when the remote moved on (someone pushed first); any other failure throws (exit 5). */
export async function pushHead(root: string, upstream: Upstream): Promise<'pushed' | 'rejected'> {
  try {
    await git(root, ['push', '--quiet', '--porcelain', upstream.remote, `HEAD:refs/heads/${upstream.branch}`]);
    return 'pushed';
  } catch (err) {
    const message = err instanceof GitError ? err.gitMessage : String(err);
    if (/rejected|non-fast-forward|fetch first|failed to push|stale info|cannot lock ref/i.test(message)) return 'rejected';
    throw new ProviderError('git', `--push: git push ${upstream.remote} failed: ${clean(err)}`, undefined, 'check the network and your rights on the remote; the commit stays local (git log), push it with git push');
  }
}

/** Undoes our last commit, putting its files back as they were; other uncommitted work is kept. */
export async function undoLastCommit(root: string): Promise<void> {
  await git(root, ['reset', '--quiet', '--keep', 'HEAD~1']);
}

/** The directory's view files changed or new in the work tree (not committed), project-relative. */
export async function changedViewFiles(root: string): Promise<string[]> {
  const changed = await git(root, ['ls-files', '--modified', '--others', '--exclude-standard', '--', DATA_DIR]);
  const staged = await git(root, ['diff', '--cached', '--name-only', '--relative', '--', DATA_DIR]);
  return [...new Set([...changed.split('\n'), ...staged.split('\n')].filter(Boolean))].sort();
}

/** The model as a revision's view files have it. */
export async function directoryAt(root: string, revision: string): Promise<Directory> {
  const listed = (await git(root, ['ls-tree', '-r', '--name-only', revision, '--', DATA_DIR])).split('\n').filter(Boolean);
  const show = async (file: string) => JSON.parse(await git(root, ['show', `${revision}:./${file}`])) as unknown;
  const views: ParsedViews = { directory: null, workspaces: {} };
  for (const file of listed) {
    const parts = file.split('/');
    if (parts.length === 2 && parts[1] === 'directory.json') views.directory = await show(file) as ParsedViews['directory'];
    else if (parts.length === 3 && parts[1] !== 'twilio' && !parts[1]!.startsWith('.') && (parts[2] === 'numbers.json' || parts[2] === 'assignments.json')) {
      const files = (views.workspaces[parts[1]!] ??= { numbers: null, assignments: null });
      if (parts[2] === 'numbers.json') files.numbers = await show(file) as ParsedViews['workspaces'][string]['numbers'];
      else files.assignments = await show(file) as ParsedViews['workspaces'][string]['assignments'];
    }
  }
  return modelFromViews(views);
}
