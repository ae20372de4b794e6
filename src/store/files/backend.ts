/**
 * Where a unit's runtime state (and, for a shared store, the pool's own fields) comes from and goes to.
 * The views are always this machine's files, written by the unit under the directory lock; the backend is
 * the part a store may keep elsewhere:
 * - files (pool-state.json, in the same journal as the views: one machine);
 * - postgres (src/store/postgres: tables every machine reaches; the authority for the pool's fields,
 *   which it overlays on the views it hands out and takes back from the records a unit changed).
 */
import type { Directory, NumberRecord } from '../../core/model.js';
import type { DirectoryNumberEntry } from '../../core/schemas.js';
import type { RuntimeState } from '../../core/pool/state.js';
import type { AuditEvent, AuditQuery, AuditRecord } from '../../core/pool/audit.js';
import type { FileWrite } from '../transaction.js';

/** A shared store's view of the pool fields, laid over what this machine's files say. */
export interface PoolFieldsOverlay {
  /** A directory.json entry as the store sees it (a copy when anything differs; the entry itself otherwise). */
  entry(phone: string, entry: DirectoryNumberEntry): DirectoryNumberEntry;
  /** A record as the store sees it, changed in place. */
  record(record: NumberRecord): void;
  /** Numbers the store has that these files do not (bought or imported on another machine): listed for messages. */
  missingLocally?(dir: Directory): string[];
}

/** What a unit changed, handed to the backend before the views are written. */
export interface UnitChange {
  stateBefore: RuntimeState;
  state: RuntimeState;
  stateChanged: boolean;
  /** Records whose content changed (as the store saw them before, and after); undefined: absent. */
  records: { phone: string; before: NumberRecord | undefined; after: NumberRecord | undefined }[];
  audit: AuditEvent[];
  now: Date;
}

export interface BackendTransaction {
  readonly state: RuntimeState;
  readonly overlay?: PoolFieldsOverlay;
  /**
   * Writes the unit's changes: the files backend returns its state file's write, to join the views' journal;
   * a backend with its own transaction writes there and returns nothing. Throwing aborts the unit.
   */
  prepare(change: UnitChange): Promise<FileWrite[]>;
  /** The views are written (or nothing changed): make the change durable. */
  commit(change: UnitChange): Promise<void>;
  /** The unit threw, or the views could not be written. */
  rollback(): Promise<void>;
}

export interface UnitBackend {
  readonly kind: string;
  readonly shared: boolean;
  /** For people: a path, or a database without its credentials. */
  readonly location: string;
  /** Called holding this machine's directory lock. */
  begin(label: string): Promise<BackendTransaction>;
  peekState(): Promise<RuntimeState>;
  readAudit(query: AuditQuery): Promise<{ records: AuditRecord[]; skipped: number }>;
  close(): Promise<void>;
}

export type { Directory };
