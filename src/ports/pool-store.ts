/**
 * The pool's store, named by its role: where reservations, purchase intents, leases and the audit trail
 * live, and (PostgreSQL) the pool's membership and LRU order. Two implementations, chosen by pools.json's
 * `store` through src/store/registry.ts: `files` (the directory lock and pool-state.json, one machine) and
 * `postgres` (one database every machine reaches).
 *
 * Use cases change the pool only inside a unit of work: a consistent view of the pool, changed in memory,
 * committed as a whole when the work returns and dropped when it throws. The unit tracks its own changes
 * (it compares what it hands out with what it read): there is nothing to mark by hand.
 */
import type { Directory } from '../core/model.js';
import type { AssignmentsFile, DirectoryFile } from '../core/schemas.js';
import type { RuntimeState, Reservation, Lease } from '../core/pool/state.js';
import type { AuditEvent, AuditQuery, AuditRecord } from '../core/pool/audit.js';

export interface PoolUnit {
  /** Reservations, purchase intents and leases, as of this unit; change them in place or reassign the lists. */
  readonly state: RuntimeState;
  /** directory.json as it is in this unit, parsed (only its top level checked); null when there is none. */
  directoryFile(): Promise<DirectoryFile | null>;
  /** The records of these numbers only, to read and change (once per unit); the commit writes just them. */
  subset(phones: Iterable<string>): Promise<Directory>;
  /** The whole directory, to read and change (a full schema check and a full write when changed). */
  directory(): Promise<Directory>;
  /** Refuses (exit 2) to act on a number the views tell different stories about. */
  requireViewsAgree(phone: string, workspace: string, scope?: 'all' | 'binding'): Promise<void>;
  /** Whether a workspace's view files exist (and parse) in this unit. */
  hasWorkspaceFiles(workspace: string): Promise<boolean>;
  /** The workspaces the directory has folders for. */
  workspaceNames(): Promise<string[]>;
  /** A workspace's assignment entries as its assignments view lists them; null without the view. */
  workspaceAssignments(workspace: string): Promise<AssignmentsFile['assignments'] | null>;
  /** One audit record, written with the unit's changes. */
  audit(event: AuditEvent): void;
}

/** How long a unit waited for and held the store's lock. */
export interface UnitTiming { label: string; waitMs: number; heldMs: number }

export interface StoreDescription {
  kind: string;
  /** Whether several machines may use it at once. */
  shared: boolean;
  /** Where it is, for people: a path, or a database without its credentials. */
  location: string;
}

/** `holdMs`: how long from `now` (the store computes the end itself: an ISO text in seconds would cut short holds to nothing). */
export interface DirectLeaseRequest { pool: string; ref: string; holdMs: number; now: Date }
/** The lease, and whether this call made it; `otherPool`: the ref leases from another pool; null: none free. */
export type DirectLeaseResult = { lease: Lease; created: boolean } | { otherPool: Lease } | null;

/** A store that leases on its own, outside a unit (PostgreSQL: phone_dir.lease()/release()). */
export interface DirectLeases {
  lease(request: DirectLeaseRequest): Promise<DirectLeaseResult>;
  /** Ends the ref's lease; null when it has none. */
  release(ref: string, now: Date): Promise<Lease | null>;
}

export interface PoolStore {
  /** Present when the store leases without a unit: `pool lease` and `pool release --for` use it. */
  readonly directLeases?: DirectLeases;
  readonly description: StoreDescription;
  /** Runs `work` as one unit of work; commits what it changed, or nothing if it throws. */
  unit<T>(label: string, work: (unit: PoolUnit) => Promise<T>): Promise<T>;
  /**
   * Like unit(), for work on specific numbers: while `work` answers `{ busy }` (another command holds one of
   * its numbers), waits and tries again up to the lock timeout; a blocker whose owner died is settled first.
   */
  unitWhenFree<T>(label: string, work: (unit: PoolUnit) => Promise<T | { busy: Reservation }>, settle: () => Promise<void>): Promise<T>;
  /** The runtime state as it is now, without a lock (reading commands, dry runs). */
  peekState(): Promise<RuntimeState>;
  /**
   * A shared store's pool fields laid over a lock-free read of the views (reading commands, previews), as its
   * units lay them; absent when the views are the authority (files).
   */
  layPoolFields?(dir: Directory): Promise<void>;
  /** The audit trail, newest first. */
  readAudit(query: AuditQuery): Promise<{ records: AuditRecord[]; skipped: number }>;
  /** Lock waits and hold times of this run's units (for --debug). */
  readonly timings: UnitTiming[];
  close(): Promise<void>;
}
