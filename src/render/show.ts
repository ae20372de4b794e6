import type { ChalkInstance } from 'chalk';
import type { NumberRecord } from '../core/model.js';
import type { AgentsIndex } from '../core/agents.js';
import { agentPathForId } from '../core/agents.js';
import type { LegAgent } from '../core/query.js';
import { agentLegs, isSingleAgent } from '../core/query.js';
import { formatPretty, areaCodeOf } from '../core/phone.js';
import { safeText, safeOrNull } from './safe-text.js';
import type { VendorNames } from './vendors.js';

function title(ws: string): string {
  return safeText(ws.charAt(0).toUpperCase() + ws.slice(1));
}

function legLine(list: LegAgent[], pathOf: (w: LegAgent) => string | null): string {
  const one = (w: LegAgent) => `${safeText(pathOf(w) ?? '?')} (${safeText(w.agent_id)})`;
  return list.length === 1 ? one(list[0]!) : list.map((w) => `${one(w)} ${Math.round(w.weight * 100)}%`).join(', ');
}

/** The seed's detail view of one number. Every text from a file goes through safeText. */
export function renderShow(n: NumberRecord, agents: AgentsIndex | null, chalk: ChalkInstance, vendors: VendorNames): string {
  const lines = [
    `${chalk.bold('Phone Number:')} ${safeText(n.phone_number)}`,
    `Pretty: ${safeText(formatPretty(n.phone_number))}`,
    `Type: ${safeText(n.phone_number_type)}`,
    `Provider: ${safeText(n.provider)}`,
    `Area Code: ${areaCodeOf(n.phone_number) ?? '-'}`,
  ];
  if (n.country_code) lines.push(`Country: ${safeText(n.country_code)}`);
  if (n.pool || n.status !== 'active') lines.push(`Pool: ${safeOrNull(n.pool) ?? '-'}  Status: ${safeText(n.status)}`);
  if (n.tags.length) lines.push(`Tags: ${n.tags.map(safeText).join(', ')}`);
  if (n.notes) lines.push(`Notes: ${safeText(n.notes)}`);
  if (n.carrier) {
    const c = n.carrier;
    const label = vendors.carrierLabel(n.provider) ?? safeText(n.provider);
    lines.push('', chalk.bold(`${label} Configuration:`), `  Phone Number SID: ${safeText(c.phone_number_sid)}`, `  Trunk SID: ${safeOrNull(c.trunk_sid) ?? '-'}`, `  Friendly Name: ${safeOrNull(c.friendly_name) ?? '-'}`);
  }
  if (n.sip_config) {
    const sip = n.sip_config;
    lines.push('', chalk.bold('SIP Configuration:'), `  Termination URI: ${safeOrNull(sip.termination_uri) ?? '-'}`, `  Origination URI: ${safeOrNull(sip.origination_uri) ?? '-'}`, `  Auth Type: ${safeOrNull(sip.auth_type) ?? '-'}`);
  }
  lines.push('', chalk.bold('Workspace Assignments:'));
  const wss = Object.keys(n.workspaces).sort();
  if (wss.length === 0) lines.push('', `  ${chalk.yellow('Not imported into any workspace')}`);
  for (const ws of wss) {
    const wn = n.workspaces[ws]!;
    const a = wn.assignment;
    lines.push('', `  ${title(ws)}:`, `    ${chalk.green('✓')} Imported: ${safeOrNull(wn.import_date) ?? 'unknown'}`, `    Platform: ${safeText(vendors.platformLabel(ws))}`);
    if (wn.nickname) lines.push(`    Nickname: ${safeText(wn.nickname)}`);
    if (!a) {
      lines.push(`    Assignment: ${chalk.dim('unassigned')}`);
      continue;
    }
    const name = a.agent_name ?? (a.agent_path ? agents?.agents.get(a.agent_path)?.name : null) ?? '-';
    lines.push(`    Agent Path: ${safeOrNull(a.agent_path) ?? '-'}`, `    Agent ID: ${safeOrNull(a.agent_id) ?? '-'}`, `    Agent Name: ${safeText(name)}`, `    Assignment: ${safeText(a.assignment_type)}`);
    // A split or weighted binding: the primary agent above is only part of it, so name every agent per side.
    const legs = agentLegs(a);
    if (!isSingleAgent(legs)) {
      const pathOf = (w: LegAgent) => w.agent_path ?? (agents ? agentPathForId(agents, ws, w.agent_id) : null);
      if (legs.inbound_agents.length) lines.push(`    Inbound: ${legLine(legs.inbound_agents, pathOf)}`);
      if (legs.outbound_agents.length) lines.push(`    Outbound: ${legLine(legs.outbound_agents, pathOf)}`);
    }
    if (a.release_at) lines.push(`    Hold Until: ${safeText(a.release_at)}`);
  }
  return `${lines.join('\n')}\n`;
}
