/**
 * The files pool store (the default): the directory views plus the gitignored
 * `phone-numbers/twilio/pool-state.json` (reservations, purchase intents, leases), changed only under the
 * directory lock, through the journal (commitFiles), in one transaction. One machine.
 *
 * The pattern every mutating pool/number use case follows (seed 004's FOR UPDATE SKIP LOCKED, over files):
 *   1. a unit under the lock: read the views and the runtime state, choose, write a reservation;
 *   2. without the lock: call the providers (other commands run meanwhile and skip what is reserved);
 *   3. a unit under the lock: re-read, apply the providers' answers, drop the reservation.
 */
import { performance } from 'node:perf_hooks';
import type { PoolStore, PoolUnit, StoreDescription, UnitTiming } from '../../ports/pool-store.js';
import type { Notices } from '../../ports/notices.js';
import type { ProjectPaths } from '../paths.js';
import { acquireLock } from '../lock.js';
import { recoverTransaction, commitFiles } from '../transaction.js';
import { loadDirectory, writeDirectory, listWorkspaceFolders, type LoadedDirectory } from '../directory.js';
import { parseJsonText, formatIssue } from '../parse-file.js';
import { readTextOrNull } from '../fsutil.js';
import { checkShape } from '../shape.js';
import { ownerAlive } from '../runtime-state.js';
import { StateFileBackend } from './state-backend.js';
import type { BackendTransaction, UnitBackend, UnitChange } from './backend.js';
import { modelFromViews, type ParsedViews } from '../../core/model-from-views.js';
import { cloneDirectory } from '../../core/clone.js';
import { compareStrings, type Directory } from '../../core/model.js';
import { serialize } from '../../core/views.js';
import { isoSeconds } from '../../core/time.js';
import { viewsDisagreement } from '../../core/pool/agree.js';
import { patchViews, subsetViews, workspacesOf, type ViewSet, type WorkspaceFiles } from '../../core/pool/patch.js';
import type { DirectoryFile, NumbersFile, AssignmentsFile } from '../../core/schemas.js';
import { DataError, PhoneDirError } from '../../core/errors.js';
import { isStale, type Reservation, type RuntimeState } from '../../core/pool/state.js';
import type { AuditEvent, AuditQuery } from '../../core/pool/audit.js';

/** A number another command is working on stayed busy for the whole --lock-timeout (exit 3, like the lock). */
export class NumberBusyError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 3, hint); }
}

export interface FilesStoreOptions {
  paths: ProjectPaths;
  /** Where the runtime state lives (default: pool-state.json beside the views). */
  backend?: UnitBackend;
  /** Who holds the lock, as shown to a command waiting for it. */
  command: string;
  lockTimeoutMs: number;
  now(): Date;
  notices: Notices;
}

interface FilesStoreContext { readonly paths: ProjectPaths }

/** Same records and workspaces (the unit's own change tracking). */
function sameDirectory(before: Directory, after: Directory): boolean {
  if (before.numbers.size !== after.numbers.size || before.workspaces.size !== after.workspaces.size) return false;
  for (const ws of after.workspaces) if (!before.workspaces.has(ws)) return false;
  for (const [phone, record] of after.numbers) {
    const old = before.numbers.get(phone);
    if (!old || JSON.stringify(old) !== JSON.stringify(record)) return false;
  }
  return true;
}

type ViewKind = 'directory' | 'numbers' | 'assignments';

/**
 * The state of one lock phase: the runtime state, and the views in one of two modes.
 * - subset(phones): only those numbers' records, built from the parsed view files; the commit patches the
 *   files (src/core/pool/patch.ts) instead of re-rendering the whole directory. The hot path.
 * - directory(): the whole model (full schema check) and a full write (writeDirectory).
 * The views are read as they are now (this phase holds the lock); a patch that cannot be applied safely
 * falls back to a full write of the same records.
 */
export class FilesUnit implements PoolUnit {
  private loaded: LoadedDirectory | undefined;
  private view: ViewSet | undefined;
  private folders: Set<string> | undefined;
  private subsetBefore: Directory | undefined;
  private subsetDir: Directory | undefined;
  private subsetPhones = new Set<string>();
  private assignmentsRead = new Map<string, AssignmentsFile | null>();
  private loadedBefore: Directory | undefined;
  /** What the store saw before this unit changed anything: the views with the backend's overlay. */
  private seenBefore: Directory | undefined;
  private overlaidFile: DirectoryFile | undefined;
  private readonly stateBefore: string;
  /** Audit lines of this unit: written with its changes. */
  readonly auditEvents: AuditEvent[] = [];
  state: RuntimeState;
  constructor(private readonly session: FilesStoreContext, private readonly backend: BackendTransaction) {
    this.state = backend.state;
    this.stateBefore = JSON.stringify(this.state);
  }

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
    if (this.loaded) throw new Error('FilesUnit: directoryFile() after directory()');
    if (!this.view) {
      const directory = await this.readView<DirectoryFile>(this.session.paths.directory, 'directory', false);
      if (directory) this.checkTopLevel(this.session.paths.directory, 'directory', directory as unknown as Record<string, unknown>);
      if (!directory) return null;
      this.folders = new Set(await listWorkspaceFolders(this.session.paths));
      this.view = { directory, workspaces: new Map(), folders: this.folders };
    }
    const overlay = this.backend.overlay;
    if (!overlay) return this.view.directory;
    if (!this.overlaidFile) {
      const raw = this.view.directory;
      const numbers: DirectoryFile['numbers'] = {};
      for (const [phone, entry] of Object.entries(raw.numbers)) numbers[phone] = entry && typeof entry === 'object' ? overlay.entry(phone, entry) : entry;
      this.overlaidFile = { ...raw, numbers };
    }
    return this.overlaidFile;
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
    if (this.subsetDir) throw new Error('FilesUnit: subset() called twice');
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
        this.overlayRecords(dir);
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
    if (!(await this.directoryFile())) return;
    // The files' own agreement (hand edits): a shared store's overlay is not part of what they say.
    const directory = this.view!.directory;
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
    if (this.subsetDir || this.view) throw new Error('FilesUnit: directory() after subset()');
    if (!this.loaded) {
      this.loaded = await loadDirectory(this.session.paths.root);
      this.loadedBefore = cloneDirectory(this.loaded.dir);
      this.overlayRecords(this.loaded.dir);
    }
    return this.loaded.dir;
  }

  async hasWorkspaceFiles(workspace: string): Promise<boolean> {
    return (await this.workspaceFiles(workspace)) !== null;
  }

  async workspaceNames(): Promise<string[]> {
    return this.folders ? [...this.folders] : listWorkspaceFolders(this.session.paths);
  }

  async workspaceAssignments(workspace: string): Promise<AssignmentsFile['assignments'] | null> {
    return (await this.workspaceFiles(workspace))?.assignments.assignments ?? null;
  }

  /** The backend's pool fields laid over the records (the views keep their own until they are written). */
  private overlayRecords(dir: Directory): void {
    const overlay = this.backend.overlay;
    if (overlay) for (const record of dir.numbers.values()) overlay.record(record);
    this.seenBefore = overlay ? cloneDirectory(dir) : undefined;
  }

  /** What changed, as the store saw it: records, runtime state, audit lines. */
  change(now: Date): UnitChange {
    const after = this.subsetDir ?? this.loaded?.dir;
    const before = this.seenBefore ?? this.subsetBefore ?? this.loadedBefore;
    const records: UnitChange['records'] = [];
    if (after && before) {
      const phones = new Set([...before.numbers.keys(), ...after.numbers.keys()]);
      for (const phone of [...phones].sort(compareStrings)) {
        const was = before.numbers.get(phone);
        const current = after.numbers.get(phone);
        if (JSON.stringify(was) !== JSON.stringify(current)) records.push({ phone, before: was, after: current });
      }
    }
    const stateJson = JSON.stringify(this.state);
    return { stateBefore: JSON.parse(this.stateBefore) as RuntimeState, state: this.state, stateChanged: stateJson !== this.stateBefore, records, audit: this.auditEvents, now };
  }

  /** All-or-nothing: the views (when changed) and the backend's writes in one transaction. */
  async commit(now: Date): Promise<UnitChange> {
    const paths = this.session.paths;
    const change = this.change(now);
    const extra = await this.backend.prepare(change);
    if (this.subsetDir && !sameDirectory(this.subsetBefore!, this.subsetDir)) {
      const phones = [...new Set([...this.subsetPhones, ...this.subsetDir.numbers.keys()])].sort(compareStrings);
      // Workspaces a number moved into: their files are needed too.
      for (const r of this.subsetDir.numbers.values()) for (const ws of Object.keys(r.workspaces)) await this.workspaceFiles(ws);
      const changed = patchViews(this.view!, this.subsetBefore!, this.subsetDir, phones, isoSeconds(now));
      if (changed) {
        const writes = changed.map((c) => c.kind === 'directory'
          ? { path: paths.directory, content: serialize(this.view!.directory) }
          : { path: c.kind === 'numbers' ? paths.workspaceNumbers(c.workspace) : paths.workspaceAssignments(c.workspace), content: serialize(this.view!.workspaces.get(c.workspace)![c.kind]) });
        if (writes.length || extra.length) await commitFiles(paths.dataDir, [...writes, ...extra]);
        return change;
      }
      // Not patchable: the same records, written through the whole model.
      const loaded = await loadDirectory(paths.root);
      for (const p of phones) {
        const r = this.subsetDir.numbers.get(p);
        if (r) loaded.dir.numbers.set(p, r);
        else loaded.dir.numbers.delete(p);
      }
      for (const ws of this.subsetDir.workspaces) loaded.dir.workspaces.add(ws);
      await writeDirectory(loaded, loaded.dir, now, extra);
      return change;
    }
    if (this.loaded && !sameDirectory(this.loadedBefore!, this.loaded.dir)) await writeDirectory(this.loaded, this.loaded.dir, now, extra);
    else if (extra.length) await commitFiles(paths.dataDir, extra);
    return change;
  }
}

export class FilesPoolStore implements PoolStore {
  readonly timings: UnitTiming[] = [];
  readonly paths: ProjectPaths;
  readonly description: StoreDescription;
  private readonly backend: UnitBackend;
  constructor(private readonly options: FilesStoreOptions) {
    this.paths = options.paths;
    this.backend = options.backend ?? new StateFileBackend(options.paths, options.notices);
    this.description = { kind: this.backend.kind, shared: this.backend.shared, location: this.backend.location };
  }

  async unit<T>(label: string, work: (unit: PoolUnit) => Promise<T>): Promise<T> {
    const asked = performance.now();
    let took = asked;
    const handle = await acquireLock(this.paths.lock, {
      timeoutMs: this.options.lockTimeoutMs,
      command: this.options.command,
      onWait: (holder) => this.options.notices.progress(`waiting for the directory lock held by pid ${holder.pid} (${holder.command})…`),
    });
    try {
      took = performance.now();
      const recovered = await recoverTransaction(this.paths.dataDir);
      if (recovered === 'rolled-forward') this.options.notices.info('finished a write that an interrupted phone-dir command had left');
      const transaction = await this.backend.begin(label);
      let result: T;
      let change: UnitChange;
      try {
        const unit = new FilesUnit(this, transaction);
        result = await work(unit);
        change = await unit.commit(this.options.now());
      } catch (err) {
        await transaction.rollback();
        throw err;
      }
      await transaction.commit(change);
      return result;
    } finally {
      await handle.release();
      this.timings.push({ label, waitMs: took - asked, heldMs: performance.now() - took });
    }
  }

  async unitWhenFree<T>(label: string, work: (unit: PoolUnit) => Promise<T | { busy: Reservation }>, settle: () => Promise<void>): Promise<T> {
    const deadline = Date.now() + this.options.lockTimeoutMs;
    let delay = 20;
    let told = false;
    for (;;) {
      const r = await this.unit(label, work);
      if (!isBusy(r)) return r;
      const blocker = r.busy;
      if (isStale(blocker, this.options.now(), ownerAlive)) {
        await settle();
        continue;
      }
      if (Date.now() >= deadline) {
        throw new NumberBusyError(
          `${blocker.phone_number} is busy: "${blocker.owner.command}" (pid ${blocker.owner.pid} on ${blocker.owner.host}) has been working on it since ${blocker.created}`,
          'wait for that command to finish or raise --lock-timeout; an operation left by a process that died is settled automatically',
        );
      }
      if (!told) {
        told = true;
        this.options.notices.progress(`waiting for ${blocker.phone_number}: "${blocker.owner.command}" (pid ${blocker.owner.pid}) is working on it…`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay * (0.5 + Math.random()), Math.max(1, deadline - Date.now()))));
      delay = Math.min(200, delay * 1.5);
    }
  }

  peekState(): Promise<RuntimeState> { return this.backend.peekState(); }

  readAudit(query: AuditQuery) { return this.backend.readAudit(query); }

  close(): Promise<void> { return this.backend.close(); }
}

function isBusy<T>(r: T | { busy: Reservation }): r is { busy: Reservation } {
  return typeof r === 'object' && r !== null && 'busy' in r && typeof (r as { busy: unknown }).busy === 'object';
}
