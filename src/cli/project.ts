import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context } from './context.js';
import { isProjectRoot } from '../store/paths.js';
import { ConfigError } from '../core/errors.js';

/**
 * Every command but init, sandbox, demo and completion needs a project: a cron line whose `cd` went
 * wrong must fail loudly, not report an empty directory as healthy.
 */
export function requireProject(ctx: Pick<Context, 'root' | 'flags' | 'cwd'>): void {
  if (isProjectRoot(ctx.root)) return;
  if (ctx.flags.dir !== undefined) {
    if (!existsSync(ctx.root)) throw new ConfigError(`-C ${ctx.flags.dir}: ${ctx.root} does not exist`, 'pass the project root: the folder holding workspaces.json or phone-numbers/');
    if (!statSync(ctx.root).isDirectory()) throw new ConfigError(`-C ${ctx.flags.dir}: ${ctx.root} is not a directory`, 'pass the project root: the folder holding workspaces.json or phone-numbers/');
    throw new ConfigError(`no workspaces.json or phone-numbers/ in ${ctx.root} (run phone-dir init)`, 'or pass -C <project root>');
  }
  throw new ConfigError(`no workspaces.json or phone-numbers/ in ${path.resolve(ctx.cwd)} or its parents (run phone-dir init)`, 'or pass -C <project root>');
}
