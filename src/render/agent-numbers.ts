import type { ChalkInstance } from 'chalk';
import type { AgentNumber, LegAgent } from '../core/query.js';
import { renderTable } from './table.js';
import { safeText, safeOrNull } from './safe-text.js';

const title = (ws: string) => safeText(`${ws.charAt(0).toUpperCase()}${ws.slice(1)}`);

/** `(inbound-outbound, outbound leg; inbound: agents/sales)`: which leg this agent has, and who has the other. */
function bindingCell(row: AgentNumber, agentPath: string): string {
  if (row.direction === 'both') {
    const shared = [...row.inbound_agents, ...row.outbound_agents].some((w) => w.agent_path !== agentPath);
    return shared ? `(${row.assignment_type}, shared: ${others(row, agentPath)})` : `(${row.assignment_type})`;
  }
  if (row.assignment_type !== 'inbound-outbound') return `(${row.assignment_type})`;
  return `(${row.assignment_type}, ${row.direction} leg; ${others(row, agentPath)})`;
}

function others(row: AgentNumber, agentPath: string): string {
  const share = (w: LegAgent, list: LegAgent[]) => (list.length > 1 ? ` ${Math.round(w.weight * 100)}%` : '');
  const names = (list: LegAgent[]) => list.filter((w) => w.agent_path !== agentPath).map((w) => `${safeText(w.agent_path ?? w.agent_id)}${share(w, list)}`);
  const sides = [['inbound', names(row.inbound_agents)], ['outbound', names(row.outbound_agents)]] as const;
  return sides.filter(([, list]) => list.length).map(([label, list]) => `${label}: ${list.join(', ')}`).join('; ');
}

/** The seed's per-workspace lists of one agent's numbers. */
export function renderAgentNumbers(agentPath: string, name: string | null, workspaces: string[], rows: AgentNumber[], chalk: ChalkInstance): string {
  const lines = [`${chalk.bold('Agent:')} ${safeOrNull(name) ?? chalk.yellow('(no agent folder)')}`, `Path: ${safeText(agentPath)}`];
  for (const ws of workspaces) {
    const mine = rows.filter((r) => r.workspace === ws);
    lines.push('', `${title(ws)} Numbers (${mine.length}):`);
    if (mine.length) lines.push(renderTable([], mine.map((r) => [`  ${safeText(r.phone_number)}`, bindingCell(r, agentPath), safeText(r.nickname ?? '')])));
  }
  return `${lines.join('\n')}\n`;
}
