import type { ChalkInstance } from 'chalk';
import type { NumberRecord } from '../core/model.js';
import type { NumberMatch } from '../core/query.js';
import { agentLegs } from '../core/query.js';
import { formatPretty } from '../core/phone.js';
import { renderTable } from './table.js';
import { agentLabel } from './agent-label.js';
import { safeText } from './safe-text.js';
import type { VendorNames } from './vendors.js';

function agentCell(n: NumberRecord, ws: string, chalk: ChalkInstance): string {
  const a = n.workspaces[ws]?.assignment ?? null;
  if (!a) return chalk.dim('unassigned');
  return agentLabel(agentLegs(a), a.assignment_type, a.agent_path ?? a.agent_id);
}

/** One row per number and the workspaces it matched through, so each row shows that workspace's agents. */
export function renderNumbersTable(matches: NumberMatch[], chalk: ChalkInstance, vendors: VendorNames): string {
  const rows: string[][] = [];
  for (const { record: n, workspaces } of matches) {
    const pool = safeText(n.pool ?? '');
    const facts = [safeText(n.phone_number), safeText(formatPretty(n.phone_number)), safeText(n.phone_number_type), safeText(n.provider)];
    if (workspaces.length === 0) rows.push([...facts, chalk.dim('-'), '', chalk.yellow('not imported'), '', pool]);
    for (const ws of workspaces) {
      rows.push([...facts, safeText(ws), safeText(vendors.platformLabel(ws)), agentCell(n, ws, chalk), safeText(n.workspaces[ws]?.nickname ?? ''), pool]);
    }
  }
  if (rows.length === 0) return `${chalk.dim('No numbers match.')}\n`;
  const count = `${matches.length} number${matches.length === 1 ? '' : 's'}`;
  return `${renderTable(['Number', 'Pretty', 'Type', 'Provider', 'Workspace', 'Platform', 'Agent', 'Nickname', 'Pool'].map((h) => chalk.bold(h)), rows)}\n\n${chalk.dim(count)}\n`;
}
