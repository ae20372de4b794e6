import type { Finding } from './finding.js';
import { error, warning } from './finding.js';
import { numbersOf, type ValidationInput } from './context.js';
import { poolStats } from '../pool-stats.js';
import { poolSettings } from '../pool/membership.js';

/** Pools: a number held in two pools, pools unknown to pools.json, holds past release_at, pools below minimum. */
export function checkPools(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const unreadable = input.unreadable?.workspaces ?? new Set<string>();
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    for (const entry of files.numbers?.numbers ?? []) {
      const record = input.dir.numbers.get(entry.phone_number);
      if (record && (entry.pool ?? null) !== record.pool) {
        out.push(error('pool-conflict', `${entry.phone_number} is held in two pools: "${entry.pool ?? 'none'}" (${input.files.numbers(ws)}) and "${record.pool ?? 'none'}" (${input.files.directory})`, { phone_number: entry.phone_number, workspace: ws, file: input.files.numbers(ws) }));
      }
    }
  }
  for (const n of numbersOf(input)) {
    if (n.pool) {
      const pool = poolSettings(input.pools, n.pool);
      if (!pool) {
        if (!input.unreadable?.pools) out.push(warning('unknown-pool', `${n.phone_number} is in pool "${n.pool}", which ${input.files.pools} does not define`, { phone_number: n.phone_number }));
      } else if (!n.workspaces[pool.workspace] && !unreadable.has(pool.workspace)) {
        out.push(error('pool-workspace', `${n.phone_number} is in pool "${n.pool}" of workspace ${pool.workspace} but is not imported there`, { phone_number: n.phone_number, workspace: pool.workspace }));
      }
    }
    for (const [ws, wn] of Object.entries(n.workspaces)) {
      const due = wn.assignment?.release_at;
      if (due && Date.parse(due) <= input.now.getTime()) {
        out.push(warning('hold-expired', `${n.phone_number} in ${ws}: hold expired at ${due}; run phone-dir pool release --expired`, { phone_number: n.phone_number, workspace: ws, file: input.files.assignments(ws) }));
      }
    }
  }
  out.push(...checkPoolCarriers(input));
  for (const stats of poolStats(input.dir, input.pools, input.now)) {
    if (stats.min_available > 0 && stats.available < stats.min_available && !unreadable.has(stats.workspace)) {
      out.push(warning('pool-below-minimum', `pool ${stats.pool} (${stats.workspace}) has ${stats.available} available, below its minimum of ${stats.min_available}`, { workspace: stats.workspace, file: input.files.pools }));
    }
  }
  return out;
}

/** A pool buys from a carrier phone-dir knows; one without trunks needs the SIP address the platform dials (spec/config.md). */
function checkPoolCarriers(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const file = input.files.pools;
  for (const [name, pool] of Object.entries(input.pools?.pools ?? {})) {
    const carrierName = pool.provision?.carrier;
    if (!carrierName) continue;
    const carrier = input.catalog.carriers.get(carrierName);
    if (!carrier) {
      out.push(error('pool-carrier', `${file}: pools.${name}.provision.carrier: "${carrierName}" is not a carrier phone-dir knows (${[...input.catalog.carriers.keys()].sort().join(', ')})`, { file }));
    } else if (!carrier.capabilities.trunks && !pool.provision?.termination_uri) {
      out.push(error('pool-carrier', `${file}: pools.${name}.provision.termination_uri: missing; ${carrier.label} has no SIP trunks, so the pool must name the SIP address its numbers are dialled at`, { file }));
    }
  }
  return out;
}
