/**
 * Which pool number to hand out: the least recently used available one. Never-used numbers come first, in
 * the order they were imported (FIFO, as in seed 000); then numbers that were used, the one released
 * longest ago first. Ties break on the number itself, so the choice is deterministic.
 */
import { carrierBlockOf } from '../views.js';
import type { Directory, NumberStatus } from '../model.js';
import { compareStrings } from '../model.js';
import type { DirectoryFile, DirectoryNumberEntry } from '../schemas.js';
import type { PoolTaken } from './state.js';

export interface PoolRef { name: string; workspace: string }

const NO_LEASE_ENDS: Readonly<Record<string, string>> = Object.freeze({});

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

/** directory.json `numbers` objects whose pool members a store listed while reading the file. */
const listedPoolMembers = new WeakMap<object, () => readonly string[]>();

/**
 * Tells the choice how to list the entries of a directory.json `numbers` object that have a pool (asked
 * each time): the others are never candidates, so a store that reads entries on demand need not read them
 * (the reserve phase of an assign).
 */
export function listPoolMembers(numbers: DirectoryFile['numbers'], phones: () => readonly string[]): void {
  listedPoolMembers.set(numbers, phones);
}

/** The candidates that can be in a pool (every candidate, unless the store listed the pool members). */
function poolCandidatesOf(source: Directory | DirectoryFile): Iterable<PoolCandidate> {
  const members = source.numbers instanceof Map ? undefined : listedPoolMembers.get(source.numbers);
  if (!members) return candidatesOf(source);
  const numbers = source.numbers as DirectoryFile['numbers'];
  return members().map((phone) => numbers[phone]).filter((e) => e && typeof e === 'object').map((e) => candidateFromEntry(e!));
}

export function inPool(n: PoolCandidate, pool: PoolRef): boolean {
  return n.pool === pool.name && n.workspaces[pool.workspace] !== undefined;
}

export type Unavailability = 'not-in-pool' | 'assigned' | 'reserved' | 'protected' | 'leased' | 'busy' | null;

/** Why a number cannot be handed out from this pool now (null: it can). */
export function unavailability(n: PoolCandidate, pool: PoolRef, input: TakenInput): Unavailability {
  const taken = asTaken(input);
  if (!inPool(n, pool)) return 'not-in-pool';
  if (n.status === 'reserved') return 'reserved';
  if (n.status === 'protected') return 'protected';
  if (n.workspaces[pool.workspace]!.assignment) return 'assigned';
  if (taken.leased.has(n.phone_number)) return 'leased';
  if (taken.busy.has(n.phone_number)) return 'busy';
  return null;
}

/** The later of the views' last use and the end of the number's last lease (leases never touch the views). */
function lastUse(n: PoolCandidate, leaseEnds: Readonly<Record<string, string>>): string | null {
  const viewed = n.last_released ?? n.last_assigned;
  const leased = leaseEnds[n.phone_number] ?? null;
  if (viewed === null || leased === null) return viewed ?? leased;
  return Date.parse(leased) > Date.parse(viewed) ? leased : viewed;
}

/** A plain set: the numbers being worked on, no leases (what callers passed before leases existed). */
export type TakenInput = PoolTaken | ReadonlySet<string>;
const NO_LEASES: ReadonlySet<string> = new Set();

function asTaken(t: TakenInput): PoolTaken {
  return 'busy' in t ? t : { busy: t, leased: NO_LEASES, leaseEnds: NO_LEASE_ENDS };
}

/** Sort order of the LRU choice: negative when `a` should be handed out before `b`. */
export function lruCompare(workspace: string, leaseEnds: Readonly<Record<string, string>> = NO_LEASE_ENDS): (a: PoolCandidate, b: PoolCandidate) => number {
  return (a, b) => {
    const ua = lastUse(a, leaseEnds);
    const ub = lastUse(b, leaseEnds);
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
export function availableNumbers(dir: Directory | DirectoryFile, pool: PoolRef, input: TakenInput): PoolCandidate[] {
  const taken = asTaken(input);
  const out: PoolCandidate[] = [];
  for (const n of poolCandidatesOf(dir)) if (unavailability(n, pool, taken) === null) out.push(n);
  return out.sort(lruCompare(pool.workspace, taken.leaseEnds));
}

/** The least recently used available number (one pass, no sort), or null when the pool is exhausted. */
export function pickLeastRecentlyUsed(dir: Directory | DirectoryFile, pool: PoolRef, input: TakenInput): PoolCandidate | null {
  const taken = asTaken(input);
  const cmp = lruCompare(pool.workspace, taken.leaseEnds);
  let best: PoolCandidate | null = null;
  for (const n of poolCandidatesOf(dir)) {
    if (unavailability(n, pool, taken) !== null) continue;
    if (best === null || cmp(n, best) < 0) best = n;
  }
  return best;
}

export interface PoolCounts { available: number; assigned: number; reserved: number; leased: number; busy: number; total: number }

/** Counts for messages (exit 6) and health: `reserved` covers the reserved and protected statuses, `busy` numbers being worked on. */
export function poolCounts(dir: Directory | DirectoryFile, pool: PoolRef, input: TakenInput): PoolCounts {
  const taken = asTaken(input);
  const c: PoolCounts = { available: 0, assigned: 0, reserved: 0, leased: 0, busy: 0, total: 0 };
  for (const n of poolCandidatesOf(dir)) {
    const why = unavailability(n, pool, taken);
    if (why === 'not-in-pool') continue;
    c.total++;
    if (why === null) c.available++;
    else if (why === 'assigned') c.assigned++;
    else if (why === 'busy') c.busy++;
    else if (why === 'leased') c.leased++;
    else c.reserved++;
  }
  return c;
}
