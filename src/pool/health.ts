/** `pool health`: a reading use case (no lock, no provider). */
import type { PoolDeps } from './deps.js';
import { blockedNumbers } from '../core/pool/state.js';
import { leasedByPool } from '../core/pool/leases.js';
import { poolHealth, type PoolHealth } from '../core/pool/health.js';
import { UsageError } from '../core/errors.js';

export interface HealthOptions { workspace?: string; min?: string }
export interface HealthResult { ok: boolean; pools: PoolHealth[]; exitCode: number }

export async function runHealth(options: HealthOptions, deps: PoolDeps): Promise<HealthResult> {
  let min: number | undefined;
  if (options.min !== undefined) {
    min = Number(options.min);
    if (!Number.isInteger(min) || min < 0) throw new UsageError(`--min: "${options.min}" is not a whole number`);
  }
  const [dir, state] = await Promise.all([deps.readDirectory(), deps.store.peekState()]);
  if (options.workspace !== undefined) await deps.requireKnownWorkspace(options.workspace, dir);
  const pools = await deps.pools();
  const rows = poolHealth(dir, pools, deps.now(), blockedNumbers(state), { ...(options.workspace ? { workspace: options.workspace } : {}), ...(min !== undefined ? { min } : {}), leased: leasedByPool(state) });
  const ok = rows.every((r) => !r.below_minimum);
  return { ok, pools: rows, exitCode: ok ? 0 : 1 };
}
