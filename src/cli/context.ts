import type { ChalkInstance } from 'chalk';
import { findProjectRoot } from '../store/paths.js';
import { decideColor, makeChalk } from '../render/colors.js';
import { redact } from '../core/secrets.js';
import path from 'node:path';

export interface GlobalFlags { dir?: string; json: boolean; quiet: boolean; debug: boolean; color: boolean; lockTimeout?: string }

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Built once in main and passed down; commands never touch process.* directly. */
export interface Context {
  cwd: string;
  env: Record<string, string | undefined>;
  now(): Date;
  io: Io;
  flags: GlobalFlags;
  chalk: ChalkInstance;
  root: string;
  /** Progress is for people at a terminal: never under CI, --quiet or a pipe. */
  showProgress: boolean;
  out(text: string): void;
  /**
   * A status report, not data the user asked for: printed in full, or under --quiet only `quietLine`
   * (one line, given when something changed or failed; nothing otherwise), so cron mails only news.
   */
  status(text: string, quietLine?: string | null): void;
  err(text: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Runs `cleanup` when the command ends, however it ends (a store's connections, for instance). */
  onEnd(cleanup: () => Promise<void>): void;
  /** Runs the cleanups registered with onEnd (the command layer calls it once, at the end). */
  end(): Promise<void>;
}

export function createContext(io: Io, env: Record<string, string | undefined>, cwd: string, flags: GlobalFlags, now: () => Date = () => new Date()): Context {
  const chalk = makeChalk(decideColor({ noColorFlag: !flags.color, env, isTTY: Boolean(io.stdout.isTTY) }));
  const root = flags.dir ? path.resolve(cwd, flags.dir) : findProjectRoot(cwd);
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  const cleanups: (() => Promise<void>)[] = [];
  return {
    cwd, env, now, io, flags, chalk, root,
    showProgress: Boolean(io.stderr.isTTY) && !ci && !flags.quiet,
    out: (text) => { io.stdout.write(redact(text)); },
    status(text, quietLine) {
      if (!flags.quiet) io.stdout.write(redact(text));
      else if (quietLine) io.stdout.write(redact(`${quietLine.trim().split('\n')[0]}\n`));
    },
    err: (text) => { io.stderr.write(redact(text)); },
    warn(message) { io.stderr.write(redact(`${chalk.yellow('warning:')} ${message}\n`)); },
    info(message) { if (!flags.quiet) io.stderr.write(redact(`${message}\n`)); },
    onEnd(cleanup) { cleanups.push(cleanup); },
    async end() {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (err) {
          io.stderr.write(redact(`${chalk.yellow('warning:')} while finishing: ${(err as Error).message}\n`));
        }
      }
    },
  };
}
