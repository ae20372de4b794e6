/**
 * One run of a pool or number command: its lock phases, its provider handles and its timings.
 *
 * The pattern every mutating pool/number command follows (seed 004's FOR UPDATE SKIP LOCKED, over files):
 *   1. under the directory lock: read the views and the runtime state, choose, write a reservation;
 *   2. without the lock: call the providers (other commands run meanwhile and skip what is reserved);
 *   3. under the lock: re-read, apply the providers' answers, drop the reservation: one transaction.
 */
import type { PlatformEntry } from '../../providers/entry.js';
import type { VoicePlatform } from '../../ports/voice-platform.js';
import type { Carrier } from '../../ports/carrier.js';
import type { Context } from '../context.js';
import { withDirectoryLock, lockTimeoutMs } from '../lock.js';
import { projectPaths, type ProjectPaths } from '../../store/paths.js';
import { loadDirectory, writeDirectory, listWorkspaceFolders, type LoadedDirectory } from '../../store/directory.js';
import { parseJsonText } from '../../store/parse-file.js';
import { readTextOrNull } from '../../store/fsutil.js';
import { checkShape } from '../../store/shape.js';
import { modelFromViews, type ParsedViews } from '../../core/model-from-views.js';
import { cloneDirectory } from '../../core/clone.js';
import { compareStrings } from '../../core/model.js';
import { serialize } from '../../core/views.js';
import { isoSeconds } from '../../core/time.js';
import { viewsDisagreement } from '../../core/pool/agree.js';
import { patchViews, subsetViews, workspacesOf, type ViewSet, type WorkspaceFiles } from '../../core/pool/patch.js';
import type { DirectoryFile, NumbersFile, AssignmentsFile } from '../../core/schemas.js';
import { commitFiles } from '../../store/transaction.js';
import { readRuntimeState, runtimeStateWrite, currentOwner, ownerAlive } from '../../store/runtime-state.js';
import { readAgents } from '../../store/agents.js';
import { readPools } from '../../store/pools.js';
import { formatIssue } from '../../store/parse-file.js';
import type { Config } from '../../core/config.js';
import type { Directory } from '../../core/model.js';
import type { AgentsIndex } from '../../core/agents.js';
import type { PoolsFile } from '../../core/schemas.js';
import { resolvePool, requireKnownPool, type ResolvedPool } from '../../core/pool/pools.js';
import { poolSettings } from '../../core/pool/membership.js';
import { DataError, PhoneDirError } from '../../core/errors.js';
import { isStale, type Owner, type Reservation, type RuntimeState } from '../../core/pool/state.js';
import type { Providers } from '../../providers/index.js';
import { appendAudit, auditPath, auditRecords, type AuditEvent } from '../../store/audit.js';

/** A number another command is working on stayed busy for the whole --lock-timeout (exit 3, like the lock). */
export class NumberBusyError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 3, hint); }
}

export interface PhaseTiming { label: string; waitMs: number; heldMs: number }

type ViewKind = 'directory' | 'numbers' | 'assignments';

/**
 * The state of one lock phase: the runtime state, and the views in one of two modes.
 * - subset(phones): only those numbers' records, built from the parsed view files; the commit patches the
 *   files (src/core/pool/patch.ts) instead of re-rendering the whole directory. The hot path.
 * - directory(): the whole model (full schema check) and a full write (writeDirectory).
 * The views are read as they are now (this phase holds the lock); a patch that cannot be applied safely
 * falls back to a full write of the same records.
 */
export class Tx {
  private loaded: LoadedDirectory | undefined;
  private view: ViewSet | undefined;
  private folders: Set<string> | undefined;
  private subsetBefore: Directory | undefined;
  private subsetDir: Directory | undefined;
  private subsetPhones = new Set<string>();
  private assignmentsRead = new Map<string, AssignmentsFile | null>();
  private dirChanged = false;
  private stateChanged = false;
  /** Audit lines of this phase: appended under the lock once its changes are committed. */
  readonly auditEvents: AuditEvent[] = [];
  constructor(private readonly session: Session, readonly state: RuntimeState) {}

  audit(event: AuditEvent): void { this.auditEvents.push(event); }

  private async readView<T>(file: string, kind: ViewKind, check = true): Promise<T | null> {
    const rel = this.session.paths.rel(file);
    const text = await readTextOrNull(file, rel, this.session.paths.root);
    if (text === null) return null;
    const { value, issues } = parseJsonText(rel, text);
    const found = issues.length ? issues : check ? checkShape(kind, rel, value) : [];
    if (found.length) throw new DataError(formatIssue(found[0]!), 'run phone-dir validate for every problem');
    return value as T;
  }

  /**
   * directory.json, parsed; null when missing. Only its top level is checked here (the whole-file check
   * costs ~15 ms at 3,000 numbers, under the lock): subset() checks the entries it turns into records,
   * and code choosing from the raw entries reads them defensively (candidateFromEntry).
   */
  async directoryFile(): Promise<DirectoryFile | null> {
    if (this.loaded) throw new Error('Tx: directoryFile() after directory()');
    if (!this.view) {
      const directory = await this.readView<DirectoryFile>(this.session.paths.directory, 'directory', false);
      if (directory) this.checkTopLevel(this.session.paths.directory, 'directory', directory as unknown as Record<string, unknown>);
      if (!directory) return null;
      this.folders = new Set(await listWorkspaceFolders(this.session.paths));
      this.view = { directory, workspaces: new Map(), folders: this.folders };
    }
    return this.view.directory;
  }

  /** The top-level structure patchViews relies on (entries are checked per number in subset()). */
  private checkTopLevel(file: string, kind: ViewKind, v: Record<string, unknown>): void {
    const isObj = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
    const ok = kind === 'directory'
      ? isObj(v.numbers) && isObj(v.metadata)
      : kind === 'numbers'
        ? Array.isArray(v.numbers) && isObj(v.summary)
        : Array.isArray(v.assignments) && isObj(v.by_agent) && Array.isArray(v.unassigned);
    if (!ok) throw new DataError(`${this.session.paths.rel(file)}: unexpected structure (${kind === 'directory' ? 'numbers, metadata' : kind === 'numbers' ? 'numbers, summary' : 'assignments, by_agent, unassigned'})`, 'run phone-dir validate for every problem');
  }

  /** A workspace's assignments.json alone (what the reserve phase of an assign needs besides directory.json). */
  private async assignmentsOnly(ws: string): Promise<{ assignments: AssignmentsFile } | null> {
    const full = this.view?.workspaces.get(ws);
    if (full) return full;
    if (!this.folders?.has(ws)) return null;
    if (!this.assignmentsRead.has(ws)) {
      const assignments = await this.readView<AssignmentsFile>(this.session.paths.workspaceAssignments(ws), 'assignments', false);
      if (assignments) this.checkTopLevel(this.session.paths.workspaceAssignments(ws), 'assignments', assignments as unknown as Record<string, unknown>);
      this.assignmentsRead.set(ws, assignments);
    }
    const assignments = this.assignmentsRead.get(ws);
    return assignments ? { assignments } : null;
  }

  /** A workspace's two files, parsed; null when a file is missing. */
  async workspaceFiles(ws: string): Promise<WorkspaceFiles | null> {
    if (!(await this.directoryFile())) return null;
    const view = this.view!;
    let files = view.workspaces.get(ws);
    if (!files) {
      if (!this.folders!.has(ws)) return null;
      const read = this.assignmentsRead.get(ws);
      const [numbers, assignments] = await Promise.all([
        this.readView<NumbersFile>(this.session.paths.workspaceNumbers(ws), 'numbers', false),
        read !== undefined ? read : this.readView<AssignmentsFile>(this.session.paths.workspaceAssignments(ws), 'assignments', false),
      ]);
      if (!numbers || !assignments) return null;
      this.checkTopLevel(this.session.paths.workspaceNumbers(ws), 'numbers', numbers as unknown as Record<string, unknown>);
      this.checkTopLevel(this.session.paths.workspaceAssignments(ws), 'assignments', assignments as unknown as Record<string, unknown>);
      files = { numbers, assignments };
      view.workspaces.set(ws, files);
    }
    return files;
  }

  /**
   * A model holding only these numbers (those the directory has), to read and change; once per phase.
   * Falls back to the whole model when the files cannot be patched (missing files).
   */
  async subset(phones: Iterable<string>): Promise<Directory> {
    if (this.subsetDir) throw new Error('Tx: subset() called twice');
    const wanted = new Set(phones);
    const directory = await this.directoryFile();
    if (directory) {
      let complete = true;
      for (const ws of workspacesOf(directory, wanted)) if (!(await this.workspaceFiles(ws))) complete = false;
      if (complete) {
        const parsed = subsetViews(this.view!, wanted);
        this.checkEntries(parsed);
        const dir = modelFromViews(parsed);
        for (const ws of this.folders!) dir.workspaces.add(ws);
        this.subsetPhones = wanted;
        this.subsetBefore = cloneDirectory(dir);
        this.subsetDir = dir;
        return dir;
      }
    }
    this.view = undefined;
    return this.directory();
  }

  /**
   * Refuses (exit 2) to bind or unbind a number the views tell different stories about (core/pool/agree.ts).
   * Needs the parsed files (directoryFile()/subset() mode); after a fallback to the whole model the load checked them.
   */
  async requireViewsAgree(phone: string, workspace: string, scope: 'all' | 'binding' = 'all'): Promise<void> {
    if (this.loaded) return;
    const directory = await this.directoryFile();
    if (!directory) return;
    // 'binding': who is bound, from directory.json and assignments.json only (numbers.json is the largest file to parse).
    const files = scope === 'all' ? await this.workspaceFiles(workspace) : await this.assignmentsOnly(workspace);
    if (!files) return;
    const paths = this.session.paths;
    const names = { directory: paths.rel(paths.directory), numbers: paths.rel(paths.workspaceNumbers(workspace)), assignments: paths.rel(paths.workspaceAssignments(workspace)) };
    const problem = viewsDisagreement(phone, workspace, directory, files, names);
    if (problem) throw new DataError(`${problem}; not acting on it`, 'run phone-dir validate to see the disagreement, fix the hand edit (or run phone-dir sync to rebuild the views from the platforms), then retry');
  }

  /** The structural check of the reading commands, on the entries that become records. */
  private checkEntries(parsed: ParsedViews): void {
    const paths = this.session.paths;
    const issues = [
      ...checkShape('directory', paths.rel(paths.directory), parsed.directory),
      ...Object.entries(parsed.workspaces).flatMap(([ws, f]) => [
        ...checkShape('numbers', paths.rel(paths.workspaceNumbers(ws)), f.numbers),
        ...checkShape('assignments', paths.rel(paths.workspaceAssignments(ws)), f.assignments),
      ]),
    ];
    if (issues.length) throw new DataError(formatIssue(issues[0]!), 'run phone-dir validate for every problem');
  }

  /** The whole directory as it is now (full schema check: this phase may write it). */
  async directory(): Promise<Directory> {
    if (this.subsetDir || this.view) throw new Error('Tx: directory() after subset()');
    this.loaded ??= await loadDirectory(this.session.ctx.root);
    return this.loaded.dir;
  }

  changedDirectory(): void { this.dirChanged = true; }
  changedState(): void { this.stateChanged = true; }

  /** All-or-nothing: the views (when changed) and the runtime state in one transaction. */
  async commit(now: Date): Promise<void> {
    const paths = this.session.paths;
    const stateWrite = runtimeStateWrite(paths, this.state);
    if (this.dirChanged && this.subsetDir) {
      const phones = [...new Set([...this.subsetPhones, ...this.subsetDir.numbers.keys()])].sort(compareStrings);
      // Workspaces a number moved into: their files are needed too.
      for (const r of this.subsetDir.numbers.values()) for (const ws of Object.keys(r.workspaces)) await this.workspaceFiles(ws);
      const changed = patchViews(this.view!, this.subsetBefore!, this.subsetDir, phones, isoSeconds(now));
      if (changed) {
        const writes = changed.map((c) => c.kind === 'directory'
          ? { path: paths.directory, content: serialize(this.view!.directory) }
          : { path: c.kind === 'numbers' ? paths.workspaceNumbers(c.workspace) : paths.workspaceAssignments(c.workspace), content: serialize(this.view!.workspaces.get(c.workspace)![c.kind]) });
        await commitFiles(paths.dataDir, [...writes, stateWrite]);
        return;
      }
      // Not patchable: the same records, written through the whole model.
      const loaded = await loadDirectory(this.session.ctx.root);
      for (const p of phones) {
        const r = this.subsetDir.numbers.get(p);
        if (r) loaded.dir.numbers.set(p, r);
        else loaded.dir.numbers.delete(p);
      }
      for (const ws of this.subsetDir.workspaces) loaded.dir.workspaces.add(ws);
      await writeDirectory(loaded, loaded.dir, now, [stateWrite]);
      return;
    }
    if (this.dirChanged && this.loaded) await writeDirectory(this.loaded, this.loaded.dir, now, [stateWrite]);
    else if (this.stateChanged || this.dirChanged) await commitFiles(paths.dataDir, [stateWrite]);
  }
}

export class Session {
  readonly paths: ProjectPaths;
  readonly owner: Owner;
  readonly phases: PhaseTiming[] = [];
  remoteMs = 0;
  private readonly started = performance.now();
  private configPromise: Promise<Config> | undefined;
  private providersPromise: Promise<Providers> | undefined;
  private agentsPromise: Promise<AgentsIndex> | undefined;
  private poolsPromise: Promise<PoolsFile | null> | undefined;

  constructor(readonly ctx: Context, readonly command: string) {
    this.paths = projectPaths(ctx.root);
    this.owner = currentOwner(`phone-dir ${command}`);
  }

  now(): Date { return this.ctx.now(); }

  config(): Promise<Config> {
    this.configPromise ??= (async () => {
      const { requireProjectConfig } = await import('../config.js');
      const config = await requireProjectConfig(this.paths);
      for (const w of config.warnings) this.ctx.warn(w);
      return config;
    })();
    return this.configPromise;
  }

  /** The provider adapters, loaded on first use (reading paths of these commands never load an SDK). */
  providers(): Promise<Providers> {
    this.providersPromise ??= (async () => {
      const config = await this.config();
      const { createProviders } = await import('../../providers/index.js');
      return createProviders(config, this.ctx.env, {
        onRetry: (info) => {
          if (this.ctx.flags.debug || this.ctx.showProgress) this.ctx.err(`${info.provider}: ${info.operation}: ${info.reason}; retry ${info.attempt} in ${info.delayMs} ms\n`);
        },
      });
    })();
    return this.providersPromise;
  }

  /** The registry entry of a workspace's voice platform: its name, label and capabilities (no SDK loaded). */
  async platformEntry(workspace: string): Promise<PlatformEntry> {
    const config = await this.config();
    const { platformEntryFor } = await import('../../providers/index.js');
    return platformEntryFor(config, workspace);
  }

  /** The voice platform of a workspace (loads its SDK). */
  async platform(workspace: string): Promise<VoicePlatform> {
    return (await this.providers()).platform(workspace);
  }

  /** A carrier, with the section that applies to `workspace` (loads its SDK). */
  async carrier(name: string, workspace: string | null): Promise<Carrier> {
    return (await this.providers()).carrier(name, workspace);
  }

  agents(): Promise<AgentsIndex> {
    this.agentsPromise ??= readAgents(this.ctx.root).then((r) => r.index);
    return this.agentsPromise;
  }

  pools(): Promise<PoolsFile | null> {
    this.poolsPromise ??= readPools(this.paths).then(({ pools, issues }) => {
      if (issues.length) throw new DataError(formatIssue(issues[0]!), 'fix phone-numbers/pools.json (phone-dir validate lists every problem)');
      return pools;
    });
    return this.poolsPromise;
  }

  /**
   * The pool a command works on (resolvePool), checked to exist when `--pool` names it (requireKnownPool):
   * pools.json answers first; directory.json is read (without the lock) only for a pool it does not declare.
   */
  async pool(workspace: string, name: string | undefined, mayCreate = false): Promise<ResolvedPool> {
    const pools = await this.pools();
    const resolved = resolvePool(pools, workspace, name);
    if (name !== undefined && !poolSettings(pools, name)) requireKnownPool(name, pools, await this.directoryFileUnlocked(), mayCreate);
    return resolved;
  }

  private async directoryFileUnlocked(): Promise<DirectoryFile | null> {
    const shown = this.paths.rel(this.paths.directory);
    const text = await readTextOrNull(this.paths.directory, shown, this.paths.root);
    if (text === null) return null;
    const { value, issues } = parseJsonText(shown, text);
    const numbers = issues.length ? null : (value as { numbers?: unknown } | null)?.numbers;
    // An unreadable file is reported by the phase that reads it under the lock; here it names no pool.
    return numbers && typeof numbers === 'object' ? value as DirectoryFile : null;
  }

  /** Runs fn under the directory lock with a fresh view of everything; commits what it changed, or nothing if it throws. */
  async locked<T>(label: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const asked = performance.now();
    let took = asked;
    try {
      return await withDirectoryLock(this.ctx, `phone-dir ${this.command}`, async () => {
        took = performance.now();
        const tx = new Tx(this, await readRuntimeState(this.paths));
        const result = await fn(tx);
        await tx.commit(this.now());
        await this.writeAudit(tx.auditEvents);
        return result;
      });
    } finally {
      if (took !== asked) this.phases.push({ label, waitMs: took - asked, heldMs: performance.now() - took });
    }
  }

  /**
   * Like locked(), for work on specific numbers: while fn answers `{ busy }` (another command holds one of
   * its numbers), waits and tries again, up to --lock-timeout; a blocker whose owner died is settled first.
   */
  async lockedWhenFree<T>(label: string, fn: (tx: Tx) => Promise<T | { busy: Reservation }>, settle: () => Promise<void>): Promise<T> {
    const deadline = Date.now() + lockTimeoutMs(this.ctx);
    let delay = 20;
    let told = false;
    for (;;) {
      const r = await this.locked(label, fn);
      if (!isBusy(r)) return r;
      const blocker = r.busy;
      if (isStale(blocker, this.now(), ownerAlive)) {
        await settle();
        continue;
      }
      if (Date.now() >= deadline) {
        throw new NumberBusyError(
          `${blocker.phone_number} is busy: "${blocker.owner.command}" (pid ${blocker.owner.pid} on ${blocker.owner.host}) has been working on it since ${blocker.created}`,
          'wait for that command to finish or raise --lock-timeout; an operation left by a process that died is settled automatically',
        );
      }
      if (!told && this.ctx.showProgress) {
        told = true;
        this.ctx.err(`waiting for ${blocker.phone_number}: "${blocker.owner.command}" (pid ${blocker.owner.pid}) is working on it…\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay * (0.5 + Math.random()), Math.max(1, deadline - Date.now()))));
      delay = Math.min(200, delay * 1.5);
    }
  }

  /** The change is committed: a failed audit append is a warning, not a failed command. */
  private async writeAudit(events: AuditEvent[]): Promise<void> {
    if (!events.length) return;
    try {
      await appendAudit(this.paths, auditRecords(events, this.now()));
    } catch (err) {
      this.ctx.warn(`${this.paths.rel(auditPath(this.paths))}: could not append the audit line (${(err as Error).message})`);
    }
  }

  /** Times a provider step (for --debug). */
  async remote<T>(fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.remoteMs += performance.now() - t;
    }
  }

  /** `--debug`: one line with the lock waits, the time under the lock per phase, and the provider time. */
  reportTiming(): void {
    if (!this.ctx.flags.debug) return;
    const f = (ms: number) => ms.toFixed(1);
    const phases = this.phases.map((p) => `${p.label} ${f(p.heldMs)}ms (waited ${f(p.waitMs)}ms)`).join(', ');
    const held = this.phases.reduce((n, p) => n + p.heldMs, 0);
    this.ctx.err(`timing: ${this.command}: under lock ${f(held)}ms [${phases}]; providers ${f(this.remoteMs)}ms; total ${f(performance.now() - this.started)}ms (command started ${f(this.started)}ms after the process)\n`);
  }
}

function isBusy<T>(r: T | { busy: Reservation }): r is { busy: Reservation } {
  return typeof r === 'object' && r !== null && 'busy' in r && typeof (r as { busy: unknown }).busy === 'object';
}
