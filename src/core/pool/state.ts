/** Types of the pool runtime state (phone-numbers/twilio/pool-state.json) and pure rules about it. */
import type { NumberStatus, AssignmentType } from '../model.js';

export const RUNTIME_STATE_VERSION = 1;

export interface Owner {
  pid: number;
  host: string;
  /** Linux: kernel boot id (a different one means the owner died with a reboot). */
  boot_id?: string;
  /** Linux: pid namespace; pids compare only inside one. */
  pid_ns?: string;
  /** Linux: start time of the owner process (clock ticks since boot), to detect a recycled pid. */
  pid_start?: string;
  /** Random, per process run: entries are committed or rolled back only by the run that owns them. */
  token: string;
  command: string;
}

export type OperationKind = 'assign' | 'release' | 'update' | 'import' | 'delete';

/** What an operation changes besides what the provider will say; replayed when the operation is settled. */
export interface Intended {
  agent_path?: string | null;
  agent_id?: string | null;
  assignment_type?: Exclude<AssignmentType, 'unassigned'>;
  release_at?: string | null;
  pool?: string | null;
  status?: NumberStatus;
  /** delete: the workspaces the number is being removed from. */
  workspaces?: string[];
  /** delete --release: the number is being released at its carrier. */
  release_carrier?: boolean;
}

/** A number an operation is working on: never handed out or touched by another command meanwhile. */
export interface Reservation {
  phone_number: string;
  workspace: string;
  kind: OperationKind;
  owner: Owner;
  created: string;
  expires: string;
  intended: Intended;
}

/** A purchase about to happen (or that happened and is not recorded yet). */
export interface PurchaseIntent {
  phone_number: string;
  workspace: string;
  pool: string;
  /** The carrier it is bought from (absent in intents written before carriers: the registry's first carrier). */
  carrier?: string;
  trunk_sid: string | null;
  termination_uri: string | null;
  voice_url: string | null;
  sms_url: string | null;
  friendly_name: string | null;
  nickname: string | null;
  auth_username: string | null;
  /** Name of the environment variable holding the SIP password (never the password). */
  auth_password_env: string | null;
  owner: Owner;
  created: string;
  expires: string;
}

/** A number of a pool handed to a caller-chosen reference (a lead, a customer) until release_at; no agent binding changes. */
export interface Lease {
  ref: string;
  pool: string;
  workspace: string;
  phone_number: string;
  release_at: string;
  created: string;
}

export interface RuntimeState {
  version: typeof RUNTIME_STATE_VERSION;
  reservations: Reservation[];
  intents: PurchaseIntent[];
  /** Filled by readRuntimeState (absent in files written before leases). */
  leases?: Lease[];
  /** When each number's last lease ended (the LRU choice's "last use" for leases, which never touch the views); bounded. */
  lease_ends?: Record<string, string>;
}

export function emptyRuntimeState(): RuntimeState {
  return { version: RUNTIME_STATE_VERSION, reservations: [], intents: [], leases: [], lease_ends: {} };
}


/** Whether an owner still runs: true/false when it can be told, null when not (another machine). */
export type AliveCheck = (owner: Owner) => boolean | null;

interface Entry { phone_number: string; owner: Owner; expires: string }

/**
 * An entry is stale when it has expired, or when its owner is known to be dead (same machine, pid gone or
 * recycled, rebooted since). A live owner's unexpired entry is never touched by another command.
 */
export function isStale(entry: Entry, now: Date, alive: AliveCheck): boolean {
  const expires = Date.parse(entry.expires);
  if (!Number.isFinite(expires) || expires <= now.getTime()) return true;
  return alive(entry.owner) === false;
}

export function isMine(entry: Entry, me: Owner): boolean {
  return entry.owner.token === me.token && entry.owner.pid === me.pid && entry.owner.host === me.host;
}

/** Numbers no command may hand out or touch now: every reserved or intended number, live or stale. */
export function blockedNumbers(state: RuntimeState): Set<string> {
  const out = new Set<string>();
  for (const r of state.reservations) out.add(r.phone_number);
  for (const i of state.intents) out.add(i.phone_number);
  return out;
}

/**
 * What the pool choice must know of the runtime state: numbers being worked on (busy), numbers leased (a
 * lease blocks its number until it is ended, even past its release_at, as with phone_dir.lease), and when
 * each number's last lease ended.
 */
export interface PoolTaken {
  busy: ReadonlySet<string>;
  leased: ReadonlySet<string>;
  leaseEnds: Readonly<Record<string, string>>;
}

export function takenNumbers(state: RuntimeState): PoolTaken {
  return { busy: blockedNumbers(state), leased: new Set((state.leases ?? []).map((l) => l.phone_number)), leaseEnds: state.lease_ends ?? {} };
}

export function staleEntries(state: RuntimeState, now: Date, alive: AliveCheck): { reservations: Reservation[]; intents: PurchaseIntent[] } {
  return {
    reservations: state.reservations.filter((r) => isStale(r, now, alive)),
    intents: state.intents.filter((i) => isStale(i, now, alive)),
  };
}

export function hasStale(state: RuntimeState, now: Date, alive: AliveCheck): boolean {
  return state.reservations.some((r) => isStale(r, now, alive)) || state.intents.some((i) => isStale(i, now, alive));
}

export function findReservation(state: RuntimeState, phone: string): Reservation | undefined {
  return state.reservations.find((r) => r.phone_number === phone);
}

export function removeEntry<T extends Entry>(list: T[], entry: Pick<T, 'phone_number'>, me: Owner): T[] {
  return list.filter((e) => !(e.phone_number === entry.phone_number && isMine(e, me)));
}

export interface ReserveRequest {
  phone_number: string;
  workspace: string;
  kind: OperationKind;
  owner: Owner;
  now: Date;
  intended: Intended;
  /** Longer than the default when one reservation covers many provider calls. */
  ttlMs?: number;
}

/** Marks a number as being worked on by `owner` (every other command skips it until it is unreserved or stale). */
export function reserve(state: RuntimeState, request: ReserveRequest): Reservation {
  const reservation: Reservation = {
    phone_number: request.phone_number, workspace: request.workspace, kind: request.kind, owner: request.owner,
    created: request.now.toISOString(), expires: expiresAt(request.now, request.ttlMs ?? RESERVATION_TTL_MS), intended: request.intended,
  };
  state.reservations.push(reservation);
  return reservation;
}

/** Drops `owner`'s reservation of a number (another owner's is never touched). */
export function unreserve(state: RuntimeState, phone: string, owner: Owner): void {
  state.reservations = removeEntry(state.reservations, { phone_number: phone }, owner);
}

/** Drops `owner`'s purchase intent of a number. */
export function dropIntent(state: RuntimeState, phone: string, owner: Owner): void {
  state.intents = removeEntry(state.intents, { phone_number: phone }, owner);
}

/**
 * Takes over every stale reservation and intent (expired, or its owner is known dead): they become `owner`'s,
 * with a fresh expiry, so that only this command settles them. Returns copies of what it claimed as they were
 * before (naming the interrupted command, for the report).
 */
export function claimStale(state: RuntimeState, owner: Owner, now: Date, alive: AliveCheck): { reservations: Reservation[]; intents: PurchaseIntent[] } {
  const reservations: Reservation[] = [];
  const intents: PurchaseIntent[] = [];
  for (const r of state.reservations) {
    if (!isStale(r, now, alive)) continue;
    reservations.push(structuredClone(r));
    r.owner = owner;
    r.expires = expiresAt(now, RESERVATION_TTL_MS);
  }
  for (const i of state.intents) {
    if (!isStale(i, now, alive)) continue;
    intents.push(structuredClone(i));
    i.owner = owner;
    i.expires = expiresAt(now, INTENT_TTL_MS);
  }
  return { reservations, intents };
}

export function expiresAt(now: Date, ms: number): string {
  return new Date(now.getTime() + ms).toISOString();
}

/** How long a reservation stays valid: longer than the worst case of the provider calls it covers. */
export const RESERVATION_TTL_MS = 10 * 60_000;
/** Purchase intents: a purchase, an attach and an import, each with its retries. */
export const INTENT_TTL_MS = 15 * 60_000;
/**
 * How long a purchase whose outcome is unknown (kill -9 or a lost answer while the POST was in flight) is
 * looked up again before "not at Twilio" counts as "not bought": a sale can land after the lookup.
 */
export const PURCHASE_OUTCOME_WINDOW_MS = 30 * 60_000;

/** Whether "Twilio does not have it" settles a purchase intent: only once its window has passed. */
export function purchaseOutcomeFinal(intent: Pick<PurchaseIntent, 'created'>, now: Date): boolean {
  const created = Date.parse(intent.created);
  return !Number.isFinite(created) || now.getTime() - created >= PURCHASE_OUTCOME_WINDOW_MS;
}
