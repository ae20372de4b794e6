import type { ChalkInstance } from 'chalk';
import type { SyncResult } from './run.js';
import type { Change } from '../../core/plan.js';
import { summarizePlan } from '../../core/plan.js';

export function syncJson(r: SyncResult, dryRun: boolean): object {
  return {
    ok: r.exitCode === 0,
    dry_run: dryRun,
    workspaces: r.workspaces,
    summary: r.plan.summary,
    changes: r.plan.changes,
    refusals: r.refusals,
    refused_changes: r.refusedChanges,
    failures: r.failures.map(({ source, message }) => ({ source, message })),
    written: r.written,
    commit: r.commit,
    requests: r.requests,
    duration_ms: r.duration_ms,
  };
}

function changeLines(changes: Change[], chalk: ChalkInstance, indent = ''): string {
  const color = (line: string) => (line.startsWith('+') ? chalk.green(line) : line.startsWith('-') ? chalk.red(line) : chalk.yellow(line));
  return changes.map((c) => `${indent}${color(c.summary)}\n`).join('');
}

export function renderPlanLines(r: SyncResult, chalk: ChalkInstance): string {
  return changeLines(r.plan.changes, chalk);
}

/** What the safety checks kept from being applied, so that a user can judge it before --force. */
export function renderRefusedLines(r: SyncResult, chalk: ChalkInstance): string {
  if (r.refusedChanges.length === 0) return '';
  return `refused, not applied (--force applies):\n${changeLines(r.refusedChanges, chalk, '  ')}`;
}

export function stateOf(r: SyncResult, dryRun: boolean): string {
  const changes = r.plan.changes.length > 0;
  const incomplete = r.failures.length > 0 || r.refusals.length > 0;
  if (!changes) {
    if (r.failures.length > 0 && r.written.length === 0) return 'failed, nothing changed';
    return incomplete ? 'nothing changed from the sources applied' : 'up to date';
  }
  if (dryRun) return `would change: ${summarizePlan(r.plan)}`;
  return r.written.length ? `changed: ${summarizePlan(r.plan)}` : `not applied: ${summarizePlan(r.plan)}`;
}

export function renderSyncSummary(r: SyncResult, dryRun: boolean): string {
  const parts = [`sync: ${stateOf(r, dryRun)}`];
  if (r.commit) parts.push(`committed ${r.commit.slice(0, 8)}`);
  if (r.failures.length) parts.push(`${r.failures.length} failed (${r.failures.map((f) => f.source).join(', ')})`);
  if (r.refusals.length) parts.push(`${r.refusals.length} refused (${r.refusals.map((f) => f.source).join(', ')}; --force to apply)`);
  parts.push(`${r.requests} requests in ${(r.duration_ms / 1000).toFixed(1)}s`);
  return `${parts.join('; ')}\n`;
}
