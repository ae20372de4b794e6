import type { Context } from '../context.js';
import { withDirectoryLock } from '../lock.js';
import { carriersToSync, fetchSnapshots, type Failure, type Fetched } from './fetch.js';
import { errorsIntroduced, refuseInvalidWrite } from './guard.js';
import { openSyncStore } from './pool-store.js';
import { requireProjectConfig } from '../config.js';
import { projectPaths, type ProjectPaths } from '../../store/paths.js';
import { loadDirectory, writeDirectory, readRevision, driftedViewFiles, type LoadedDirectory } from '../../store/directory.js';
import { readAgents } from '../../store/agents.js';
import { readPools } from '../../store/pools.js';
import { readSyncFile } from '../../store/sync-file.js';
import { requireGitRepo, gitCommit } from '../../store/git.js';
import { requireWorkspace } from '../../core/config.js';
import { reconcile, recordsChangedBetween } from '../../core/reconcile.js';
import { planChanges, commitMessage, fileDriftChanges, type Plan, type Change } from '../../core/plan.js';
import { workspaceRefusal, carrierRefusal, type Refusal } from '../../core/safety.js';
import { withoutInvalidNumbers, type CarrierSnapshot, type PlatformSnapshot } from '../../core/snapshot.js';
import type { Catalog } from '../../core/catalog.js';
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
  carriers: CarrierSnapshot[];
  platforms: PlatformSnapshot[];
}

/** Reconciles `current` with what was fetched, minus `keep`; sources the safety checks refuse are left out. */
function decide(opts: SyncOptions, loaded: LoadedDirectory, fetched: Fetched, agents: AgentsIndex, pools: PoolsFile | null, keep: ReadonlySet<string>, stamp: string, catalog: Catalog): Decision {
  // A carrier is account-wide: without one a full sync would be half a picture, so nothing is applied.
  const carrierFailed = fetched.failures.some((f) => fetched.carriersAsked.includes(f.source));
  let carriers = carrierFailed ? [] : fetched.carriers;
  let platforms = carrierFailed ? [] : fetched.platforms;
  const poolWorkspaces = new Map(Object.entries(pools?.pools ?? {}).map(([name, def]) => [name, def.workspace]));
  const run = () => reconcile({ current: loaded.dir, carriers, platforms, agents, now: stamp, keep, poolWorkspaces });
  const unrestricted = run();
  let next = unrestricted;
  const refusals: Refusal[] = [];
  if (!opts.force) {
    for (const snap of carriers) {
      const r = carrierRefusal(loaded.dir, unrestricted, snap.carrier, catalog.carriers.get(snap.carrier)?.label ?? snap.carrier, snap.numbers.length);
      if (r) refusals.push(r);
    }
    for (const snap of platforms) {
      const r = workspaceRefusal(loaded.dir, unrestricted, snap.workspace, snap.numbers.length, catalog.platforms.get(snap.platform)?.label ?? snap.platform);
      if (r) refusals.push(r);
    }
    const refused = (source: string) => refusals.some((r) => r.source === source);
    carriers = carriers.filter((s) => !refused(s.carrier));
    platforms = platforms.filter((s) => !refused(s.workspace));
    if (refusals.length) next = run();
  }
  const applied = carriers.length > 0 || platforms.length > 0;
  // Every view is rewritten by a write, so the bytes the model does not hold are part of the plan.
  const drift = applied ? fileDriftChanges(loaded.dir, loaded.parsed, driftedViewFiles(loaded)) : [];
  const plan = planChanges(loaded.dir, next, drift);
  const kept = new Set(plan.changes.map((c) => c.summary));
  const refusedChanges = refusals.length ? planChanges(loaded.dir, unrestricted).changes.filter((c) => !kept.has(c.summary)) : [];
  return { next, plan, refusals, refusedChanges, carriers, platforms };
}

function warnSkipped(ctx: Context, fetched: Fetched, catalog: Catalog): Fetched {
  const cleaned = withoutInvalidNumbers(fetched.carriers, fetched.platforms, isValidE164);
  const platformOf = new Map(fetched.platforms.map((p) => [p.workspace, p.platform]));
  for (const s of cleaned.skipped) {
    const platform = platformOf.get(s.source);
    const where = platform ? `${catalog.platforms.get(platform)?.label ?? platform} workspace ${s.source}` : catalog.carriers.get(s.source)?.label ?? s.source;
    ctx.warn(`${where} lists ${JSON.stringify(s.phone_number)}, which is not a valid E.164 number; skipped`);
  }
  return { ...fetched, carriers: cleaned.carriers, platforms: cleaned.platforms };
}

async function writeResult(ctx: Context, opts: SyncOptions, paths: ProjectPaths, loaded: LoadedDirectory, decision: Decision, fetched: Fetched, started: number, now: Date): Promise<{ written: string[]; commit: string | null }> {
  const { carriers, platforms, plan, next } = decision;
  const stamp = isoSeconds(now);
  const extra: FileWrite[] = [];
  if (carriers.length) extra.push({ path: paths.trunks, content: serialize(renderTrunks(carriers, stamp)) });
  const status = fetched.failures.length || decision.refusals.length ? 'partial' : 'success';
  const syncFile = recordSync(await readSyncFile(paths), {
    timestamp: stamp, type: opts.command === 'sync' && opts.all ? 'full' : opts.command === 'sync' ? 'incremental' : opts.command === 'sync-twilio' ? 'twilio' : 'retell',
    workspaces: platforms.map((s) => s.workspace), numbers_synced: [...carriers, ...platforms].reduce((n, s) => n + s.numbers.length, 0),
    trunks_synced: carriers.reduce((n, s) => n + s.trunks.length, 0), changes: plan.changes.length, requests: fetched.requests, duration_ms: Date.now() - started, status,
  });
  extra.push({ path: paths.sync, content: serialize(syncFile) });
  const written = await writeDirectory(loaded, next, now, extra);
  const committed = written.filter((f) => !f.startsWith(`${paths.dataDir}/twilio/`));
  const commit = opts.commit && committed.length ? await gitCommit(ctx.root, committed, commitMessage(`phone-dir ${opts.command}`, plan, platforms.map((s) => s.workspace))) : null;
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
  const config = await requireProjectConfig(paths);
  const { catalog: registryCatalog } = await import('../../providers/registry.js');
  const catalog = registryCatalog();
  for (const w of config.warnings) ctx.warn(w);
  if (opts.all && opts.workspaces.length) throw new UsageError('give either --workspace or --all, not both');
  const wantRetell = opts.command !== 'sync-twilio';
  const workspaces = !wantRetell ? [] : opts.workspaces.length ? opts.workspaces : [...config.workspaces.keys()].sort();
  for (const ws of workspaces) requireWorkspace(config, ws);
  const writes = !opts.dryRun && !opts.check;
  if (writes && opts.commit) await requireGitRepo(ctx.root);
  if (writes) {
    // A pool or number command that crashed mid-way is finished (or undone) before the providers are read.
    const { settlePendingOperations } = await import('../pool/session.js');
    await settlePendingOperations(ctx, `phone-dir ${opts.command}`);
  }
  // What the directory said before the providers were read: the revision the snapshots belong to.
  const seen = await loadDirectory(ctx.root);
  const carriers = opts.command === 'sync-retell' ? [] : await carriersToSync(config);
  const fetched = warnSkipped(ctx, await fetchSnapshots(ctx, config, carriers, workspaces), catalog);
  const now = ctx.now();
  const stamp = isoSeconds(now);
  const agents = (await readAgents(ctx.root)).index;
  const poolsRead = await readPools(paths);
  const pools = poolsRead.issues.length ? null : poolsRead.pools;

  const finish = (decision: Decision, written: string[], commit: string | null): SyncResult => ({
    plan: decision.plan, refusedChanges: decision.refusedChanges, workspaces, refusals: decision.refusals, failures: fetched.failures, written, commit,
    requests: fetched.requests, duration_ms: Date.now() - started, exitCode: exitCodeOf(fetched.failures, decision.refusals, decision.plan.changes.length > 0, opts.check),
  });
  if (!writes) return finish(decide(opts, seen, fetched, agents, pools, new Set(), stamp, catalog), [], null);

  return withDirectoryLock(ctx, `phone-dir ${opts.command}`, async () => {
    const unchanged = (await readRevision(ctx.root)) === seen.revision;
    const loaded = unchanged ? seen : await loadDirectory(ctx.root);
    const keep = unchanged ? new Set<string>() : recordsChangedBetween(seen.dir, loaded.dir);
    const store = await openSyncStore(ctx, paths);
    try {
      store?.link.overlay(loaded.dir);
      const decision = decide(opts, loaded, fetched, agents, pools, keep, stamp, catalog);
      if (decision.carriers.length === 0 && decision.platforms.length === 0) return finish(decision, [], null);
      // Only a change to the model can add a validate error (a rewrite of the same model only repairs bytes).
      if (decision.plan.changes.some((c) => c.scope !== 'file')) refuseInvalidWrite(errorsIntroduced({ paths, current: loaded, next: decision.next, agents, pools, now, catalog }));
      await store?.link.prepare(loaded.dir, decision.next, now);
      const { written, commit } = await writeResult(ctx, opts, paths, loaded, decision, fetched, started, now);
      await store?.link.commit();
      return finish(decision, written, commit);
    } finally {
      // After a commit this ends nothing; after a failure the store is left as it was.
      await store?.link.rollback();
      await store?.close();
    }
  });
}
