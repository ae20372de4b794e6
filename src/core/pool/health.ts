/** `pool health`: poolStats (shared with validate) plus numbers in flight and the minimum check. */
import type { Directory } from '../model.js';
import type { PoolsFile } from '../schemas.js';
import { poolStats, type PoolStats } from '../pool-stats.js';
import { compareStrings } from '../model.js';
import { poolCounts } from './select.js';

const NO_LEASES: ReadonlySet<string> = new Set();

export interface PoolHealth extends PoolStats {
  /** Available numbers an operation is working on right now (counted in `available` by poolStats, taken out here). */
  in_flight: number;
  /** Available numbers leased to a reference (pool lease), taken out of `available` too. */
  leased: number;
  /** The minimum checked: --min when given (it overrides), else the pool's min_available. */
  minimum: number;
  below_minimum: boolean;
  /** false when pools.json does not define the pool (its numbers name it). */
  defined: boolean;
}

export interface HealthOptions { workspace?: string; min?: number; leased?: ReadonlyMap<string, ReadonlySet<string>> }

/**
 * One row per pool: pools.json's pools, plus pools that numbers name but pools.json does not define (with
 * the workspaces those numbers are imported into). `available` excludes numbers in flight.
 */
export function poolHealth(dir: Directory, pools: PoolsFile | null, now: Date, busy: ReadonlySet<string>, opts: HealthOptions = {}): PoolHealth[] {
  const defined = pools?.pools ?? {};
  const synthetic: PoolsFile = { version: '1.0.0', pools: { ...defined } };
  const extra = new Map<string, { pool: string; workspace: string }>();
  for (const n of dir.numbers.values()) {
    if (!n.pool || defined[n.pool]) continue;
    for (const ws of Object.keys(n.workspaces)) extra.set(`${n.pool}\u0000${ws}`, { pool: n.pool, workspace: ws });
  }
  const rows: PoolHealth[] = [];
  const add = (stats: PoolStats, isDefined: boolean) => {
    const leased = opts.leased?.get(`${stats.pool}\u0000${stats.workspace}`) ?? NO_LEASES;
    const counts = poolCounts(dir, { name: stats.pool, workspace: stats.workspace }, { busy, leased, leaseEnds: {} });
    const inFlight = counts.busy;
    const minimum = opts.min ?? stats.min_available;
    const available = counts.available;
    rows.push({ ...stats, available, in_flight: inFlight, leased: counts.leased, minimum, below_minimum: available < minimum, defined: isDefined });
  };
  for (const s of poolStats(dir, synthetic, now)) add(s, true);
  for (const { pool, workspace } of extra.values()) {
    // Pools named only by numbers: poolStats keyed by name, so one workspace at a time.
    const one: PoolsFile = { version: '1.0.0', pools: { [pool]: { workspace, min_available: 0 } } };
    for (const s of poolStats(dir, one, now)) add(s, false);
  }
  return rows
    .filter((r) => !opts.workspace || r.workspace === opts.workspace)
    .sort((a, b) => compareStrings(a.pool, b.pool) || compareStrings(a.workspace, b.workspace));
}
