import type { Report } from '../core/report.js';
import { mdDocument, mdHeading, mdTable, mdText, sortRows } from './markdown.js';

const counts = (record: Record<string, number>) => sortRows(Object.entries(record).map(([k, v]) => [k, String(v)]));

export function renderReportMarkdown(r: Report): string {
  const act = r.recent_activity;
  const s = r.summary;
  return mdDocument([
    mdHeading(2, 'Phone number directory report'),
    `**${s.total_numbers} numbers**: ${s.assigned} assigned, ${s.unassigned} unassigned (generated ${mdText(r.generated)}).`,
    mdHeading(3, 'By workspace'),
    mdTable(['workspace', 'platform', 'numbers', 'assigned'], sortRows(Object.entries(r.by_workspace).map(([ws, v]) => [ws, v.platform, String(v.numbers), String(v.assigned)])), 'Workspaces'),
    mdHeading(3, 'By platform'),
    mdTable(['platform', 'workspaces', 'numbers', 'assigned'], sortRows(Object.entries(r.by_platform).map(([p, v]) => [p, String(v.workspaces), String(v.numbers), String(v.assigned)])), 'Platforms'),
    mdHeading(3, 'By type'), mdTable(['type', 'numbers'], counts(r.by_type), 'Types'),
    mdHeading(3, 'By provider'), mdTable(['provider', 'numbers'], counts(r.by_provider), 'Providers'),
    mdHeading(3, 'Top agents'),
    // Ranked by the report itself (most numbers first): that order is the content.
    r.top_agents.length ? mdTable(['#', 'agent', 'numbers'], r.top_agents.map((a, i) => [String(i + 1), a.agent_path, String(a.numbers)]), 'Top agents') : '_No assignments._',
    mdHeading(3, 'Import methods'), mdTable(['method', 'numbers'], counts(r.import_methods), 'Import methods'),
    mdHeading(3, 'Recent activity'),
    [
      `- Last import: ${act.last_import ? mdText(`${act.last_import.phone_number} in ${act.last_import.workspace} (${act.last_import.date})`) : '-'}`,
      `- Last assignment: ${act.last_assignment ? mdText(`${act.last_assignment.phone_number} → ${act.last_assignment.agent_path ?? '?'} in ${act.last_assignment.workspace} (${act.last_assignment.date})`) : '-'}`,
      `- Last Twilio sync: ${act.last_twilio_sync ? mdText(act.last_twilio_sync) : 'never'}`,
    ].join('\n'),
  ]);
}
