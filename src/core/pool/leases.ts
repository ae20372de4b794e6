/**
 * Leases (seed 004: a lead keeps one caller ID for 18 hours): a pool number handed to a caller-chosen
 * reference until release_at, in the runtime state only. The same rules as phone_dir.lease in PostgreSQL:
 * a live lease answers its ref again; an expired one still blocks its number until it is ended (by its ref
 * leasing again, or by `pool release --expired`); ending one records when, for the LRU choice.
 */
import { UsageError } from '../errors.js';
import type { Lease, RuntimeState } from './state.js';

export const DEFAULT_LEASE_HOLD = '18h';
export const MAX_REF_LENGTH = 200;
/** How many lease end times the runtime state keeps (the oldest go first): a bounded file at any churn. */
export const MAX_LEASE_ENDS = 5_000;

/** A ref is 1–200 printable characters, not only spaces (it is shown in lists and the audit trail). */
export function checkRef(ref: string, flag = '--for'): string {
  if (ref.length === 0 || ref.trim().length === 0) throw new UsageError(`${flag}: the reference is empty`, 'give the lead, customer or campaign the number is for (--for lead-4711)');
  if (ref.length > MAX_REF_LENGTH) throw new UsageError(`${flag}: the reference is ${ref.length} characters long (at most ${MAX_REF_LENGTH})`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(ref)) throw new UsageError(`${flag}: the reference has a control character (only printable characters)`);
  return ref;
}

export function leasesOf(state: RuntimeState): Lease[] {
  state.leases ??= [];
  return state.leases;
}

export function findLease(state: RuntimeState, ref: string): Lease | undefined {
  return (state.leases ?? []).find((l) => l.ref === ref);
}

export function isLive(lease: Lease, now: Date): boolean {
  const t = Date.parse(lease.release_at);
  return Number.isFinite(t) && t > now.getTime();
}

/** Ends a lease: its number returns to the pool, last used now. */
export function endLease(state: RuntimeState, lease: Lease, now: Date): void {
  state.leases = leasesOf(state).filter((l) => l.ref !== lease.ref);
  const ends = (state.lease_ends ??= {});
  ends[lease.phone_number] = now.toISOString();
  const keys = Object.keys(ends);
  if (keys.length > MAX_LEASE_ENDS) {
    keys.sort((a, b) => Date.parse(ends[a]!) - Date.parse(ends[b]!));
    for (const k of keys.slice(0, keys.length - MAX_LEASE_ENDS)) delete ends[k];
  }
}

export function expiredLeases(state: RuntimeState, now: Date, workspace?: string): Lease[] {
  return (state.leases ?? []).filter((l) => !isLive(l, now) && (!workspace || l.workspace === workspace));
}

/** Leased numbers per pool and workspace (for health). */
export function leasedByPool(state: RuntimeState): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const l of state.leases ?? []) {
    const key = `${l.pool}\u0000${l.workspace}`;
    if (!out.has(key)) out.set(key, new Set());
    out.get(key)!.add(l.phone_number);
  }
  return out;
}
