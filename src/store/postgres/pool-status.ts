/** Pure rules: a pool row's fields from a directory record, and its status from the row and the runtime state. */
import type { NumberRecord } from '../../core/model.js';
import type { RuntimeState } from '../../core/pool/state.js';
import type { PoolRow, PoolRowStatus } from './rows.js';

export type PoolRowFields = Omit<PoolRow, 'status' | 'lease_ended'>;

/**
 * The workspace a number's pool lives in: the pool's own (pools.json) when the number is imported there, else
 * its only workspace, else the first one (sorted) where it is bound, else the first one.
 */
export function poolWorkspaceOf(record: NumberRecord, declared: ReadonlyMap<string, string>): string | null {
  const names = Object.keys(record.workspaces).sort();
  const own = record.pool !== null ? declared.get(record.pool) : undefined;
  if (own !== undefined && names.includes(own)) return own;
  if (names.length <= 1) return names[0] ?? own ?? null;
  return names.find((ws) => record.workspaces[ws]!.assignment) ?? names[0]!;
}

/** The row of a record that is in a pool; null when it is in none (it leaves the store). */
export function rowFieldsOf(record: NumberRecord | undefined, declared: ReadonlyMap<string, string>): PoolRowFields | null {
  if (!record || record.pool === null) return null;
  const workspace = poolWorkspaceOf(record, declared);
  const assignment = workspace !== null ? record.workspaces[workspace]?.assignment ?? null : null;
  return {
    phone_number: record.phone_number, pool: record.pool, workspace, number_status: record.status,
    assignment, last_assigned: record.last_assigned, last_released: record.last_released,
  };
}

/**
 * What phone_dir.lease() must see: a number a command is working on is 'reserved'; then a lease, a
 * directory status that keeps it out of the pool, a binding ('releasing' stays while the binding does:
 * release_expired() ended the hold and phone-dir has not unbound it yet).
 */
export function rowStatus(fields: PoolRowFields, state: RuntimeState, previous: PoolRowStatus | undefined): PoolRowStatus {
  const phone = fields.phone_number;
  if (state.reservations.some((r) => r.phone_number === phone) || state.intents.some((i) => i.phone_number === phone)) return 'reserved';
  if ((state.leases ?? []).some((l) => l.phone_number === phone)) return 'leased';
  if (fields.number_status !== 'active') return 'protected';
  if (fields.assignment) return previous === 'releasing' ? 'releasing' : 'assigned';
  return 'available';
}
