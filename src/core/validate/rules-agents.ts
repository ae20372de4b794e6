import type { Finding } from './finding.js';
import { error } from './finding.js';
import { numbersOf, type ValidationInput } from './context.js';
import type { Assignment } from '../model.js';
import { agentPathForId } from '../agents.js';

function typeProblem(a: Assignment): string | null {
  const inbound = a.inbound_agent_id ?? a.inbound_agents?.[0]?.agent_id ?? null;
  const outbound = a.outbound_agent_id ?? a.outbound_agents?.[0]?.agent_id ?? null;
  switch (a.assignment_type) {
    case 'inbound-outbound':
      return inbound && outbound ? null : 'is inbound-outbound but lacks an inbound or an outbound agent id';
    case 'inbound-only':
      if (!inbound) return 'is inbound-only but has no inbound_agent_id';
      return outbound ? `is inbound-only but has outbound_agent_id ${outbound}` : null;
    case 'outbound-only':
      if (!outbound) return 'is outbound-only but has no outbound_agent_id';
      return inbound ? `is outbound-only but has inbound_agent_id ${inbound}` : null;
  }
}

/**
 * One agent id in several agent folders of a workspace: each folder is one agent, and an id can name only
 * one of them, so numbers bound to that id would be credited to whichever folder sorts last.
 */
export function checkAgentIds(input: ValidationInput): Finding[] {
  const folders = new Map<string, string[]>();
  for (const info of input.agents.agents.values()) {
    for (const [ws, id] of Object.entries(info.ids)) {
      const key = `${ws}\u0000${id}`;
      folders.set(key, [...(folders.get(key) ?? []), info.path]);
    }
  }
  const out: Finding[] = [];
  for (const [key, paths] of [...folders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (paths.length < 2) continue;
    const [ws, id] = key.split('\u0000') as [string, string];
    const sorted = [...paths].sort();
    out.push(error('duplicate-agent-id', `agent id ${id} is in ${sorted.length} agent folders for ${ws} (${sorted.map((p) => `${p}/${ws}.json`).join(', ')}); each agent folder must name its own agent`, { workspace: ws, file: `${sorted[0]}/${ws}.json` }));
  }
  return out;
}

/** Orphans (agent folder gone), unknown agent ids, ids that do not match the path, and type/id mismatches. */
export function checkAssignments(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const orphans = new Map<string, string[]>();
  const badAgentFiles = input.unreadable?.agentFiles ?? new Set<string>();
  // While an agents/*/<ws>.json cannot be read, its id is unknown: ids of that workspace cannot be judged.
  const idsUnknowable = (ws: string) => [...badAgentFiles].some((f) => f.endsWith(`/${ws}.json`));
  for (const n of numbersOf(input)) {
    for (const ws of Object.keys(n.workspaces).sort()) {
      const a = n.workspaces[ws]!.assignment;
      if (!a) continue;
      const file = input.files.assignments(ws);
      const where = { phone_number: n.phone_number, workspace: ws, file };
      const paths = new Set([a.agent_path, ...(a.inbound_agents ?? []).map((w) => w.agent_path), ...(a.outbound_agents ?? []).map((w) => w.agent_path)]);
      for (const p of paths) {
        if (p && !input.agents.agents.has(p)) {
          const key = `${ws}\u0000${p}`;
          orphans.set(key, [...(orphans.get(key) ?? []), n.phone_number]);
        }
      }
      const ids = new Set([a.agent_id, a.inbound_agent_id, a.outbound_agent_id, ...(a.inbound_agents ?? []).map((w) => w.agent_id), ...(a.outbound_agents ?? []).map((w) => w.agent_id)]);
      for (const id of ids) {
        if (!id || idsUnknowable(ws)) continue;
        const owner = agentPathForId(input.agents, ws, id);
        if (!owner) out.push(error('unknown-agent-id', `${n.phone_number} in ${ws}: agent id ${id} matches no agents/*/${ws}.json (phone-dir agents pull --workspace ${ws} creates the agent folders from the platform)`, where));
      }
      // The primary agent and every weighted agent name both an id and a path: they must be the same agent.
      const pairs: [string, string | null, string | null][] = [
        ['agent_id', a.agent_id, a.agent_path],
        ...(a.inbound_agents ?? []).map((w, i): [string, string | null, string | null] => [`inbound_agents.${i}.agent_id`, w.agent_id, w.agent_path]),
        ...(a.outbound_agents ?? []).map((w, i): [string, string | null, string | null] => [`outbound_agents.${i}.agent_id`, w.agent_id, w.agent_path]),
      ];
      for (const [field, id, agentPath] of pairs) {
        if (!id || !agentPath || !input.agents.agents.has(agentPath) || badAgentFiles.has(`${agentPath}/${ws}.json`)) continue;
        const expected = input.agents.agents.get(agentPath)!.ids[ws];
        if (expected !== id) {
          out.push(error('agent-id-mismatch', `${n.phone_number} in ${ws}: ${field} ${id} is not ${agentPath}'s (${agentPath}/${ws}.json has ${expected ?? 'no agent_id'})`, where));
        }
      }
      if (!a.agent_id && !a.agent_path) out.push(error('assignment-type', `${n.phone_number} in ${ws} is ${a.assignment_type} but names no agent`, where));
      const problem = typeProblem(a);
      if (problem) out.push(error('assignment-type', `${n.phone_number} in ${ws} ${problem}`, where));
    }
  }
  for (const [key, numbers] of [...orphans].sort()) {
    const [ws, p] = key.split('\u0000') as [string, string];
    out.push(error('orphaned-assignment', `${p} has ${numbers.length} number${numbers.length === 1 ? '' : 's'} in ${ws} (${numbers.join(', ')}) but agent directory doesn't exist`, { workspace: ws, phone_number: numbers[0], file: input.files.assignments(ws) }));
  }
  return out;
}
