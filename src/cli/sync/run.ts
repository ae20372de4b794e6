import type { Context } from '../context.js';
import { withDirectoryLock } from '../lock.js';
import { fetchSnapshots, type Failure } from './fetch.js';
import { requireConfig } from '../../store/config-file.js';
import { projectPaths } from '../../store/paths.js';
import { loadDirectory, writeDirectory } from '../../store/directory.js';
import { readAgents } from '../../store/agents.js';
import { readSyncFile } from '../../store/sync-file.js';
import { requireGitRepo, gitCommit } from '../../store/git.js';
import { requireWorkspace } from '../../core/config.js';
import { reconcile } from '../../core/reconcile.js';
import { planChanges, commitMessage, type Plan } from '../../core/plan.js';
import { workspaceRefusal, twilioRefusal, type Refusal } from '../../core/safety.js';
import { renderTrunks, recordSync } from '../../core/trunks-view.js';
import { isoSeconds } from '../../core/time.js';
import { serialize } from '../../core/views.js';
import { UsageError } from '../../core/errors.js';
import type { FileWrite } from '../../store/transaction.js';

export interface SyncOptions {
  command: 'sync' | 'sync-twilio' | 'sync-retell';
  workspaces: string[];
  all: boolean;
  dryRun: boolean;
  check: boolean;
  force: boolean;
  commit: boolean;
}

export interface SyncResult {
  plan: Plan;
  workspaces: string[];
  refusals: Refusal[];
  failures: Failure[];
  written: string[];
  commit: string | null;
  requests: number;
  duration_ms: number;
  exitCode: number;
}

function exitCodeOf(failures: Failure[], refusals: Refusal[], drift: boolean, check: boolean): number {
  if (failures.length) return Math.max(...failures.map((f) => f.exitCode));
  if (refusals.length) return 7;
  return check && drift ? 1 : 0;
}

export async function runSync(ctx: Context, opts: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  const paths = projectPaths(ctx.root);
  const config = await requireConfig(paths);
  for (const w of config.warnings) ctx.warn(w);
  if (opts.all && opts.workspaces.length) throw new UsageError('give either --workspace or --all, not both');
  const wantRetell = opts.command !== 'sync-twilio';
  const workspaces = !wantRetell ? [] : opts.workspaces.length ? opts.workspaces : [...config.workspaces.keys()].sort();
  for (const ws of workspaces) requireWorkspace(config, ws);
  if (opts.commit && !opts.dryRun && !opts.check) await requireGitRepo(ctx.root);
  if (!opts.dryRun && !opts.check) {
    // A pool or number command that crashed mid-way is finished (or undone) before the providers are read.
    const { settlePendingOperations } = await import('../pool/recover.js');
    await settlePendingOperations(ctx, `phone-dir ${opts.command}`);
  }
  const fetched = await fetchSnapshots(ctx, config, opts.command !== 'sync-retell', workspaces);
  const twilioFailed = fetched.failures.some((f) => f.source === 'twilio');
  const now = ctx.now();
  const stamp = isoSeconds(now);

  return withDirectoryLock(ctx, `phone-dir ${opts.command}`, async () => {
    const loaded = await loadDirectory(ctx.root);
    const agents = (await readAgents(ctx.root)).index;
    // Twilio is account-wide: without it a full sync would be half a picture, so nothing is applied.
    let twilio = twilioFailed ? null : fetched.twilio;
    let retell = twilioFailed ? [] : fetched.retell;
    const refusals: Refusal[] = [];
    let next = reconcile({ current: loaded.dir, twilio, retell, agents, now: stamp });
    if (!opts.force) {
      const tr = twilio && twilioRefusal(loaded.dir, next, twilio.numbers.length);
      if (tr) { refusals.push(tr); twilio = null; }
      for (const snap of retell) {
        const r = workspaceRefusal(loaded.dir, next, snap.workspace, snap.numbers.length);
        if (r) refusals.push(r);
      }
      retell = retell.filter((s) => !refusals.some((r) => r.source === s.workspace));
      if (refusals.length) next = reconcile({ current: loaded.dir, twilio, retell, agents, now: stamp });
    }
    const plan = planChanges(loaded.dir, next);
    const result: SyncResult = {
      plan, workspaces, refusals, failures: fetched.failures, written: [], commit: null, requests: fetched.requests,
      duration_ms: 0, exitCode: exitCodeOf(fetched.failures, refusals, plan.changes.length > 0, opts.check),
    };
    const applied = twilio !== null || retell.length > 0;
    if (opts.dryRun || opts.check || !applied) {
      result.duration_ms = Date.now() - started;
      return result;
    }
    const extra: FileWrite[] = [];
    if (twilio) extra.push({ path: paths.trunks, content: serialize(renderTrunks(twilio, stamp)) });
    const status = fetched.failures.length || refusals.length ? 'partial' : 'success';
    const syncFile = recordSync(await readSyncFile(paths), {
      timestamp: stamp, type: opts.command === 'sync' && opts.all ? 'full' : opts.command === 'sync' ? 'incremental' : opts.command === 'sync-twilio' ? 'twilio' : 'retell',
      workspaces: retell.map((s) => s.workspace), numbers_synced: (twilio?.numbers.length ?? 0) + retell.reduce((n, s) => n + s.numbers.length, 0),
      trunks_synced: twilio?.trunks.length ?? 0, changes: plan.changes.length, requests: fetched.requests, duration_ms: Date.now() - started, status,
    });
    extra.push({ path: paths.sync, content: serialize(syncFile) });
    result.written = await writeDirectory(loaded, next, now, extra);
    const committed = result.written.filter((f) => !f.startsWith(`${paths.dataDir}/twilio/`));
    if (opts.commit && committed.length) result.commit = await gitCommit(ctx.root, committed, commitMessage(`phone-dir ${opts.command}`, plan, retell.map((s) => s.workspace)));
    result.duration_ms = Date.now() - started;
    return result;
  });
}
