import type { ChalkInstance } from 'chalk';
import type { UnassignedNumber } from '../core/query.js';
import { renderTable } from './table.js';
import { safeText } from './safe-text.js';

const title = (ws: string) => safeText(`${ws.charAt(0).toUpperCase()}${ws.slice(1)}`);

/** "Unassigned Numbers in <Workspace>" sections, then the Twilio numbers imported nowhere. */
export function renderUnassigned(workspaces: string[], rows: UnassignedNumber[], notImported: string[], chalk: ChalkInstance): string {
  const lines: string[] = [];
  for (const ws of workspaces) {
    const mine = rows.filter((r) => r.workspace === ws);
    lines.push(`Unassigned Numbers in ${title(ws)} (${mine.length}):`, '');
    if (mine.length) {
      lines.push(renderTable([], mine.map((r) => [safeText(r.phone_number), safeText(r.phone_number_type), safeText(r.phone_number_pretty), r.nickname === null ? chalk.dim('No nickname') : safeText(r.nickname)])));
    } else {
      lines.push(chalk.dim('(none)'));
    }
    lines.push('');
  }
  if (notImported.length) lines.push(`Twilio numbers imported in no workspace (${notImported.length}):`, '', ...notImported.map(safeText), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
