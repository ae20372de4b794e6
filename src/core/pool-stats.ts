import type { Directory } from './model.js';
import type { PoolsFile } from './schemas.js';
import { sortedNumbers } from './model.js';
import { unavailability } from './pool/select.js';

const NOTHING_IN_FLIGHT: ReadonlySet<string> = new Set();

export interface PoolStats {
  pool: string;
  workspace: string;
  available: number;
  assigned: number;
  reserved: number;
  total: number;
  overdue_holds: number;
  min_available: number;
}

/** Per pool: counts a number as available when it is active and unassigned in the pool's workspace. */
export function poolStats(dir: Directory, pools: PoolsFile | null, now: Date): PoolStats[] {
  const stats = new Map<string, PoolStats>();
  for (const [name, p] of Object.entries(pools?.pools ?? {})) {
    stats.set(name, { pool: name, workspace: p.workspace, available: 0, assigned: 0, reserved: 0, total: 0, overdue_holds: 0, min_available: p.min_available ?? 0 });
  }
  for (const n of sortedNumbers(dir)) {
    if (!n.pool) continue;
    const s = stats.get(n.pool);
    if (!s) continue;
    // The pool choice's own rule (src/core/pool/select.ts), without what is in flight: that is health's part.
    const why = unavailability(n, { name: s.pool, workspace: s.workspace }, NOTHING_IN_FLIGHT);
    if (why === 'not-in-pool') continue;
    s.total++;
    if (why === null) s.available++;
    else if (why === 'assigned') s.assigned++;
    else s.reserved++;
    const due = n.workspaces[s.workspace]!.assignment?.release_at;
    if (due && Date.parse(due) <= now.getTime()) s.overdue_holds++;
  }
  return [...stats.values()].sort((a, b) => (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
}
