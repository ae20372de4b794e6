import { CommanderError } from 'commander';
import { PhoneDirError } from '../core/errors.js';
import { redact } from '../core/secrets.js';
import type { Context } from './context.js';
import { EXIT } from './exit-codes.js';


type ErrorContext = Pick<Context, 'err' | 'flags' | 'chalk'>;

export interface Described { exitCode: number; message: string; hint?: string; stack?: string; bug: boolean }

const SYSTEM_CAUSES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'resource busy',
};

/**
 * A file-system error on a path is the environment's doing (a wrong path, a permission, a full disk),
 * never a bug: it is a configuration error naming the path and the cause.
 */
function systemError(err: unknown): Described | null {
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (!(err instanceof Error) || typeof e.code !== 'string' || !(e.code in SYSTEM_CAUSES)) return null;
  const where = e.path ? `${e.dest ? `${e.path} → ${e.dest}` : e.path}: ` : '';
  const hint = e.code === 'EACCES' || e.code === 'EPERM' ? 'check the permissions of the path, or choose another one' : e.code === 'ENOENT' ? 'check the path (its folder must exist)' : undefined;
  return { exitCode: EXIT.usage, message: `${where}${SYSTEM_CAUSES[e.code]} (${e.code}${e.syscall ? `, ${e.syscall}` : ''})`, ...(hint ? { hint } : {}), stack: e.stack, bug: false };
}

function describe(err: unknown): Described {
  if (err instanceof PhoneDirError || isExitCoded(err)) {
    const e = err as Error & { exitCode: number; hint?: string };
    return { exitCode: e.exitCode, message: e.message, ...(e.hint ? { hint: e.hint } : {}), stack: e.stack, bug: false };
  }
  const system = systemError(err);
  if (system) return system;
  const e = err instanceof Error ? err : new Error(String(err));
  return { exitCode: EXIT.internal, message: e.message, hint: 'this is a bug in phone-dir; rerun with --debug for the stack trace', stack: e.stack, bug: true };
}

/** Prints one failure (text, or `{"error":{…}}` under --json) and returns its exit code; every command reports errors through here. */
export function reportError(err: unknown, ctx: ErrorContext): number {
  return printFailure(describe(err), ctx);
}

/** For failures a command collects instead of throwing (a sync's failed workspace): printed exactly like a thrown error. */
export function printFailure(d: Described, ctx: ErrorContext): number {
  if (ctx.flags.json) {
    const body = { code: d.exitCode, message: d.message, hint: d.hint ?? null, ...(ctx.flags.debug && d.stack ? { stack: d.stack } : {}) };
    ctx.err(`${JSON.stringify({ error: body })}\n`);
    return d.exitCode;
  }
  ctx.err(`${ctx.chalk.red(d.bug ? 'internal error:' : 'error:')} ${d.message}\n`);
  if (d.hint && !(d.bug && ctx.flags.debug)) ctx.err(`${ctx.chalk.dim(d.bug ? d.hint : `hint: ${d.hint}`)}\n`);
  if (ctx.flags.debug && d.stack) ctx.err(`${redact(d.stack)}\n`);
  return d.exitCode;
}

/** The one place where failures become exit codes and one-line messages (stack traces only with --debug). */
export function handleError(err: unknown, ctx: ErrorContext): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.usage;
  return reportError(err, ctx);
}

function isExitCoded(err: unknown): boolean {
  return err instanceof Error && typeof (err as { exitCode?: unknown }).exitCode === 'number';
}
