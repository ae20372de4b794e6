import type { ChalkInstance } from 'chalk';
import type { Report } from '../core/report.js';
import { safeText, safeOrNull } from './safe-text.js';
import type { VendorNames } from './vendors.js';

const TYPE_LABELS: Record<string, string> = { local: 'Local', 'toll-free': 'Toll-Free', mobile: 'Mobile' };
// Numbers a platform bought itself; a carrier's numbers are named by the catalog's label.
const PROVIDER_LABELS: Record<string, string> = { 'retell-twilio': 'Retell (Twilio)', 'retell-telnyx': 'Retell (Telnyx)', custom: 'Custom (SIP)' };
const METHOD_LABELS: Record<string, string> = { 'sip-trunk': 'SIP Trunk', 'direct-purchase': 'Direct Purchase', 'carrier-api': 'Carrier API' };

const title = (s: string) => safeText(s.charAt(0).toUpperCase() + s.slice(1));
const label = (labels: Record<string, string>, key: string) => (Object.hasOwn(labels, key) ? labels[key]! : safeText(key));

/** The seed's text report; text from files goes through safeText. */
export function renderReportText(r: Report, chalk: ChalkInstance, vendors: VendorNames): string {
  const providerLabel = (key: string) => vendors.carrierLabel(key) ?? (Object.hasOwn(PROVIDER_LABELS, key) ? PROVIDER_LABELS[key]! : title(key));
  const lines = [chalk.bold('Phone Number Directory Report'), `Generated: ${r.generated}`, '', 'Summary:',
    `  Total Numbers: ${r.summary.total_numbers}`, `  Assigned: ${r.summary.assigned}`, `  Unassigned: ${r.summary.unassigned}`, '', 'By Workspace:'];
  for (const [ws, s] of Object.entries(r.by_workspace)) lines.push(`  ${title(ws)}: ${s.numbers} numbers, ${s.assigned} assigned`);
  lines.push('', 'By Platform:');
  for (const [platform, p] of Object.entries(r.by_platform)) {
    const workspaces = Object.entries(r.by_workspace).filter(([, w]) => w.platform === platform).map(([ws]) => safeText(ws));
    lines.push(`  ${safeText(vendors.platformLabelOf(platform))}: ${p.numbers} numbers, ${p.assigned} assigned (${workspaces.join(', ')})`);
  }
  lines.push('', 'By Type:', ...Object.entries(r.by_type).map(([k, v]) => `  ${label(TYPE_LABELS, k)}: ${v}`));
  lines.push('', 'By Provider:', ...Object.entries(r.by_provider).map(([k, v]) => `  ${providerLabel(k)}: ${v}`));
  lines.push('', 'Top Agents by Number Count:');
  const paths = r.top_agents.map((a) => safeText(a.agent_path));
  const width = Math.max(0, ...paths.map((p) => p.length));
  r.top_agents.forEach((a, i) => lines.push(`  ${i + 1}. ${paths[i]!.padEnd(width)}    ${a.numbers} number${a.numbers === 1 ? '' : 's'}`));
  if (r.top_agents.length === 0) lines.push(chalk.dim('  (no assignments)'));
  lines.push('', 'Import Methods:', ...Object.entries(r.import_methods).map(([k, v]) => `  ${label(METHOD_LABELS, k)}: ${v}`));
  const act = r.recent_activity;
  lines.push('', 'Recent Activity:',
    `  Last Import: ${act.last_import ? `${safeText(act.last_import.phone_number)} (${safeText(act.last_import.date)})` : '-'}`,
    `  Last Assignment: ${act.last_assignment ? `${safeText(act.last_assignment.phone_number)} → ${safeOrNull(act.last_assignment.agent_path) ?? '?'} (${safeText(act.last_assignment.date)})` : '-'}`,
    `  Last Twilio Sync: ${safeOrNull(act.last_twilio_sync) ?? 'never'}`);
  return `${lines.join('\n')}\n`;
}
