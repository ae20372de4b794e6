import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';

const run = promisify(execFile);

async function git(root: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

export async function requireGitRepo(root: string): Promise<void> {
  try {
    await git(root, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    throw new ConfigError(`--commit: ${root} is not inside a Git repository`, 'run git init, or drop --commit');
  }
}

/** Stages and commits exactly these files (nothing else the user has staged); returns the new commit's SHA, or null when Git saw no change. */
export async function gitCommit(root: string, files: string[], message: string): Promise<string | null> {
  if (files.length === 0) return null;
  const rel = files.map((f) => path.relative(root, f));
  await git(root, ['add', '--', ...rel]);
  const staged = await git(root, ['diff', '--cached', '--name-only', '--', ...rel]);
  if (!staged) return null;
  await git(root, ['commit', '--quiet', '--no-verify', '-m', message, '--only', '--', ...rel]);
  return git(root, ['rev-parse', 'HEAD']);
}
