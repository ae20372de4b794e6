import { readdirSync } from 'node:fs';
import { folderExists, readTextSyncOrNull, UnusablePathError } from './fsutil.js';
import path from 'node:path';
import { parseJsonText, type FileIssue } from './parse-file.js';
import type { AgentsIndex, AgentInfo } from '../core/agents.js';

/**
 * Reads agents/<name>/{agent.json,<ws>.json}; unreadable files become issues, not failures. Synchronous
 * reads: a few hundred tiny files cost less this way than as as many thread-pool round trips.
 */
export async function readAgents(root: string): Promise<{ index: AgentsIndex; issues: FileIssue[] }> {
  const agentsDir = path.join(root, 'agents');
  const issues: FileIssue[] = [];
  const agents = new Map<string, AgentInfo>();
  let names: string[] = [];
  // A file named agents is not "no agents": sync would unlink every number from its agent.
  if (!(await folderExists(agentsDir, 'agents'))) return { index: { agents, byId: new Map() }, issues };
  try {
    names = readdirSync(agentsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return { index: { agents, byId: new Map() }, issues };
  }
  for (const name of names) {
    const agentPath = `agents/${name}`;
    // Keyed by workspace names taken from file names: no inherited keys (`constructor.json`).
    const info: AgentInfo = { path: agentPath, name: null, ids: Object.create(null) as Record<string, string> };
    const files = readdirSync(path.join(agentsDir, name));
    for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
      const rel = `${agentPath}/${file}`;
      let text: string | null;
      try {
        text = readTextSyncOrNull(path.join(agentsDir, name, file), rel, root);
      } catch (err) {
        if (!(err instanceof UnusablePathError)) throw err;
        issues.push({ file: rel, field: '(file)', message: err.message.replace(`${rel} `, '') });
        continue;
      }
      if (text === null) continue;
      // Agent files belong to other tools and are tiny: checked by hand, without loading the schema library.
      const { value, issues: found } = parseJsonText(rel, text);
      issues.push(...found);
      const json = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      if (file === 'agent.json') {
        if (json.agent_name !== undefined && typeof json.agent_name !== 'string') issues.push({ file: rel, field: 'agent_name', message: 'expected a string' });
        info.name = typeof json.agent_name === 'string' ? json.agent_name : null;
      } else if (typeof json.agent_id === 'string' && json.agent_id !== '') {
        info.ids[file.slice(0, -'.json'.length)] = json.agent_id;
      } else if (!found.length) {
        issues.push({ file: rel, field: 'agent_id', message: 'expected a non-empty string' });
      }
    }
    agents.set(agentPath, info);
  }
  const byId = new Map<string, string>();
  for (const info of [...agents.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    for (const [ws, id] of Object.entries(info.ids)) byId.set(`${ws}\u0000${id}`, info.path);
  }
  return { index: { agents, byId }, issues };
}
