import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';

const run = promisify(execFile);

/** A failed git call as one line: git's own first message line, never the command line (it holds the whole commit message). */
export class GitError extends Error {
  constructor(readonly gitMessage: string, readonly notFound: boolean) { super(gitMessage); }
}

export async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new GitError('git is not installed (or not on PATH)', true);
    const lines = (e.stderr ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    throw new GitError(lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? `git ${args[0]} failed`, false);
  }
}

export async function requireGitRepo(root: string): Promise<void> {
  try {
    await git(root, ['rev-parse', '--is-inside-work-tree']);
  } catch (err) {
    if (err instanceof GitError && err.notFound) throw new ConfigError(`--commit: ${err.gitMessage}`, 'install git, or drop --commit');
    throw new ConfigError(`--commit: ${root} is not inside a Git repository`, 'run git init, or drop --commit');
  }
  // Checked before anything is fetched or written: a commit that cannot happen is found out first.
  try {
    await git(root, ['var', 'GIT_AUTHOR_IDENT']);
    await git(root, ['var', 'GIT_COMMITTER_IDENT']);
  } catch (err) {
    throw commitFailure(err, false);
  }
}

function commitFailure(err: unknown, written = true): ConfigError {
  const message = err instanceof GitError ? err.gitMessage : String(err);
  const outcome = written ? 'the files are written but not committed' : 'nothing was changed';
  if (/author identity unknown|please tell me who you are|unable to auto-detect|empty ident|no name was given/i.test(message)) {
    return new ConfigError(`--commit: git has no author identity (user.name / user.email) for this repository; ${outcome}`,
      `git config user.name "Your Name" && git config user.email you@example.com (or set GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL)${written ? ', then commit the changed files' : ''}`);
  }
  return new ConfigError(`--commit: git commit failed: ${message.replace(/^(fatal|error):\s*/, '')}; ${outcome}`, 'fix the repository, then commit the changed files (git status shows them)');
}

/**
 * Stages and commits exactly these files (nothing else the user has staged); returns the new commit's SHA,
 * or null when Git saw no change. When the commit fails, what this call staged is unstaged again.
 */
export async function gitCommit(root: string, files: string[], message: string): Promise<string | null> {
  if (files.length === 0) return null;
  const rel = files.map((f) => path.relative(root, f));
  const stagedBefore = new Set((await git(root, ['diff', '--cached', '--name-only', '--', ...rel])).split('\n').filter(Boolean));
  await git(root, ['add', '--', ...rel]);
  const staged = await git(root, ['diff', '--cached', '--name-only', '--', ...rel]);
  if (!staged) return null;
  try {
    await git(root, ['commit', '--quiet', '--no-verify', '-m', message, '--only', '--', ...rel]);
  } catch (err) {
    const mine = staged.split('\n').filter((f) => f && !stagedBefore.has(f));
    // A repository without a first commit has no HEAD to reset to: `git rm --cached` unstages there.
    if (mine.length) await git(root, ['reset', '--quiet', '--', ...mine]).catch(() => git(root, ['rm', '--cached', '--quiet', '--', ...mine]).catch(() => ''));
    throw commitFailure(err);
  }
  return git(root, ['rev-parse', 'HEAD']);
}
