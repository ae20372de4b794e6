/** `pool hold`: set or move when an assignment's hold expires (local only: no voice platform has such a field). */
import type { PoolDeps } from './deps.js';
import { settlePending } from './recover.js';
import { requireWorkspace } from '../core/config.js';
import { parseUntil } from '../core/pool/pools.js';
import { findReservation, isMine } from '../core/pool/state.js';
import { NotFoundError } from '../core/errors.js';

export interface HoldOptions { number: string; workspace: string; until: string }
export interface HoldResult { workspace: string; phone_number: string; agent_path: string | null; release_at: string | null; previous_release_at: string | null }

export async function runHold(options: HoldOptions, deps: PoolDeps): Promise<HoldResult> {
  requireWorkspace(await deps.config(), options.workspace);
  const clear = /^(none|never)$/i.test(options.until.trim());
  const releaseAt = clear ? null : parseUntil(options.until, deps.now());
  await settlePending(deps);
  return deps.store.unitWhenFree<HoldResult>('hold', async (unit) => {
    const blocker = findReservation(unit.state, options.number);
    if (blocker && !isMine(blocker, deps.owner)) return { busy: blocker };
    const dir = await unit.subset([options.number]);
    const record = dir.numbers.get(options.number);
    if (!record) throw new NotFoundError(`number not found: ${options.number} is not in the directory`);
    const wn = record.workspaces[options.workspace];
    if (!wn) throw new NotFoundError(`number not found: ${options.number} is not imported into ${options.workspace}`);
    if (!wn.assignment) throw new NotFoundError(`${options.number} is not assigned in ${options.workspace}: there is no hold to set`, `assign it first: phone-dir pool assign --workspace ${options.workspace} --agent <a> --number ${options.number} --hold <duration>`);
    const previous = wn.assignment.release_at;
    wn.assignment.release_at = releaseAt;
    unit.audit({ operation: 'hold', phone_number: options.number, agent_path: wn.assignment.agent_path, workspace: options.workspace, pool: record.pool, result: 'moved', detail: { release_at: releaseAt, previous_release_at: previous } });
    return { workspace: options.workspace, phone_number: options.number, agent_path: wn.assignment.agent_path, release_at: releaseAt, previous_release_at: previous };
  }, async () => { await settlePending(deps); });
}
