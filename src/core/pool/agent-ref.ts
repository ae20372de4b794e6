import type { AgentsIndex } from '../agents.js';
import { resolveAgent } from '../agents.js';
import { NotFoundError } from '../errors.js';

export interface AgentInWorkspace { path: string; id: string; name: string | null }

/**
 * An agent given as a path (`agents/sales-agent`, `sales-agent`) or an id (`agent_…`), with its id in the
 * workspace: the folder must exist and hold `<workspace>.json` (exit 4 otherwise).
 */
export function agentInWorkspace(index: AgentsIndex, input: string, workspace: string): AgentInWorkspace {
  const path = resolveAgent(index, input, workspace);
  const info = index.agents.get(path);
  if (!info) throw new NotFoundError(`agent not found: ${path} has no folder`, 'agents are folders under agents/ holding <workspace>.json with the agent_id');
  const id = info.ids[workspace];
  if (!id) throw new NotFoundError(`agent not found in workspace ${workspace}: ${path}/${workspace}.json is missing (no agent_id for ${workspace})`);
  return { path, id, name: info.name };
}
