import type { Context } from '../context.js';
import { withDirectoryLock } from '../lock.js';
import { fetchSnapshots, type Failure, type Fetched } from './fetch.js';
import { errorsIntroduced, refuseInvalidWrite } from './guard.js';
import { requireConfig } from '../../store/config-file.js';
import { projectPaths, type ProjectPaths } from '../../store/paths.js';
import { loadDirectory, writeDirectory, readRevision, driftedViewFiles, type LoadedDirectory } from '../../store/directory.js';
import { readAgents } from '../../store/agents.js';
import { readPools } from '../../store/pools.js';
import { readSyncFile } from '../../store/sync-file.js';
import { requireGitRepo, gitCommit } from '../../store/git.js';
import { requireWorkspace } from '../../core/config.js';
import { reconcile, recordsChangedBetween } from '../../core/reconcile.js';
import { planChanges, commitMessage, fileDriftChanges, type Plan, type Change } from '../../core/plan.js';
import { workspaceRefusal, twilioRefusal, type Refusal } from '../../core/safety.js';
import { withoutInvalidNumbers, type TwilioSnapshot, type RetellSnapshot } from '../../core/snapshot.js';
import { renderTrunks, recordSync } from '../../core/trunks-view.js';
import { isValidE164 } from '../../core/phone.js';
import { isoSeconds } from '../../core/time.js';
import { serialize } from '../../core/views.js';
import { UsageError } from '../../core/errors.js';
import type { Directory } from '../../core/model.js';
import type { AgentsIndex } from '../../core/agents.js';
import type { PoolsFile } from '../../core/schemas.js';
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
  /** What the refused sources would have changed (not applied; --force applies them). */
  refusedChanges: Change[];
  workspaces: string[];
  refusals: Refusal[];
  failures: Failure[];
  /** Project-relative paths of the files written. */
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

interface Decision {
  next: Directory;
  plan: Plan;
  refusals: Refusal[];
  refusedChanges: Change[];
  /** The snapshots applied (refused and failed sources left out). */
  twilio: TwilioSnapshot | null;
  retell: RetellSnapshot[];
}

/** Reconciles `current` with what was fetched, minus `keep`; sources the safety checks refuse are left out. */
function decide(opts: SyncOptions, loaded: LoadedDirectory, fetched: Fetched, agents: AgentsIndex, pools: PoolsFile | null, keep: ReadonlySet<string>, stamp: string): Decision {
  // Twilio is account-wide: without it a full sync would be half a picture, so nothing is applied.
  const twilioFailed = fetched.failures.some((f) => f.source === 'twilio');
  let twilio = twilioFailed ? null : fetched.twilio;
  let retell = twilioFailed ? [] : fetched.retell;
  const poolWorkspaces = new Map(Object.entries(pools?.pools ?? {}).map(([name, def]) => [name, def.workspace]));
  const run = () => reconcile({ current: loaded.dir, twilio, retell, agents, now: stamp, keep, poolWorkspaces });
  const unrestricted = run();
  let next = unrestricted;
  const refusals: Refusal[] = [];
  if (!opts.force) {
    const tr = twilio && twilioRefusal(loaded.dir, unrestricted, twilio.numbers.length);
    if (tr) { refusals.push(tr); twilio = null; }
    for (const snap of retell) {
      const r = workspaceRefusal(loaded.dir, unrestricted, snap.workspace, snap.numbers.length);
      if (r) refusals.push(r);
    }
    retell = retell.filter((s) => !refusals.some((r) => r.source === s.workspace));
    if (refusals.length) next = run();
  }
  const applied = twilio !== null || retell.length > 0;
  // Every view is rewritten by a write, so the bytes the model does not hold are part of the plan.
  const drift = applied ? fileDriftChanges(loaded.dir, loaded.parsed, driftedViewFiles(loaded)) : [];
  const plan = planChanges(loaded.dir, next, drift);
  const kept = new Set(plan.changes.map((c) => c.summary));
  const refusedChanges = refusals.length ? planChanges(loaded.dir, unrestricted).changes.filter((c) => !kept.has(c.summary)) : [];
  return { next, plan, refusals, refusedChanges, twilio, retell };
}

function warnSkipped(ctx: Context, fetched: Fetched): Fetched {
  const cleaned = withoutInvalidNumbers(fetched.twilio, fetched.retell, isValidE164);
  for (const s of cleaned.skipped) {
    const where = s.source === 'twilio' ? 'Twilio' : `Retell workspace ${s.source}`;
    ctx.warn(`${where} lists ${JSON.stringify(s.phone_number)}, which is not a valid E.164 number; skipped`);
  }
  return { ...fetched, twilio: cleaned.twilio, retell: cleaned.retell };
}

async function writeResult(ctx: Context, opts: SyncOptions, paths: ProjectPaths, loaded: LoadedDirectory, decision: Decision, fetched: Fetched, started: number, now: Date): Promise<{ written: string[]; commit: string | null }> {
  const { twilio, retell, plan, next } = decision;
  const stamp = isoSeconds(now);
  const extra: FileWrite[] = [];
  if (twilio) extra.push({ path: paths.trunks, content: serialize(renderTrunks(twilio, stamp)) });
  const status = fetched.failures.length || decision.refusals.length ? 'partial' : 'success';
  const syncFile = recordSync(await readSyncFile(paths), {
    timestamp: stamp, type: opts.command === 'sync' && opts.all ? 'full' : opts.command === 'sync' ? 'incremental' : opts.command === 'sync-twilio' ? 'twilio' : 'retell',
    workspaces: retell.map((s) => s.workspace), numbers_synced: (twilio?.numbers.length ?? 0) + retell.reduce((n, s) => n + s.numbers.length, 0),
    trunks_synced: twilio?.trunks.length ?? 0, changes: plan.changes.length, requests: fetched.requests, duration_ms: Date.now() - started, status,
  });
  extra.push({ path: paths.sync, content: serialize(syncFile) });
  const written = await writeDirectory(loaded, next, now, extra);
  const committed = written.filter((f) => !f.startsWith(`${paths.dataDir}/twilio/`));
  const commit = opts.commit && committed.length ? await gitCommit(ctx.root, committed, commitMessage(`phone-dir ${opts.command}`, plan, retell.map((s) => s.workspace))) : null;
  return { written: written.map((f) => paths.rel(f)), commit };
}

/**
 * Reads the directory, then the providers (without the lock), then applies them under the lock. What a
 * command recorded in between (the directory's revision moved) is kept as it is: the snapshots are older.
 * --dry-run and --check write nothing, so they never take the lock.
 */
export async function runSync(ctx: Context, opts: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  const paths = projectPaths(ctx.root);
  const config = await requireConfig(paths);
  for (const w of config.warnings) ctx.warn(w);
  if (opts.all && opts.workspaces.length) throw new UsageError('give either --workspace or --all, not both');
  const wantRetell = opts.command !== 'sync-twilio';
  const workspaces = !wantRetell ? [] : opts.workspaces.length ? opts.workspaces : [...config.workspaces.keys()].sort();
  for (const ws of workspaces) requireWorkspace(config, ws);
  const writes = !opts.dryRun && !opts.check;
  if (writes && opts.commit) await requireGitRepo(ctx.root);
  if (writes) {
    // A pool or number command that crashed mid-way is finished (or undone) before the providers are read.
    const { settlePendingOperations } = await import('../pool/recover.js');
    await settlePendingOperations(ctx, `phone-dir ${opts.command}`);
  }
  // What the directory said before the providers were read: the revision the snapshots belong to.
  const seen = await loadDirectory(ctx.root);
  const fetched = warnSkipped(ctx, await fetchSnapshots(ctx, config, opts.command !== 'sync-retell', workspaces));
  const now = ctx.now();
  const stamp = isoSeconds(now);
  const agents = (await readAgents(ctx.root)).index;
  const poolsRead = await readPools(paths);
  const pools = poolsRead.issues.length ? null : poolsRead.pools;

  const finish = (decision: Decision, written: string[], commit: string | null): SyncResult => ({
    plan: decision.plan, refusedChanges: decision.refusedChanges, workspaces, refusals: decision.refusals, failures: fetched.failures, written, commit,
    requests: fetched.requests, duration_ms: Date.now() - started, exitCode: exitCodeOf(fetched.failures, decision.refusals, decision.plan.changes.length > 0, opts.check),
  });
  if (!writes) return finish(decide(opts, seen, fetched, agents, pools, new Set(), stamp), [], null);

  return withDirectoryLock(ctx, `phone-dir ${opts.command}`, async () => {
    const unchanged = (await readRevision(ctx.root)) === seen.revision;
    const loaded = unchanged ? seen : await loadDirectory(ctx.root);
    const keep = unchanged ? new Set<string>() : recordsChangedBetween(seen.dir, loaded.dir);
    const decision = decide(opts, loaded, fetched, agents, pools, keep, stamp);
    if (decision.twilio === null && decision.retell.length === 0) return finish(decision, [], null);
    // Only a change to the model can add a validate error (a rewrite of the same model only repairs bytes).
    if (decision.plan.changes.some((c) => c.scope !== 'file')) refuseInvalidWrite(errorsIntroduced({ paths, current: loaded, next: decision.next, agents, pools, now }));
    const { written, commit } = await writeResult(ctx, opts, paths, loaded, decision, fetched, started, now);
    return finish(decision, written, commit);
  });
}
