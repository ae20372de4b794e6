/**
 * `pool lease`, `pool release --for`, `pool hold --for`, the lease part of `pool release --expired`, and
 * `pool leases`. No provider call: a lease lives in the runtime state (pool-state.json) only, chosen and
 * written in one lock phase (nothing to settle after a crash: the state has the lease or it does not).
 */
import type { PoolDeps } from './deps.js';
import type { DirectLeases, PoolUnit } from '../ports/pool-store.js';
import { requireWorkspace } from '../core/config.js';
import { poolSettings } from '../core/pool/membership.js';
import { parseUntil } from '../core/pool/pools.js';
import { pickLeastRecentlyUsed, poolCounts, type PoolCounts } from '../core/pool/select.js';
import { takenNumbers } from '../core/pool/state.js';
import { checkRef, DEFAULT_LEASE_HOLD, endLease, expiredLeases, findLease, isLive, leasesOf } from '../core/pool/leases.js';
import { parseDuration } from '../core/duration.js';
import { isoSeconds } from '../core/time.js';
import { NotFoundError, PoolExhaustedError, UsageError } from '../core/errors.js';
import type { Lease } from '../core/pool/state.js';
import type { DirectoryFile } from '../core/schemas.js';

export interface LeaseOptions { pool: string; ref: string; hold?: string; workspace?: string }
/** The --json shape (spec/cli.md), and whether this run created the lease. */
export interface LeaseResult { pool: string; phone_number: string; ref: string; release_at: string; created: boolean }

function holdMs(raw: string, flag: string): number {
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch {
    throw new UsageError(`${flag}: "${raw}" is not a duration`, 'give a duration such as 18h, 90m or 2d');
  }
  if (!(ms > 0)) throw new UsageError(`${flag}: "${raw}" is not a positive duration`);
  return ms;
}

/** The pool by name (did-you-mean when unknown); its workspace from pools.json, --workspace, or its numbers. */
async function leasePool(deps: PoolDeps, name: string, workspace: string | undefined): Promise<{ workspace: string | null; defaultHold: string | null }> {
  const settings = poolSettings(await deps.pools(), name);
  const ws = workspace ?? settings?.workspace;
  if (ws !== undefined) {
    requireWorkspace(await deps.config(), ws);
    const p = await deps.pool(ws, name);
    return { workspace: p.workspace, defaultHold: p.settings?.default_hold ?? null };
  }
  await deps.pool('', name); // an undeclared pool: checked to exist; its workspace comes from its numbers
  return { workspace: null, defaultHold: null };
}

function poolWorkspace(file: DirectoryFile, name: string): string | null {
  const found = new Set<string>();
  for (const e of Object.values(file.numbers)) {
    if (e && typeof e === 'object' && e.pool === name) for (const ws of Object.keys(e.workspaces ?? {})) found.add(ws);
  }
  if (found.size > 1) throw new UsageError(`pool "${name}" has numbers in several workspaces (${[...found].sort().join(', ')}): choose one with --workspace`);
  return found.size ? [...found][0]! : null;
}

function exhausted(pool: string, workspace: string | null, c: PoolCounts | null): PoolExhaustedError {
  const counts = c ? ` (${c.available} available, ${c.assigned} assigned, ${c.leased} leased, ${c.reserved} reserved or protected${c.busy ? `, ${c.busy} being worked on` : ''}; ${c.total} in total)` : ' (it has no numbers)';
  return new PoolExhaustedError(
    `pool "${pool}"${workspace ? ` in workspace ${workspace}` : ''} has no number free to lease${counts}`,
    'end leases: phone-dir pool release --expired (or pool release --for <ref>); add numbers: phone-dir pool provision',
  );
}

export async function runLease(options: LeaseOptions, deps: PoolDeps): Promise<LeaseResult> {
  const ref = checkRef(options.ref);
  const pool = await leasePool(deps, options.pool, options.workspace);
  const raw = options.hold ?? pool.defaultHold ?? DEFAULT_LEASE_HOLD;
  const ms = holdMs(raw, options.hold !== undefined ? '--hold' : `pool "${options.pool}" default_hold`);
  if (deps.store.directLeases) return leaseDirectly(deps, deps.store.directLeases, options, ref, pool.workspace, ms);
  type Phase = LeaseResult | { exhausted: PoolCounts | null; workspace: string | null };
  const r = await deps.store.unit('lease', async (unit): Promise<Phase> => {
    const now = deps.now();
    const held = findLease(unit.state, ref);
    if (held && isLive(held, now)) {
      if (held.pool !== options.pool) throw new UsageError(`--for: "${ref}" already leases ${held.phone_number} from pool "${held.pool}"`, `end it first: phone-dir pool release --for ${JSON.stringify(ref)}`);
      unit.audit({ operation: 'lease', phone_number: held.phone_number, ref, pool: held.pool, workspace: held.workspace, result: 'already-leased' });
      return { pool: held.pool, phone_number: held.phone_number, ref, release_at: held.release_at, created: false };
    }
    if (held) {
      endLease(unit.state, held, now);
      unit.audit({ operation: 'expire', phone_number: held.phone_number, ref, pool: held.pool, workspace: held.workspace, result: 'released' });
    }
    const file = (await unit.directoryFile()) ?? ({ numbers: {} } as unknown as DirectoryFile);
    const workspace = pool.workspace ?? poolWorkspace(file, options.pool);
    if (workspace === null) return { exhausted: null, workspace: null };
    const ref0 = { name: options.pool, workspace };
    const taken = takenNumbers(unit.state);
    const pick = pickLeastRecentlyUsed(file, ref0, taken);
    if (!pick) {
      unit.audit({ operation: 'lease', phone_number: null, ref, pool: options.pool, workspace, result: 'none-free' });
      return { exhausted: poolCounts(file, ref0, taken), workspace };
    }
    const lease: Lease = { ref, pool: options.pool, workspace, phone_number: pick.phone_number, release_at: isoSeconds(new Date(now.getTime() + ms)), created: now.toISOString() };
    leasesOf(unit.state).push(lease);
    unit.audit({ operation: 'lease', phone_number: lease.phone_number, ref, pool: options.pool, workspace, result: 'leased', detail: { release_at: lease.release_at } });
    return { pool: options.pool, phone_number: lease.phone_number, ref, release_at: lease.release_at, created: true };
  });
  if ('exhausted' in r) throw exhausted(options.pool, r.workspace, r.exhausted);
  return r;
}

/** PostgreSQL: one call to `phone_dir.lease()`, no directory lock and no unit (the database decides). */
async function leaseDirectly(deps: PoolDeps, direct: DirectLeases, options: LeaseOptions, ref: string, workspace: string | null, holdMs: number): Promise<LeaseResult> {
  const now = deps.now();
  const outcome = await direct.lease({ pool: options.pool, ref, holdMs, now });
  if (outcome && 'otherPool' in outcome) throw new UsageError(`--for: "${ref}" already leases ${outcome.otherPool.phone_number} from pool "${outcome.otherPool.pool}"`, `end it first: phone-dir pool release --for ${JSON.stringify(ref)}`);
  if (outcome) return { pool: options.pool, phone_number: outcome.lease.phone_number, ref, release_at: outcome.lease.release_at, created: outcome.created };
  const directory = await deps.readDirectory();
  const found = new Set([...directory.numbers.values()].filter((record) => record.pool === options.pool).flatMap((record) => Object.keys(record.workspaces)));
  const poolWorkspaceName = workspace ?? (found.size === 1 ? [...found][0]! : null);
  throw exhausted(options.pool, poolWorkspaceName, poolWorkspaceName === null ? null : poolCounts(directory, { name: options.pool, workspace: poolWorkspaceName }, takenNumbers(await deps.store.peekState())));
}

export interface EndedLease { ref: string; pool: string; workspace: string; phone_number: string; release_at: string }
const ended = (l: Lease): EndedLease => ({ ref: l.ref, pool: l.pool, workspace: l.workspace, phone_number: l.phone_number, release_at: l.release_at });

function noLease(ref: string): NotFoundError {
  return new NotFoundError(`no lease for "${ref}"`, 'phone-dir pool leases lists the live leases');
}

/** `pool release --for <ref>`: ends the lease, whatever its release_at. */
export async function runReleaseFor(options: { ref: string }, deps: PoolDeps): Promise<EndedLease> {
  const ref = checkRef(options.ref);
  if (deps.store.directLeases) {
    const held = await deps.store.directLeases.release(ref, deps.now());
    if (!held) throw noLease(ref);
    return ended(held);
  }
  return deps.store.unit('release', async (unit) => {
    const held = findLease(unit.state, ref);
    if (!held) throw noLease(ref);
    endLease(unit.state, held, deps.now());
    unit.audit({ operation: 'release', phone_number: held.phone_number, ref, pool: held.pool, workspace: held.workspace, result: 'released' });
    return ended(held);
  });
}

export interface HoldLeaseResult extends EndedLease { previous_release_at: string }

/** `pool hold --for <ref> --until <time|duration>`: moves when the lease ends (a time in the past makes it expired). */
export async function runHoldFor(options: { ref: string; until: string }, deps: PoolDeps): Promise<HoldLeaseResult> {
  const ref = checkRef(options.ref);
  const until = options.until;
  if (/^(none|never)$/i.test(until.trim())) throw new UsageError(`--until: a lease always ends; give a time or a duration (not "${until}")`, 'end it now with phone-dir pool release --for <ref>');
  const releaseAt = parseUntil(until, deps.now());
  return deps.store.unit('hold', async (unit) => {
    const held = findLease(unit.state, ref);
    if (!held) throw noLease(ref);
    const previous = held.release_at;
    held.release_at = releaseAt;
    unit.audit({ operation: 'hold', phone_number: held.phone_number, ref, pool: held.pool, workspace: held.workspace, result: 'moved', detail: { release_at: releaseAt, previous_release_at: previous } });
    return { ...ended(held), previous_release_at: previous };
  });
}

/** The lease part of `pool release --expired`: ends every lease whose release_at has passed (in one phase). */
export async function runExpireLeases(options: { workspace?: string; dryRun: boolean }, deps: PoolDeps): Promise<EndedLease[]> {
  if (options.dryRun) {
    return expiredLeases(await deps.store.peekState(), deps.now(), options.workspace).map(ended);
  }
  return deps.store.unit('expire', async (unit: PoolUnit) => {
    const now = deps.now();
    const due = expiredLeases(unit.state, now, options.workspace);
    for (const l of due) {
      endLease(unit.state, l, now);
      unit.audit({ operation: 'expire', phone_number: l.phone_number, ref: l.ref, pool: l.pool, workspace: l.workspace, result: 'released', detail: { release_at: l.release_at } });
    }

    return due.map(ended);
  });
}

export interface LeaseRow extends EndedLease { created: string; expired: boolean }

/** `pool leases`: a reading command (no lock). Expired leases still hold their number until ended: listed, marked. */
export async function runLeases(options: { pool?: string }, deps: PoolDeps): Promise<LeaseRow[]> {
  if (options.pool !== undefined) await leasePool(deps, options.pool, undefined);
  const state = await deps.store.peekState();
  const now = deps.now();
  return (state.leases ?? [])
    .filter((l) => options.pool === undefined || l.pool === options.pool)
    .map((l) => ({ ...ended(l), created: l.created, expired: !isLive(l, now) }))
    .sort((a, b) => (a.release_at < b.release_at ? -1 : a.release_at > b.release_at ? 1 : a.ref < b.ref ? -1 : 1));
}
