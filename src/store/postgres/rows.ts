/** The pool store's rows as phone-dir reads them: the pool numbers and the runtime state. */
import type { ClientBase } from 'pg';
import type { Assignment, NumberStatus } from '../../core/model.js';
import { emptyRuntimeState, type Lease, type PurchaseIntent, type Reservation, type RuntimeState } from '../../core/pool/state.js';

/** pool_numbers.status: what phone_dir.lease() and the SQL functions read. */
export type PoolRowStatus = 'available' | 'reserved' | 'assigned' | 'leased' | 'releasing' | 'protected';

export interface PoolRow {
  phone_number: string;
  pool: string;
  workspace: string | null;
  status: PoolRowStatus;
  number_status: NumberStatus;
  assignment: Assignment | null;
  last_assigned: string | null;
  last_released: string | null;
  lease_ended: string | null;
}

/** A time as the views write it: whole seconds without the milliseconds, else the full ISO form. */
export function isoText(value: Date | string | null): string | null {
  if (value === null) return null;
  const date = value instanceof Date ? value : new Date(value);
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

const isoRequired = (value: Date | string): string => isoText(value)!;

export async function readPoolRows(client: ClientBase, s: string): Promise<Map<string, PoolRow>> {
  const result = await client.query<Omit<PoolRow, 'last_assigned' | 'last_released' | 'lease_ended'> & { last_assigned: Date | null; last_released: Date | null; lease_ended: Date | null }>(
    `SELECT phone_number, pool, workspace, status, number_status, assignment, last_assigned, last_released, lease_ended FROM ${s}.pool_numbers`,
  );
  const rows = new Map<string, PoolRow>();
  for (const row of result.rows) {
    rows.set(row.phone_number, {
      ...row,
      last_assigned: isoText(row.last_assigned),
      last_released: isoText(row.last_released),
      lease_ended: isoText(row.lease_ended),
    });
  }
  return rows;
}

/** Reservations, purchase intents and leases; lease_ends from the pool rows (when each number's last lease ended). */
export async function readRuntimeState(client: ClientBase, s: string, rows: Map<string, PoolRow>): Promise<RuntimeState> {
  // One after the other: a connection runs one query at a time.
  const reservations = await client.query(`SELECT phone_number, workspace, kind, owner, created, expires, intended FROM ${s}.reservations ORDER BY phone_number`);
  const intents = await client.query(`SELECT * FROM ${s}.purchase_intents ORDER BY phone_number`);
  const leases = await client.query(`SELECT l.ref, l.pool, coalesce(p.workspace, '') AS workspace, l.phone_number, l.release_at, l.created
                    FROM ${s}.leases l JOIN ${s}.pool_numbers p USING (phone_number) ORDER BY l.ref`);
  const state = emptyRuntimeState();
  state.reservations = reservations.rows.map((r): Reservation => ({
    phone_number: r.phone_number, workspace: r.workspace, kind: r.kind, owner: r.owner,
    created: isoRequired(r.created), expires: isoRequired(r.expires), intended: r.intended ?? {},
  }));
  state.intents = intents.rows.map((r): PurchaseIntent => ({
    phone_number: r.phone_number, workspace: r.workspace, pool: r.pool, ...(r.carrier !== null ? { carrier: r.carrier } : {}),
    trunk_sid: r.trunk_sid, termination_uri: r.termination_uri, voice_url: r.voice_url, sms_url: r.sms_url,
    friendly_name: r.friendly_name, nickname: r.nickname, auth_username: r.auth_username, auth_password_env: r.auth_password_env,
    owner: r.owner, created: isoRequired(r.created), expires: isoRequired(r.expires),
  }));
  state.leases = leases.rows.map((r): Lease => ({
    ref: r.ref, pool: r.pool, workspace: r.workspace, phone_number: r.phone_number,
    release_at: isoRequired(r.release_at), created: isoRequired(r.created),
  }));
  const ends: Record<string, string> = {};
  for (const row of rows.values()) if (row.lease_ended) ends[row.phone_number] = row.lease_ended;
  state.lease_ends = ends;
  return state;
}
