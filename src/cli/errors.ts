import { CommanderError } from 'commander';
import { PhoneDirError } from '../core/errors.js';
import { redact } from '../core/secrets.js';
import type { Context } from './context.js';

export const EXIT_INTERNAL = 70;

/** The one place where failures become exit codes and one-line messages (stack traces only with --debug). */
export function handleError(err: unknown, ctx: Pick<Context, 'err' | 'flags' | 'chalk'>): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  const debug = ctx.flags.debug;
  if (err instanceof PhoneDirError || isExitCoded(err)) {
    const e = err as Error & { exitCode: number; hint?: string };
    ctx.err(`${ctx.chalk.red('error:')} ${e.message}\n`);
    if (e.hint) ctx.err(`${ctx.chalk.dim(`hint: ${e.hint}`)}\n`);
    if (debug && e.stack) ctx.err(`${redact(e.stack)}\n`);
    return e.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  ctx.err(`${ctx.chalk.red('internal error:')} ${e.message}\n`);
  ctx.err(debug ? `${e.stack ?? ''}\n` : 'this is a bug in phone-dir; rerun with --debug for the stack trace\n');
  return EXIT_INTERNAL;
}

function isExitCoded(err: unknown): boolean {
  return err instanceof Error && typeof (err as { exitCode?: unknown }).exitCode === 'number';
}
