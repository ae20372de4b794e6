import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'bin', 'phone-dir.js');

export interface CliResult { stdout: string; stderr: string; exitCode: number }

/** Runs the built binary as a user would, with a scrubbed environment (no colour, CI set). */
export async function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<CliResult> {
  const r = await execa('node', [BIN, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CI: 'true', ...opts.env },
    extendEnv: false,
    reject: false,
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}
