/** `pool health`: a reading command (no lock, no provider). */
import type { Context } from '../context.js';
import { loadDirectory } from '../../store/directory.js';
import { projectPaths } from '../../store/paths.js';
import { readPools } from '../../store/pools.js';
import { readRuntimeState } from '../../store/runtime-state.js';
import { formatIssue } from '../../store/parse-file.js';
import { blockedNumbers } from '../../core/pool/state.js';
import { leasedByPool } from '../../core/pool/leases.js';
import { poolHealth, type PoolHealth } from '../../core/pool/health.js';
import { DataError, UsageError } from '../../core/errors.js';
import { requireKnownWorkspace } from '../load.js';

export interface HealthOptions { workspace?: string; min?: string }
export interface HealthResult { ok: boolean; pools: PoolHealth[]; exitCode: number }

export async function runHealth(ctx: Context, o: HealthOptions): Promise<HealthResult> {
  let min: number | undefined;
  if (o.min !== undefined) {
    min = Number(o.min);
    if (!Number.isInteger(min) || min < 0) throw new UsageError(`--min: "${o.min}" is not a whole number`);
  }
  const paths = projectPaths(ctx.root);
  const [loaded, pools, state] = await Promise.all([loadDirectory(ctx.root, { schema: false }), readPools(paths), readRuntimeState(paths)]);
  await requireKnownWorkspace(ctx, loaded.dir, o.workspace);
  if (pools.issues.length) throw new DataError(formatIssue(pools.issues[0]!), 'fix phone-numbers/pools.json (phone-dir validate lists every problem)');
  const rows = poolHealth(loaded.dir, pools.pools, ctx.now(), blockedNumbers(state), { ...(o.workspace ? { workspace: o.workspace } : {}), ...(min !== undefined ? { min } : {}), leased: leasedByPool(state) });
  const ok = rows.every((r) => !r.below_minimum);
  return { ok, pools: rows, exitCode: ok ? 0 : 1 };
}
