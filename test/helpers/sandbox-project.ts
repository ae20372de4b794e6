import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './cli.js';
import { workspacesSnippet, envSnippet, type SandboxHandle } from '../../src/sandbox/index.js';

export interface SandboxProject { dir: string; env: Record<string, string> }

/** A temporary Git repository with workspaces.json pointing at the sandbox and the sample agents/ folder. */
export async function sandboxProject(sandbox: SandboxHandle, opts: { git?: boolean } = {}): Promise<SandboxProject> {
  const dir = await mkdtemp(path.join(tmpdir(), 'phone-dir-sync-'));
  await writeFile(path.join(dir, 'workspaces.json'), `${JSON.stringify(workspacesSnippet(sandbox), null, 2)}\n`);
  await cp(path.join(REPO_ROOT, 'agents'), path.join(dir, 'agents'), { recursive: true });
  if (opts.git !== false) {
    await execa('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    await execa('git', ['config', 'user.email', 'test@phone-dir.test'], { cwd: dir });
    await execa('git', ['config', 'user.name', 'phone-dir test'], { cwd: dir });
  }
  return { dir, env: envSnippet(sandbox) };
}

export async function gitStatus(dir: string): Promise<string> {
  return (await execa('git', ['status', '--porcelain'], { cwd: dir })).stdout;
}

export async function gitCommitAll(dir: string, message: string): Promise<void> {
  await execa('git', ['add', '-A'], { cwd: dir });
  await execa('git', ['commit', '-q', '-m', message], { cwd: dir });
}

export async function gitLogCount(dir: string): Promise<number> {
  return Number((await execa('git', ['rev-list', '--count', 'HEAD'], { cwd: dir })).stdout);
}
