import { execa } from 'execa';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PassThrough, Readable } from 'node:stream';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'bin', 'phone-dir.js');

export interface CliResult { stdout: string; stderr: string; exitCode: number }

export interface CliOptions { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number; process?: boolean }

type Main = (argv: string[], runtime: { io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin: NodeJS.ReadableStream }; env: Record<string, string | undefined>; cwd: string }) => Promise<number>;

let mainOfDist: Promise<Main> | undefined;
let inProcessRuns = 0;

export const cliEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CI: 'true', ...extra });

/**
 * Runs the built CLI with a scrubbed environment (no colour, CI set).
 *
 * By default it calls dist/cli/main.js's `main` in this process, the code bin/phone-dir.js runs, with its
 * own environment, working folder and captured output. Starting Node and loading the CLI for each command
 * was most of the suite's time on two cores. A command runs as its own process (bin/phone-dir.js, as a
 * user runs it) when it reads standard input, when the test asks (`process: true`), when the test changes
 * what Git sees (HOME, GIT_*) or NODE_OPTIONS, when another command is still running in this process
 * (locks are held per process, so concurrent commands must be separate processes, as they are for users),
 * and for every command under PHONE_DIR_TEST_SPAWN=1.
 */
export async function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  const spawn = opts.process || opts.input !== undefined || inProcessRuns > 0 || process.env.PHONE_DIR_TEST_SPAWN === '1' || changesChildProcesses(opts.env);
  return spawn ? runProcess(args, opts) : runInProcess(args, opts);
}

/** Git (and node) started by the CLI inherit the process's environment, not the one given to main(). */
function changesChildProcesses(env: Record<string, string> = {}): boolean {
  return Object.keys(env).some((name) => name === 'HOME' || name === 'NODE_OPTIONS' || name.startsWith('GIT_'));
}

async function runProcess(args: string[], opts: CliOptions): Promise<CliResult> {
  const r = await execa('node', [BIN, ...args], {
    cwd: opts.cwd,
    env: cliEnv(opts.env),
    extendEnv: false,
    reject: false,
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  // execa strips one final newline; so does this, so that a test reads the same text either way.
  return { stream, text: () => Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '') };
}

async function runInProcess(args: string[], opts: CliOptions): Promise<CliResult> {
  mainOfDist ??= import(pathToFileURL(path.join(REPO_ROOT, 'dist', 'cli', 'main.js')).href).then((module: { main: Main }) => module.main);
  const main = await mainOfDist;
  const stdout = capture();
  const stderr = capture();
  inProcessRuns++;
  try {
    const exitCode = await main(args, { io: { stdout: stdout.stream, stderr: stderr.stream, stdin: Readable.from([]) }, env: cliEnv(opts.env), cwd: opts.cwd });
    await new Promise((resolve) => setImmediate(resolve)); // the captures' last 'data' events come a tick later
    return { stdout: stdout.text(), stderr: stderr.text(), exitCode };
  } finally {
    inProcessRuns--;
  }
}
