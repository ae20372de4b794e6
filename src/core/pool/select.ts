/**
 * Which pool number to hand out: the least recently used available one. Never-used numbers come first, in
 * the order they were imported (FIFO, as in seed 000); then numbers that were used, the one released
 * longest ago first. Ties break on the number itself, so the choice is deterministic.
 */
import { carrierBlockOf } from '../views.js';
import type { Directory, NumberStatus } from '../model.js';
import { compareStrings } from '../model.js';
import type { DirectoryFile, DirectoryNumberEntry } from '../schemas.js';

export interface PoolRef { name: string; workspace: string }

/** What the choice needs of a number: a model record has it, and so has a directory.json entry (candidateFromEntry). */
export interface PoolCandidate {
  phone_number: string;
  pool: string | null;
  status: NumberStatus;
  last_assigned: string | null;
  last_released: string | null;
  carrier: { date_created: string | null } | null;
  workspaces: Record<string, { import_date: string | null; assignment: unknown }>;
}

/** A directory.json entry as a candidate, so the choice can run on directory.json alone (the reserve phase). */
export function candidateFromEntry(e: DirectoryNumberEntry): PoolCandidate {
  const workspaces: PoolCandidate['workspaces'] = {};
  // Defensive: the reserve phase reads directory.json without the structural check (an odd entry is skipped, not fatal).
  for (const [ws, w] of Object.entries(e.workspaces ?? {})) {
    if (w && typeof w === 'object') workspaces[ws] = { import_date: typeof w.import_date === 'string' ? w.import_date : null, assignment: w.assignment_type === 'unassigned' ? null : w };
  }
  return {
    phone_number: String(e.phone_number), pool: typeof e.pool === 'string' ? e.pool : null, status: e.status ?? 'active',
    last_assigned: e.last_assigned ?? null, last_released: e.last_released ?? null, carrier: carrierBlockOf(e), workspaces,
  };
}

/** The candidates of a model, or of directory.json. */
export function candidatesOf(source: Directory | DirectoryFile): Iterable<PoolCandidate> {
  if (source.numbers instanceof Map) return source.numbers.values();
  return Object.values(source.numbers).filter((e) => e && typeof e === 'object').map(candidateFromEntry);
}

export function inPool(n: PoolCandidate, pool: PoolRef): boolean {
  return n.pool === pool.name && n.workspaces[pool.workspace] !== undefined;
}

export type Unavailability = 'not-in-pool' | 'assigned' | 'reserved' | 'protected' | 'busy' | null;

/** Why a number cannot be handed out from this pool now (null: it can). */
export function unavailability(n: PoolCandidate, pool: PoolRef, blocked: ReadonlySet<string>): Unavailability {
  if (!inPool(n, pool)) return 'not-in-pool';
  if (n.status === 'reserved') return 'reserved';
  if (n.status === 'protected') return 'protected';
  if (n.workspaces[pool.workspace]!.assignment) return 'assigned';
  if (blocked.has(n.phone_number)) return 'busy';
  return null;
}

function lastUse(n: PoolCandidate): string | null {
  return n.last_released ?? n.last_assigned;
}

/** Sort order of the LRU choice: negative when `a` should be handed out before `b`. */
export function lruCompare(workspace: string): (a: PoolCandidate, b: PoolCandidate) => number {
  return (a, b) => {
    const ua = lastUse(a);
    const ub = lastUse(b);
    if (ua === null && ub !== null) return -1;
    if (ua !== null && ub === null) return 1;
    if (ua === null && ub === null) {
      // never used: FIFO by import into the pool's workspace (then by purchase date)
      const ia = a.workspaces[workspace]?.import_date ?? a.carrier?.date_created ?? null;
      const ib = b.workspaces[workspace]?.import_date ?? b.carrier?.date_created ?? null;
      if (ia !== ib) {
        if (ia === null) return 1;
        if (ib === null) return -1;
        const d = Date.parse(ia) - Date.parse(ib);
        if (d !== 0 && Number.isFinite(d)) return d;
      }
    } else if (ua !== ub) {
      const d = Date.parse(ua!) - Date.parse(ub!);
      if (d !== 0 && Number.isFinite(d)) return d;
    }
    return compareStrings(a.phone_number, b.phone_number);
  };
}

/** Every number of the pool that could be handed out now, best first. */
export function availableNumbers(dir: Directory | DirectoryFile, pool: PoolRef, blocked: ReadonlySet<string>): PoolCandidate[] {
  const out: PoolCandidate[] = [];
  for (const n of candidatesOf(dir)) if (unavailability(n, pool, blocked) === null) out.push(n);
  return out.sort(lruCompare(pool.workspace));
}

/** The least recently used available number (one pass, no sort), or null when the pool is exhausted. */
export function pickLeastRecentlyUsed(dir: Directory | DirectoryFile, pool: PoolRef, blocked: ReadonlySet<string>): PoolCandidate | null {
  const cmp = lruCompare(pool.workspace);
  let best: PoolCandidate | null = null;
  for (const n of candidatesOf(dir)) {
    if (unavailability(n, pool, blocked) !== null) continue;
    if (best === null || cmp(n, best) < 0) best = n;
  }
  return best;
}

export interface PoolCounts { available: number; assigned: number; reserved: number; busy: number; total: number }

/** Counts for messages (exit 6) and health: `reserved` covers the reserved and protected statuses, `busy` numbers being worked on. */
export function poolCounts(dir: Directory | DirectoryFile, pool: PoolRef, blocked: ReadonlySet<string>): PoolCounts {
  const c: PoolCounts = { available: 0, assigned: 0, reserved: 0, busy: 0, total: 0 };
  for (const n of candidatesOf(dir)) {
    const why = unavailability(n, pool, blocked);
    if (why === 'not-in-pool') continue;
    c.total++;
    if (why === null) c.available++;
    else if (why === 'assigned') c.assigned++;
    else if (why === 'busy') c.busy++;
    else c.reserved++;
  }
  return c;
}
