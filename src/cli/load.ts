import type { Context } from './context.js';
import { recoverIfInterrupted } from './lock.js';
import { loadDirectory, type LoadedDirectory } from '../store/directory.js';
import { readAgents } from '../store/agents.js';
import type { AgentsIndex } from '../core/agents.js';
import { parsePhoneNumberArg } from '../core/phone.js';
import { ConfigError } from '../core/errors.js';
import { agentPathsOf, type Directory } from '../core/model.js';
import { agentNotFound, resolveAgent } from '../core/agents.js';
import { requireWorkspace } from '../core/config.js';
import { didYouMean } from '../core/suggest.js';
import { projectPaths } from '../store/paths.js';

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

/**
 * A workspace a command is asked about must be configured: in workspaces.json, or (a directory without
 * one) a folder of phone-numbers/. A configured workspace without data yet is not an error: it is empty.
 */
export async function requireKnownWorkspace(ctx: Context, dir: Directory, ...workspaces: (string | undefined)[]): Promise<void> {
  const asked = workspaces.filter((ws): ws is string => ws !== undefined);
  if (asked.length === 0) return;
  const { readProjectConfig } = await import('./config.js');
  const config = await readProjectConfig(projectPaths(ctx.root));
  for (const workspace of asked) {
    if (config) requireWorkspace(config, workspace);
    else if (!dir.workspaces.has(workspace)) {
      const known = [...dir.workspaces].sort();
      throw new ConfigError(
        `phone-numbers/: unknown workspace "${workspace}"${didYouMean(workspace, known)} (known: ${known.join(', ') || 'none'}; there is no workspaces.json)`,
        'pick one of those, or add the workspace to workspaces.json',
      );
    }
  }
}

/** An agent is known by its folder, or by numbers still assigned to it (a folder removed since): anything else is not found (exit 4). */
export function requireKnownAgent(agents: AgentsIndex, dir: Directory, input: string, workspace?: string): string {
  const agentPath = resolveAgent(agents, input, workspace);
  if (agents.agents.has(agentPath)) return agentPath;
  for (const record of dir.numbers.values()) {
    for (const wn of Object.values(record.workspaces)) if (wn.assignment && agentPathsOf(wn.assignment).includes(agentPath)) return agentPath;
  }
  throw agentNotFound(agents, agentPath);
}
