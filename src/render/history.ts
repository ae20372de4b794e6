import type { FieldChange, HistoryAgent, HistoryValue, NumberHistory } from '../core/history.js';
import { safeText } from './safe-text.js';

function agents(list: HistoryAgent[]): string {
  if (list.length === 0) return '(none)';
  return list.map((w) => {
    const name = w.agent_path ? `${safeText(w.agent_path)} (${safeText(w.agent_id)})` : safeText(w.agent_id);
    return list.length > 1 ? `${name} ×${w.weight}` : name;
  }).join(', ');
}

function value(v: HistoryValue): string {
  if (Array.isArray(v)) return agents(v);
  return v === null ? '(none)' : safeText(String(v));
}

const LABELS: Record<string, string> = { assignment_type: 'assignment type', inbound_agents: 'inbound agent', outbound_agents: 'outbound agent' };

/** One change as a line: "staging: inbound agent: agents/a (agent_1) → agents/b (agent_2)". */
export function changeLine(c: FieldChange): string {
  const ws = c.workspace === null ? '' : `${safeText(c.workspace)}: `;
  if (c.field === 'in_directory') return c.to ? 'added to the directory' : 'removed from the directory';
  if (c.field === 'in_workspace') return `${ws}${c.to ? 'added to the workspace' : 'removed from the workspace'}`;
  return `${ws}${LABELS[c.field] ?? c.field}: ${value(c.from)} → ${value(c.to)}`;
}

export function renderHistoryText(h: NumberHistory): string {
  const n = h.changes.length;
  const lines = [`History of ${h.phone_number} (${n} commit${n === 1 ? '' : 's'}, newest first)`];
  for (const c of h.changes) {
    lines.push('', `${c.commit}  ${c.date}  ${safeText(c.author)}  ${safeText(c.subject)}`, ...c.changes.map((x) => `  ${changeLine(x)}`));
  }
  return `${lines.join('\n')}\n`;
}
