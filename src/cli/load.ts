import type { Context } from './context.js';
import { recoverIfInterrupted } from './lock.js';
import { loadDirectory, type LoadedDirectory } from '../store/directory.js';
import { readAgents } from '../store/agents.js';
import type { AgentsIndex } from '../core/agents.js';
import { parsePhoneNumberArg } from '../core/phone.js';
import { NotFoundError } from '../core/errors.js';
import type { Directory } from '../core/model.js';

/** Reading commands skip the full schema for speed; `validate` is where a file's every field is checked. */
export async function loadForReading(ctx: Context): Promise<LoadedDirectory> {
  await recoverIfInterrupted(ctx);
  return loadDirectory(ctx.root, { schema: false });
}

export async function loadAgents(ctx: Context): Promise<AgentsIndex> {
  return (await readAgents(ctx.root)).index;
}

/** A number argument in E.164 (usage error naming it if invalid or with an extension). */
export function parseNumberArg(input: string): string {
  return parsePhoneNumberArg(input);
}

export function requireWorkspaceInDirectory(dir: Directory, ws: string | undefined): void {
  if (ws && !dir.workspaces.has(ws)) {
    const known = [...dir.workspaces].sort().join(', ') || 'none';
    throw new NotFoundError(`workspace not found: "${ws}" (the directory has: ${known})`);
  }
}
