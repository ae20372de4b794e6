/** Confirmation prompts: only at a terminal (stdin and stderr TTYs); scripts pass --yes instead. */
import { createInterface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import type { Context } from '../context.js';
import type { Confirm } from '../../pool/confirm.js';
import { UsageError } from '../../core/errors.js';

export function isInteractive(ctx: Context): boolean {
  return Boolean(ctx.io.stdin?.isTTY) && Boolean(ctx.io.stderr.isTTY);
}

export async function ask(ctx: Context, question: string): Promise<string> {
  const rl = createInterface({ input: ctx.io.stdin!, output: ctx.io.stderr as unknown as Writable, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

export async function confirm(ctx: Context, question: string): Promise<boolean> {
  return /^y(es)?$/i.test(await ask(ctx, question));
}

/** The use cases' Confirm port at this terminal: without one, exit 2 telling to pass --yes. */
export function terminalConfirm(ctx: Context): Confirm {
  return async (request) => {
    if (!isInteractive(ctx)) throw new UsageError(`${request.summary}: confirm with --yes`, request.hint);
    if (request.details) ctx.err(request.details.endsWith('\n') ? request.details : `${request.details}\n`);
    if (request.typed !== undefined) return (await ask(ctx, request.question)).replace(/[^\d+]/g, '') === request.typed;
    return confirm(ctx, request.question);
  };
}
