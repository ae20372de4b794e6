/**
 * A number belongs to a pool only while it is imported into the pool's workspace (validate's
 * pool-workspace rule): a command that takes it out of that workspace takes it out of the pool too.
 */
import type { NumberRecord } from '../model.js';
import type { PoolsFile } from '../schemas.js';

type PoolSettings = PoolsFile['pools'][string];

/** pools.json's settings of a pool, or null. Pool names come from users: `constructor` must not find Object's built-ins. */
export function poolSettings(pools: PoolsFile | null, name: string): PoolSettings | null {
  const defined = pools?.pools ?? {};
  return Object.hasOwn(defined, name) ? (defined[name] ?? null) : null;
}

/** The workspace pools.json gives the pool; null when pools.json does not define it. */
export function definedPoolWorkspace(pools: PoolsFile | null, name: string): string | null {
  return poolSettings(pools, name)?.workspace ?? null;
}

/**
 * Whether the number is outside its pool's workspace: the one pools.json gives the pool, or (for a pool
 * pools.json does not define, which has no workspace of its own) every workspace.
 */
export function isOutsideItsPool(record: NumberRecord, pools: PoolsFile | null): boolean {
  if (!record.pool) return false;
  const workspace = definedPoolWorkspace(pools, record.pool);
  return workspace !== null ? record.workspaces[workspace] === undefined : Object.keys(record.workspaces).length === 0;
}

/** Takes the number out of its pool when it is outside the pool's workspace; returns the pool it left, else null. */
export function leavePoolIfOutside(record: NumberRecord, pools: PoolsFile | null): string | null {
  if (!isOutsideItsPool(record, pools)) return null;
  const left = record.pool;
  record.pool = null;
  return left;
}
