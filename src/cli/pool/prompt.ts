/** Confirmation prompts: only at a terminal (stdin and stderr TTYs); scripts pass --yes instead. */
import { createInterface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import type { Context } from '../context.js';

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
