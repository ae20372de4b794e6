/**
 * `agents pull`: the agent folders a directory needs, from each workspace's voice platform (its agent
 * list), so that a new team gets a valid directory without writing `agents/<name>/<workspace>.json` by hand.
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../context.js';
import { requireProjectConfig } from '../config.js';
import { projectPaths } from '../../store/paths.js';
import { readAgents } from '../../store/agents.js';
import { formatIssue } from '../../store/parse-file.js';
import { requireWorkspace } from '../../core/config.js';
import { DataError } from '../../core/errors.js';
import { planAgentsPull, type AgentsPullPlan } from '../../core/agents-pull.js';

export interface AgentsPullOptions { workspaces: string[]; dryRun: boolean }
export interface AgentsPullResult { dry_run: boolean; workspaces: AgentsPullPlan[]; written: string[] }

async function agentJsonOf(root: string, agentPaths: Iterable<string>): Promise<Map<string, Record<string, unknown> | null>> {
  const out = new Map<string, Record<string, unknown> | null>();
  for (const agentPath of agentPaths) {
    try {
      const value: unknown = JSON.parse(await readFile(path.join(root, agentPath, 'agent.json'), 'utf8'));
      out.set(agentPath, typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
    } catch {
      out.set(agentPath, null);
    }
  }
  return out;
}

export async function runAgentsPull(ctx: Context, o: AgentsPullOptions): Promise<AgentsPullResult> {
  const config = await requireProjectConfig(projectPaths(ctx.root));
  const workspaces = o.workspaces.length ? o.workspaces : [...config.workspaces.keys()].sort();
  for (const ws of workspaces) requireWorkspace(config, ws);
  const read = await readAgents(ctx.root);
  // A broken agent file would be read as "no agent here" and written over: fix it first.
  if (read.issues.length) throw new DataError(formatIssue(read.issues[0]!), 'fix that agent file (phone-dir validate lists every problem), then run agents pull again');
  const { createProviders } = await import('../../providers/index.js');
  const providers = createProviders(config, ctx.env);
  const agentJson = await agentJsonOf(ctx.root, read.index.agents.keys());
  const plans: AgentsPullPlan[] = [];
  for (const ws of workspaces) {
    const agents = await (await providers.platform(ws)).listAgents();
    const plan = planAgentsPull(read.index, agentJson, ws, agents);
    plans.push(plan);
    // The next workspace's plan sees this one's new folders (the same agent name in two workspaces: one folder).
    for (const a of plan.added) {
      const info = read.index.agents.get(a.agent_path) ?? { path: a.agent_path, name: a.agent_name, ids: {} };
      info.ids[ws] = a.agent_id;
      read.index.agents.set(a.agent_path, info);
      read.index.byId.set(`${ws}\u0000${a.agent_id}`, a.agent_path);
      if (!agentJson.get(a.agent_path) && a.agent_name) agentJson.set(a.agent_path, { agent_name: a.agent_name });
    }
  }
  const result: AgentsPullResult = { dry_run: o.dryRun, workspaces: plans, written: [] };
  if (o.dryRun) return result;
  const { default: writeFileAtomic } = await import('write-file-atomic');
  for (const write of plans.flatMap((p) => p.writes)) {
    const file = path.join(ctx.root, write.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(write.content, null, 2)}\n`);
    result.written.push(write.path);
  }
  return result;
}
