/**
 * Where this checkout's directory stands against its remote, from Git alone (offline unless asked to fetch):
 * the branch, its upstream, commits ahead and behind, and the directory files changed and not committed.
 */
import { git, GitError } from './git.js';
import { ProviderError } from '../core/errors.js';
import { redactUrlCredentials } from '../core/secrets.js';

export type RemoteState = 'up-to-date' | 'ahead' | 'behind' | 'diverged' | 'no-upstream' | 'not-a-repository' | 'no-commits';

export interface DirectoryGitStatus {
  state: RemoteState;
  branch: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  /** Directory files (under `paths`) changed or new and not committed, repository-relative. */
  uncommitted: string[];
  /** Commits since `since` that touched the directory files (null when not asked or not a repository). */
  commits_since: number | null;
  /** true when the remote was fetched first (--fetch); otherwise the last fetch's view of it. */
  fetched: boolean;
}

async function maybe(root: string, args: string[]): Promise<string | null> {
  try {
    return await git(root, args);
  } catch (err) {
    if (err instanceof GitError && err.notFound) throw err;
    return null;
  }
}

export async function directoryGitStatus(root: string, paths: string[], options: { fetch: boolean; since: string | null }): Promise<DirectoryGitStatus> {
  const none: DirectoryGitStatus = { state: 'not-a-repository', branch: null, upstream: null, ahead: 0, behind: 0, uncommitted: [], commits_since: null, fetched: false };
  if ((await maybe(root, ['rev-parse', '--is-inside-work-tree'])) !== 'true') return none;
  const changed = (await maybe(root, ['ls-files', '--modified', '--others', '--exclude-standard', '--', ...paths])) ?? '';
  const staged = (await maybe(root, ['diff', '--cached', '--name-only', '--', ...paths])) ?? '';
  const uncommitted = [...new Set([...changed.split('\n'), ...staged.split('\n')].filter(Boolean))].sort();
  const head = await maybe(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (!head) return { ...none, state: 'no-commits', uncommitted };
  const branch = await maybe(root, ['symbolic-ref', '--short', '--quiet', 'HEAD']);
  const upstream = await maybe(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  const since = options.since ? await maybe(root, ['rev-list', '--count', `--since=${options.since}`, 'HEAD', '--', ...paths]) : null;
  const commits_since = since === null ? null : Number(since);
  if (!upstream) return { state: 'no-upstream', branch, upstream: null, ahead: 0, behind: 0, uncommitted, commits_since, fetched: false };
  let fetched = false;
  if (options.fetch) {
    const remote = upstream.split('/')[0]!;
    try {
      await git(root, ['fetch', '--quiet', remote]);
    } catch (err) {
      const message = redactUrlCredentials(err instanceof Error ? err.message : String(err)).replace(/^(fatal|error):\s*/, '');
      throw new ProviderError('git', `--fetch: git fetch ${remote} failed: ${message}`, undefined, 'check the network and the remote (git remote -v), or run phone-dir status without --fetch');
    }
    fetched = true;
  }
  const counts = (await maybe(root, ['rev-list', '--left-right', '--count', `HEAD...${upstream}`])) ?? '0\t0';
  const [ahead, behind] = counts.split(/\s+/).map(Number) as [number, number];
  const state: RemoteState = ahead && behind ? 'diverged' : ahead ? 'ahead' : behind ? 'behind' : 'up-to-date';
  return { state, branch, upstream, ahead, behind, uncommitted, commits_since, fetched };
}
