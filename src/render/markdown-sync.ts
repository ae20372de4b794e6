import type { Change } from '../core/plan.js';
import { mdDocument, mdHeading, mdTable, mdText, plural, sortRows } from './markdown.js';

export interface SyncMarkdownInput {
  command: string;
  dryRun: boolean;
  /** The one-line state ("would change: …", "up to date"), without timings: a comment must not change by the clock. */
  state: string;
  changes: Change[];
  refusedChanges: Change[];
  problems: string[];
}

const KIND: Record<Change['kind'], string> = { add: 'add', remove: 'remove', change: 'change' };

/** The summary without its leading "+ +1415… workspace:" part, which the table's own columns hold. */
function detail(c: Change): string {
  let text = c.summary.replace(/^[+~-]\s+/, '');
  if (c.phone_number && text.startsWith(c.phone_number)) text = text.slice(c.phone_number.length).replace(/^:?\s*/, '');
  if (c.workspace && text.startsWith(`${c.workspace}: `)) text = text.slice(c.workspace.length + 2);
  return text;
}

const rows = (changes: Change[]) => sortRows(changes.map((c) => [c.phone_number, c.workspace ?? '', KIND[c.kind], detail(c)]));

export function renderSyncMarkdown(s: SyncMarkdownInput): string {
  const head = ['number', 'workspace', 'change', 'details'];
  const blocks = [
    mdHeading(2, `phone-dir ${s.command}${s.dryRun ? ' (plan)' : ''}: ${s.changes.length ? plural(s.changes.length, 'change') : 'no changes'}`),
    `**${mdText(s.state)}**`,
  ];
  if (s.changes.length) blocks.push(mdTable(head, rows(s.changes), s.dryRun ? 'Planned changes' : 'Changes'));
  if (s.refusedChanges.length) blocks.push(mdHeading(3, `Refused, not applied (${s.refusedChanges.length}; --force applies)`), mdTable(head, rows(s.refusedChanges), 'Refused changes'));
  if (s.problems.length) blocks.push(mdHeading(3, 'Problems'), [...s.problems].sort().map((p) => `- ${mdText(p)}`).join('\n'));
  return mdDocument(blocks);
}
