/** `phone-dir status`: what is in flight in the pool store and how the last sync went (pure: from what was read). */
import type { RuntimeState, AliveCheck } from './pool/state.js';
import { isStale } from './pool/state.js';
import { isLive } from './pool/leases.js';
import type { SyncFile } from './schemas.js';

export interface InFlight {
  reservations: number;
  /** Reservations left by a command that died or timed out: the next pool command settles them. */
  stale_reservations: number;
  purchases: number;
  stale_purchases: number;
  leases: number;
  expired_leases: number;
  /** One line per reservation and purchase in flight, oldest first. */
  operations: { phone_number: string; operation: string; workspace: string; by: string; since: string; stale: boolean }[];
}

export function inFlight(state: RuntimeState, now: Date, alive: AliveCheck): InFlight {
  const operations = [
    ...state.reservations.map((r) => ({ phone_number: r.phone_number, operation: r.kind, workspace: r.workspace, by: `${r.owner.command} (pid ${r.owner.pid} on ${r.owner.host})`, since: r.created, stale: isStale(r, now, alive) })),
    ...state.intents.map((i) => ({ phone_number: i.phone_number, operation: 'purchase', workspace: i.workspace, by: `${i.owner.command} (pid ${i.owner.pid} on ${i.owner.host})`, since: i.created, stale: isStale(i, now, alive) })),
  ].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  const leases = state.leases ?? [];
  return {
    reservations: state.reservations.length,
    stale_reservations: state.reservations.filter((r) => isStale(r, now, alive)).length,
    purchases: state.intents.length,
    stale_purchases: state.intents.filter((i) => isStale(i, now, alive)).length,
    leases: leases.length,
    expired_leases: leases.filter((l) => !isLive(l, now)).length,
    operations,
  };
}

export interface LastSync {
  time: string;
  type: string;
  status: string;
  workspaces: string[] | null;
  changes: number | null;
  error: string | null;
}

/** The newest entry of sync.json's history (null: never synced on this machine). */
export function lastSync(file: SyncFile | null): LastSync | null {
  const history = file?.sync_history ?? [];
  const newest = [...history].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))[0];
  if (!newest) return null;
  return { time: newest.timestamp, type: newest.type, status: newest.status, workspaces: newest.workspaces ?? null, changes: newest.changes ?? null, error: newest.error ?? null };
}
