import type { AgentsIndex } from './agents.js';
import type { PlatformAgentSnapshot } from './snapshot.js';

/*
 * `agents pull`: which agent folder files to create or complete so that every agent of a workspace's
 * platform has an `agents/<name>/<workspace>.json`. Pure: the command reads the folder and writes the plan.
 * A field someone wrote by hand is never changed; only missing files and missing fields are written.
 */

/** One file to write, as a JSON object (the whole new content: what was there plus the missing field). */
export interface AgentFileWrite { path: string; content: Record<string, unknown>; created: boolean }

export interface AgentsPullPlan {
  workspace: string;
  writes: AgentFileWrite[];
  /** Agents that already have a folder for this workspace. */
  known: { agent_id: string; agent_path: string }[];
  /** Agents given a new folder, or a workspace file in an existing folder of the same name. */
  added: { agent_id: string; agent_path: string; agent_name: string | null }[];
}

const MAX_SLUG = 64;

/** A folder name for an agent: its name in lower case, words joined by "-" (its id when it has no usable name). */
export function agentSlug(name: string | null, agentId: string): string {
  const from = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX_SLUG).replace(/-+$/, '');
  return (name && from(name)) || from(agentId) || 'agent';
}

/**
 * The plan for one workspace. `agentJson` holds each existing folder's parsed agent.json (null: none). A
 * folder whose name is the agent's slug is used when it has no file for this workspace yet; when it has one
 * for another agent, the new folder gets a numbered name (`-2`, `-3`…).
 */
export function planAgentsPull(index: AgentsIndex, agentJson: ReadonlyMap<string, Record<string, unknown> | null>, workspace: string, agents: PlatformAgentSnapshot[]): AgentsPullPlan {
  const plan: AgentsPullPlan = { workspace, writes: [], known: [], added: [] };
  const usedNow = new Set<string>();
  for (const agent of [...agents].sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1))) {
    const existing = index.byId.get(`${workspace}\u0000${agent.agent_id}`);
    if (existing) {
      plan.known.push({ agent_id: agent.agent_id, agent_path: existing });
      completeName(plan, existing, agentJson, agent.agent_name);
      continue;
    }
    const slug = agentSlug(agent.agent_name, agent.agent_id);
    let agentPath = `agents/${slug}`;
    for (let n = 2; index.agents.get(agentPath)?.ids[workspace] !== undefined || usedNow.has(agentPath); n++) agentPath = `agents/${slug}-${n}`;
    usedNow.add(agentPath);
    plan.writes.push({ path: `${agentPath}/${workspace}.json`, content: { agent_id: agent.agent_id }, created: true });
    if (index.agents.has(agentPath)) completeName(plan, agentPath, agentJson, agent.agent_name);
    else if (agent.agent_name) plan.writes.push({ path: `${agentPath}/agent.json`, content: { agent_name: agent.agent_name }, created: true });
    plan.added.push({ agent_id: agent.agent_id, agent_path: agentPath, agent_name: agent.agent_name });
  }
  return plan;
}

/** agent.json gets the platform's name only where it has none: a name someone wrote stays. */
function completeName(plan: AgentsPullPlan, agentPath: string, agentJson: ReadonlyMap<string, Record<string, unknown> | null>, name: string | null): void {
  if (!name) return;
  const current = agentJson.get(agentPath) ?? null;
  if (current && typeof current.agent_name === 'string') return;
  if (plan.writes.some((w) => w.path === `${agentPath}/agent.json`)) return;
  plan.writes.push({ path: `${agentPath}/agent.json`, content: { ...(current ?? {}), agent_name: name }, created: current === null });
}
