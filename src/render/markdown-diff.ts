import type { WorkspaceDiff, DiffOnly, DiffSide } from '../core/query.js';
import { agentLabel } from './agent-label.js';
import { mdDocument, mdHeading, mdTable, mdText, plural, sortRows } from './markdown.js';

// agentLabel escapes control characters itself; mdTable escapes the Markdown.
const who = (s: DiffOnly | DiffSide) => agentLabel(s, s.assignment_type, s.agent_path);

export function renderDiffMarkdown(a: string, b: string, diff: WorkspaceDiff, numbersInA: number): string {
  const heading = mdHeading(2, `phone-dir diff: ${a} ↔ ${b}`);
  const total = diff.only_in_a.length + diff.only_in_b.length + diff.different.length;
  if (a === b || total === 0) {
    return mdDocument([heading, `**Identical**: ${a === b ? `${mdText(a)} compared with itself` : `${mdText(a)} and ${mdText(b)} agree`} (${plural(numbersInA, 'number')}).`]);
  }
  const section = (title: string, head: string[], rows: string[][]) =>
    [mdHeading(3, `${title} (${rows.length})`), rows.length ? mdTable(head, sortRows(rows), title) : '_None._'];
  return mdDocument([
    heading,
    `**${plural(total, 'difference')}**: ${diff.only_in_a.length} only in ${mdText(a)}, ${diff.only_in_b.length} only in ${mdText(b)}, ${diff.different.length} assigned differently.`,
    ...section(`Only in ${a}`, ['number', 'agent'], diff.only_in_a.map((x) => [x.phone_number, who(x)])),
    ...section(`Only in ${b}`, ['number', 'agent'], diff.only_in_b.map((x) => [x.phone_number, who(x)])),
    ...section('Assigned differently', ['number', a, b], diff.different.map((x) => [x.phone_number, who(x.a), who(x.b)])),
  ]);
}
