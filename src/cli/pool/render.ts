/** Human output of the pool and number commands (the --json shapes are the result objects themselves). */
import type { ChalkInstance } from 'chalk';
import type { AssignResult } from '../../pool/assign.js';
import type { ProvisionResult } from '../../pool/provision.js';
import { releaseLine, type ReleaseResult } from '../../pool/release.js';
import type { HoldResult } from '../../pool/hold.js';
import type { HealthResult } from '../../pool/health.js';
import type { DeleteResult } from '../../pool/number.js';
import { describeAffected } from '../../pool/number.js';
import type { NumberRecord } from '../../core/model.js';
import { renderTable } from '../../render/table.js';
import { formatPretty } from '../../core/phone.js';
import type { LeaseRow } from '../../pool/lease.js';
import type { AuditRecord } from '../../store/audit.js';
import { parseUntil } from '../../core/pool/pools.js';
import { parseDuration } from '../../core/duration.js';
import { UsageError } from '../../core/errors.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function assignText(r: AssignResult): string {
  return `${r.phone_number}\n`;
}

export function assignNote(r: AssignResult): string {
  return `assigned ${r.phone_number} (${formatPretty(r.phone_number)}) to ${r.agent_path} in ${r.workspace} (${r.assignment_type})${r.release_at ? `, held until ${r.release_at}` : ''}`;
}

function routeText(route: ProvisionResult['route']): string {
  const via = route.trunk_sid ? `trunk ${route.trunk_sid}` : 'webhooks (no trunk)';
  const auth = route.auth_username ? `SIP user ${route.auth_username}, password from $${route.auth_password_env ?? '?'}` : 'no SIP credentials';
  return `via ${via}; termination URI ${route.termination_uri ?? '-'}; ${auth}`;
}

export function provisionJson(r: ProvisionResult): object {
  const { exitCode: _exit, ...rest } = r;
  return rest;
}

export function provisionText(r: ProvisionResult, chalk: ChalkInstance): string {
  const lines: string[] = [];
  if (r.dry_run) {
    if (!r.candidates.length) lines.push(`nothing to buy for pool ${r.pool} (${r.workspace})`);
    else {
      lines.push(`would buy ${plural(r.candidates.length, 'number')} for pool ${r.pool} (${r.workspace}):`);
      for (const c of r.candidates) lines.push(`  ${c.phone_number}  ${c.phone_number_pretty}${c.locality ? `  ${c.locality}${c.region ? `, ${c.region}` : ''}` : ''}`);
      lines.push(routeText(r.route));
    }
    return `${lines.join('\n')}\n`;
  }
  if (r.cancelled) return 'cancelled: nothing bought\n';
  if (r.available_before !== undefined && r.bought.length === 0 && r.failed.length === 0) {
    return `pool ${r.pool} (${r.workspace}) has ${r.available_before} available: nothing to buy\n`;
  }
  for (const b of r.bought) lines.push(`${chalk.green('+')} ${b.phone_number}  ${b.trunk_sid ? `trunk ${b.trunk_sid}` : 'webhooks'}  → ${r.workspace} (pool ${b.pool})`);
  for (const f of r.failed) lines.push(`${chalk.red('✗')} ${f.phone_number === '-' ? '' : `${f.phone_number}: `}${f.message}${f.pending ? ' (will be settled by the next phone-dir command)' : ''}`);
  const tail = r.available_after !== undefined ? `; pool ${r.pool} now has ${r.available_after} available` : '';
  lines.push(`provisioned ${plural(r.bought.length, 'number')} into pool ${r.pool} (${r.workspace})${tail}`);
  return `${lines.join('\n')}\n`;
}

export function releaseJson(r: ReleaseResult): object {
  const { exitCode: _exit, ...rest } = r;
  return rest;
}

export function releaseText(r: ReleaseResult, chalk: ChalkInstance): string {
  if (r.cancelled) return 'cancelled: nothing released\n';
  const lines: string[] = [];
  if (r.dry_run) {
    const would = r.would_release ?? [];
    for (const n of r.already_unassigned) lines.push(`${n} is not assigned: nothing to release`);
    for (const n of would) lines.push(`  ${releaseLine(n)}`);
    for (const n of r.skipped) lines.push(`${chalk.yellow('…')} ${n.phone_number}  ${n.workspace}: would be skipped, ${n.reason}`);
    if (!r.already_unassigned.length) lines.push(`would release ${plural(would.length, 'number')} (dry run: nothing changed)`);
    return `${lines.join('\n')}\n`;
  }
  for (const n of r.already_unassigned) lines.push(`${n} is not assigned: nothing to release`);
  for (const n of r.released) lines.push(`${chalk.green('↩')} ${n.phone_number}  ${n.workspace}  from ${n.agent_path ?? '?'}${n.partial ? '  (other agents stay)' : n.pool ? `  → pool ${n.pool}` : ''}`);
  for (const n of r.skipped) lines.push(`${chalk.yellow('…')} ${n.phone_number}  ${n.workspace}: skipped, ${n.reason}`);
  for (const n of r.failed) lines.push(`${chalk.red('✗')} ${n.phone_number}  ${n.workspace}: ${n.message}`);
  if (!r.already_unassigned.length) lines.push(`released ${plural(r.released.length, 'number')}${r.skipped.length ? `, skipped ${r.skipped.length}` : ''}${r.failed.length ? `, ${r.failed.length} failed` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function holdText(r: HoldResult): string {
  return r.release_at ? `${r.phone_number} (${r.workspace}) is held until ${r.release_at}\n` : `${r.phone_number} (${r.workspace}) has no hold now\n`;
}

export function healthJson(r: HealthResult): object {
  return { ok: r.ok, pools: r.pools };
}

export function healthText(r: HealthResult, chalk: ChalkInstance): string {
  if (!r.pools.length) return 'no pools: define them in phone-numbers/pools.json, or give numbers a pool (pool provision, number update --pool)\n';
  const rows = r.pools.map((p) => [
    p.pool, p.workspace, String(p.available), String(p.assigned), String(p.leased), String(p.reserved), String(p.in_flight), String(p.total),
    p.overdue_holds ? chalk.yellow(String(p.overdue_holds)) : '0', String(p.minimum),
    p.below_minimum ? chalk.red('below minimum') : chalk.green('ok'),
  ]);
  const table = renderTable(['pool', 'workspace', 'available', 'assigned', 'leased', 'reserved', 'in flight', 'total', 'overdue', 'min', 'status'], rows);
  const overdue = r.pools.reduce((n, p) => n + p.overdue_holds, 0);
  const hint = overdue ? `\n${plural(overdue, 'hold')} overdue: phone-dir pool release --expired` : '';
  return `${table}${hint}\n`;
}

export function numberText(verb: string, record: NumberRecord, ws: string): string {
  const wn = record.workspaces[ws];
  const a = wn?.assignment;
  const who = !wn ? 'not imported there' : a ? `${a.agent_path ?? a.agent_id ?? '?'} (${a.assignment_type})` : 'unassigned';
  const extra = [record.pool ? `pool ${record.pool}` : null, record.status !== 'active' ? `status ${record.status}` : null, record.tags.length ? `tags ${record.tags.join(', ')}` : null, wn?.nickname ? `"${wn.nickname}"` : null].filter(Boolean).join('; ');
  return `${verb} ${record.phone_number} in ${ws}: ${who}${extra ? `; ${extra}` : ''}\n`;
}

export function deleteJson(r: DeleteResult): object {
  const { exitCode: _exit, ...rest } = r;
  return rest;
}

export function deleteText(r: DeleteResult): string {
  if (r.cancelled) return 'cancelled: nothing deleted\n';
  const where = r.workspaces.length ? r.workspaces.join(', ') : 'no workspace';
  const lines = [`deleted ${r.phone_number} from ${where}${r.released ? ' and released it at Twilio' : ''}${r.remains ? '' : '; it is no longer in the directory'}${r.left_pool ? `; it left pool ${r.left_pool}` : ''}`];
  if (r.affected_agents.length) lines.push(`unlinked:\n${describeAffected(r.affected_agents).trimEnd()}`);
  return `${lines.join('\n')}\n`;
}

export function leasesText(rows: LeaseRow[]): string {
  if (!rows.length) return 'no leases\n';
  const table = renderTable(['ref', 'number', 'pool', 'workspace', 'until', 'state'], rows.map((l) => [l.ref, l.phone_number, l.pool, l.workspace, l.release_at, l.expired ? 'expired' : 'live']));
  return `${table}\n`;
}

/** `--since`: an ISO time, or a duration back from now. */
export function auditSince(raw: string, now: Date): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(raw.trim())) return new Date(parseUntil(raw, now));
  try {
    return new Date(now.getTime() - parseDuration(raw.trim()));
  } catch {
    throw new UsageError(`--since: "${raw}" is neither a time nor a duration`, 'give an ISO time (2025-11-20T09:00:00Z) or how long ago (24h, 7d)');
  }
}

export function auditText(records: AuditRecord[]): string {
  if (!records.length) return 'no audit records\n';
  return `${records.map((r) => [r.time, r.operation, r.phone_number ?? '-', r.ref !== undefined ? `for ${r.ref}` : r.agent_path ? `agent ${r.agent_path}` : '-', r.result, `${r.who.user ?? '?'}@${r.who.host} pid ${r.who.pid}`].join('  ')).join('\n')}\n`;
}
