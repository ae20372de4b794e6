/**
 * Runtime state of the pool and number commands: reservations (numbers an operation is working on) and
 * purchase intents (numbers about to be bought). Lives in `phone-numbers/twilio/pool-state.json`, which is
 * gitignored with the rest of `twilio/` (runtime data), and is only ever written under the directory lock,
 * through the journal (commitFiles), in the same transaction as the views it goes with.
 *
 * Every entry carries its owner (pid, host, boot id, pid namespace, pid start time, a random token) and an
 * expiry. An entry is *live* while its owner runs and it has not expired; otherwise it is *stale* and the
 * next pool/number command settles it from the providers (see src/pool/recover.ts).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DataError } from '../core/errors.js';
import { RUNTIME_STATE_VERSION, emptyRuntimeState, type Lease, type Owner, type RuntimeState } from '../core/pool/state.js';
import type { ProjectPaths } from './paths.js';
import { readTextOrNull } from './fsutil.js';
import type { FileWrite } from './transaction.js';
import { machineIdentity, pidAlive, pidStartTime } from './process-identity.js';

export { RUNTIME_STATE_VERSION, emptyRuntimeState };
export type { Owner, RuntimeState, Reservation, PurchaseIntent, Intended, OperationKind, Lease } from '../core/pool/state.js';

export const RUNTIME_STATE_FILE = 'pool-state.json';

export function runtimeStatePath(paths: ProjectPaths): string {
  return path.join(path.dirname(paths.sync), RUNTIME_STATE_FILE);
}

function isEntry(v: unknown): v is { phone_number: string; owner: Owner; expires: string } {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  const o = e.owner as Record<string, unknown> | undefined;
  return typeof e.phone_number === 'string' && typeof e.expires === 'string' && !!o && typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string';
}

function isLease(v: unknown): v is Lease {
  if (!v || typeof v !== 'object') return false;
  const l = v as Record<string, unknown>;
  return ['ref', 'pool', 'workspace', 'phone_number', 'release_at', 'created'].every((k) => typeof l[k] === 'string');
}

/** Reads the runtime state; a missing file is an empty state. */
export async function readRuntimeState(paths: ProjectPaths): Promise<RuntimeState> {
  const file = runtimeStatePath(paths);
  const text = await readTextOrNull(file, paths.rel(file), paths.root);
  if (text === null) return emptyRuntimeState();
  return parseRuntimeState(text, paths.rel(file));
}

export function parseRuntimeState(text: string, name: string): RuntimeState {
  const bad = (why: string) =>
    new DataError(`${name}: ${why}`, `it records pool operations in progress; when no phone-dir command is running, delete it and run phone-dir sync`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(`invalid JSON (${(err as Error).message})`);
  }
  const s = json as Partial<RuntimeState> | null;
  if (!s || typeof s !== 'object' || s.version !== RUNTIME_STATE_VERSION || !Array.isArray(s.reservations) || !Array.isArray(s.intents)) {
    throw bad('unknown format');
  }
  if (!s.reservations.every(isEntry) || !s.intents.every(isEntry)) throw bad('an entry lacks phone_number, owner or expires');
  const leases = s.leases ?? [];
  if (!Array.isArray(leases) || !leases.every(isLease)) throw bad('a lease lacks ref, pool, workspace, phone_number or release_at');
  const ends = s.lease_ends ?? {};
  if (!ends || typeof ends !== 'object' || Array.isArray(ends) || !Object.values(ends).every((v) => typeof v === 'string')) throw bad('lease_ends is not an object of times');
  return { version: RUNTIME_STATE_VERSION, reservations: s.reservations, intents: s.intents, leases, lease_ends: ends };
}

const byPhone = (a: { phone_number: string; workspace: string }, b: { phone_number: string; workspace: string }) =>
  a.phone_number < b.phone_number ? -1 : a.phone_number > b.phone_number ? 1 : a.workspace < b.workspace ? -1 : a.workspace > b.workspace ? 1 : 0;

/** The file write for a state: deterministic, and a deletion when nothing is in progress. */
export function runtimeStateWrite(paths: ProjectPaths, state: RuntimeState): FileWrite {
  const file = runtimeStatePath(paths);
  const leases = state.leases ?? [];
  const endTimes = state.lease_ends ?? {};
  const ends = Object.keys(endTimes);
  if (state.reservations.length === 0 && state.intents.length === 0 && leases.length === 0 && ends.length === 0) return { path: file, content: null };
  const out: RuntimeState = {
    version: RUNTIME_STATE_VERSION, reservations: [...state.reservations].sort(byPhone), intents: [...state.intents].sort(byPhone),
    leases: [...leases].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)),
    lease_ends: Object.fromEntries(ends.sort().map((k) => [k, endTimes[k]!])),
  };
  return { path: file, content: `${JSON.stringify(out, null, 2)}\n` };
}

// ---------------------------------------------------------------------------------------------------------
// Owners
// ---------------------------------------------------------------------------------------------------------

/**
 * The tokens of the command runs still going in this process. A process usually runs one command, but a
 * program (or the test suite) may call the CLI's main() several times: an entry left by a run that ended
 * is then stale although its pid is alive.
 */
const liveRuns = new Set<string>();

/** A token for one command run, live until endRun. */
export function beginRun(): string {
  const token = randomBytes(12).toString('hex');
  liveRuns.add(token);
  return token;
}

export function endRun(token: string): void {
  liveRuns.delete(token);
}

/** This command run as an owner; the token is the same for every entry the run creates. */
export function currentOwner(command: string, runToken: string): Owner {
  const m = machineIdentity();
  const o: Owner = { pid: process.pid, host: m.host, token: runToken, command };
  if (m.bootId) o.boot_id = m.bootId;
  if (m.pidNs) o.pid_ns = m.pidNs;
  const start = pidStartTime(process.pid);
  if (start) o.pid_start = start;
  return o;
}


/**
 * Whether the owner still runs: true/false on this machine, null when it cannot be told (another host or
 * pid namespace: then only the entry's expiry counts).
 */
export function ownerAlive(o: Owner): boolean | null {
  const m = machineIdentity();
  if (o.host !== m.host || (o.pid_ns && m.pidNs && o.pid_ns !== m.pidNs)) return null;
  if (o.boot_id && m.bootId && o.boot_id !== m.bootId) return false;
  if (o.pid === process.pid) return liveRuns.has(o.token); // same pid, other token: an earlier run
  if (!pidAlive(o.pid)) return false;
  if (o.pid_start) {
    const start = pidStartTime(o.pid);
    if (start !== undefined && start !== o.pid_start) return false;
  }
  return true;
}
