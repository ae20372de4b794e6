import type { ChalkInstance } from 'chalk';
import type { NumberRecord } from '../core/model.js';
import { formatPretty } from '../core/phone.js';
import { renderTable } from './table.js';

function agentCell(n: NumberRecord, ws: string, chalk: ChalkInstance): string {
  const a = n.workspaces[ws]?.assignment;
  if (!a) return chalk.dim('unassigned');
  return `${a.agent_path ?? a.agent_id ?? '?'} (${a.assignment_type})`;
}

/** One row per number and workspace, so a number shows each workspace's agent. */
export function renderNumbersTable(numbers: NumberRecord[], chalk: ChalkInstance, onlyWorkspace?: string): string {
  const rows: string[][] = [];
  for (const n of numbers) {
    const wss = onlyWorkspace ? [onlyWorkspace] : Object.keys(n.workspaces).sort();
    if (wss.length === 0) rows.push([n.phone_number, formatPretty(n.phone_number), n.phone_number_type, chalk.dim('-'), chalk.yellow('not imported'), '', n.pool ?? '']);
    for (const ws of wss) {
      rows.push([n.phone_number, formatPretty(n.phone_number), n.phone_number_type, ws, agentCell(n, ws, chalk), n.workspaces[ws]?.nickname ?? '', n.pool ?? '']);
    }
  }
  if (rows.length === 0) return `${chalk.dim('No numbers match.')}\n`;
  const count = `${numbers.length} number${numbers.length === 1 ? '' : 's'}`;
  return `${renderTable(['Number', 'Pretty', 'Type', 'Workspace', 'Agent', 'Nickname', 'Pool'].map((h) => chalk.bold(h)), rows)}\n\n${chalk.dim(count)}\n`;
}
