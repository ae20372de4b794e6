import type { ChalkInstance } from 'chalk';
import type { NumberRecord } from '../core/model.js';
import type { AgentsIndex } from '../core/agents.js';
import { formatPretty, areaCodeOf } from '../core/phone.js';

function title(ws: string): string {
  return ws.charAt(0).toUpperCase() + ws.slice(1);
}

/** The seed's detail view of one number. */
export function renderShow(n: NumberRecord, agents: AgentsIndex | null, chalk: ChalkInstance): string {
  const lines = [
    `${chalk.bold('Phone Number:')} ${n.phone_number}`,
    `Pretty: ${formatPretty(n.phone_number)}`,
    `Type: ${n.phone_number_type}`,
    `Provider: ${n.provider}`,
    `Area Code: ${areaCodeOf(n.phone_number) ?? '-'}`,
  ];
  if (n.country_code) lines.push(`Country: ${n.country_code}`);
  if (n.pool || n.status !== 'active') lines.push(`Pool: ${n.pool ?? '-'}  Status: ${n.status}`);
  if (n.tags.length) lines.push(`Tags: ${n.tags.join(', ')}`);
  if (n.notes) lines.push(`Notes: ${n.notes}`);
  if (n.twilio) {
    lines.push('', chalk.bold('Twilio Configuration:'), `  Phone Number SID: ${n.twilio.phone_number_sid}`, `  Trunk SID: ${n.twilio.trunk_sid ?? '-'}`, `  Friendly Name: ${n.twilio.friendly_name ?? '-'}`);
  }
  if (n.sip_config) {
    lines.push('', chalk.bold('SIP Configuration:'), `  Termination URI: ${n.sip_config.termination_uri ?? '-'}`, `  Origination URI: ${n.sip_config.origination_uri ?? '-'}`, `  Auth Type: ${n.sip_config.auth_type ?? '-'}`);
  }
  lines.push('', chalk.bold('Workspace Assignments:'));
  const wss = Object.keys(n.workspaces).sort();
  if (wss.length === 0) lines.push('', `  ${chalk.yellow('Not imported into any workspace')}`);
  for (const ws of wss) {
    const wn = n.workspaces[ws]!;
    const a = wn.assignment;
    lines.push('', `  ${title(ws)}:`, `    ${chalk.green('✓')} Imported: ${wn.import_date ?? 'unknown'}`);
    if (wn.nickname) lines.push(`    Nickname: ${wn.nickname}`);
    if (!a) {
      lines.push(`    Assignment: ${chalk.dim('unassigned')}`);
      continue;
    }
    const name = a.agent_name ?? (a.agent_path ? agents?.agents.get(a.agent_path)?.name : null) ?? '-';
    lines.push(`    Agent Path: ${a.agent_path ?? '-'}`, `    Agent ID: ${a.agent_id ?? '-'}`, `    Agent Name: ${name}`, `    Assignment: ${a.assignment_type}`);
    if (a.inbound_agent_id !== a.outbound_agent_id && a.inbound_agent_id && a.outbound_agent_id) {
      lines.push(`    Inbound Agent ID: ${a.inbound_agent_id}`, `    Outbound Agent ID: ${a.outbound_agent_id}`);
    }
    for (const [label, list] of [['Inbound', a.inbound_agents], ['Outbound', a.outbound_agents]] as const) {
      if (list && list.length > 1) lines.push(`    ${label} Agents: ${list.map((w) => `${w.agent_path ?? w.agent_id} (${w.weight})`).join(', ')}`);
    }
    if (a.release_at) lines.push(`    Hold Until: ${a.release_at}`);
  }
  return `${lines.join('\n')}\n`;
}
