import { NotFoundError } from './errors.js';
import { didYouMean } from './suggest.js';

export interface AgentInfo { path: string; name: string | null; ids: Record<string, string> }
export interface AgentsIndex {
  agents: Map<string, AgentInfo>;
  /** `${workspace}\0${agent_id}` → agent path */
  byId: Map<string, string>;
}

export function agentPathForId(index: AgentsIndex, workspace: string, agentId: string): string | null {
  return index.byId.get(`${workspace}\u0000${agentId}`) ?? null;
}

/** Any workspace's id resolves, for commands that take an agent without a workspace. */
export function agentPathForAnyId(index: AgentsIndex, agentId: string): string | null {
  for (const [key, p] of index.byId) if (key.endsWith(`\u0000${agentId}`)) return p;
  return null;
}

export function normalizeAgentPath(input: string): string {
  const trimmed = input.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  return trimmed.startsWith('agents/') ? trimmed : `agents/${trimmed}`;
}

/** What agent ids look like on the platforms phone-dir knows (Retell's `agent_…`, Vapi's UUIDs): never a folder name. */
const AGENT_ID = /^agent_|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Accepts `agents/sales-agent`, `sales-agent` or a workspace agent id (Retell's `agent_…`, a Vapi assistant's
 * UUID). Returns the path; an agent whose folder is gone still resolves by path so that its leftover
 * assignments can be found.
 */
export function resolveAgent(index: AgentsIndex, input: string, workspace?: string): string {
  if (input.includes('/')) return normalizeAgentPath(input);
  // An id any agent folder records resolves, whatever the platform's ids look like.
  const found = workspace ? agentPathForId(index, workspace, input) : agentPathForAnyId(index, input);
  if (found) return found;
  if (AGENT_ID.test(input)) throw new NotFoundError(`agent not found: no agents/*/${workspace ?? '<workspace>'}.json has agent_id "${input}"`);
  return normalizeAgentPath(input);
}

/** The one "agent not found" of a command asked about an agent with no folder and no numbers (exit 4). */
export function agentNotFound(index: AgentsIndex, agentPath: string): NotFoundError {
  return new NotFoundError(`agent not found: ${agentPath} has no folder and no numbers${didYouMean(agentPath, index.agents.keys())}`);
}
