import type { ChalkInstance } from 'chalk';
import type { SyncResult } from './run.js';
import { summarizePlan } from '../../core/plan.js';

export function syncJson(r: SyncResult, dryRun: boolean): object {
  return {
    ok: r.exitCode === 0,
    dry_run: dryRun,
    workspaces: r.workspaces,
    summary: r.plan.summary,
    changes: r.plan.changes,
    refusals: r.refusals,
    failures: r.failures.map(({ source, message }) => ({ source, message })),
    written: r.written,
    commit: r.commit,
    requests: r.requests,
    duration_ms: r.duration_ms,
  };
}

export function renderPlanLines(r: SyncResult, chalk: ChalkInstance): string {
  const color = (line: string) => (line.startsWith('+') ? chalk.green(line) : line.startsWith('-') ? chalk.red(line) : chalk.yellow(line));
  return r.plan.changes.map((c) => `${color(c.summary)}\n`).join('');
}

export function renderSyncSummary(r: SyncResult, dryRun: boolean): string {
  const changes = r.plan.changes.length > 0;
  const nothingFetched = r.failures.length > 0 && r.written.length === 0 && !changes;
  const state = nothingFetched ? 'failed, nothing changed' : !changes ? 'up to date' : dryRun ? `would change: ${summarizePlan(r.plan)}` : r.written.length ? `changed: ${summarizePlan(r.plan)}` : `not applied: ${summarizePlan(r.plan)}`;
  const parts = [`sync: ${state}`];
  if (r.commit) parts.push(`committed ${r.commit.slice(0, 8)}`);
  if (r.failures.length) parts.push(`${r.failures.length} failed (${r.failures.map((f) => f.source).join(', ')})`);
  if (r.refusals.length) parts.push(`${r.refusals.length} refused (${r.refusals.map((f) => f.source).join(', ')}; --force to apply)`);
  parts.push(`${r.requests} requests in ${(r.duration_ms / 1000).toFixed(1)}s`);
  return `${parts.join('; ')}\n`;
}
