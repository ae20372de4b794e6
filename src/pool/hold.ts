/** `pool hold`: set or move when an assignment's hold expires (local only: no voice platform has such a field). */
import type { PoolDeps as Session } from './deps.js';
import { settlePending } from './recover.js';
import { requireWorkspace } from '../core/config.js';
import { parseUntil } from '../core/pool/pools.js';
import { findReservation, isMine } from '../core/pool/state.js';
import { NotFoundError } from '../core/errors.js';

export interface HoldOptions { number: string; workspace: string; until: string }
export interface HoldResult { workspace: string; phone_number: string; agent_path: string | null; release_at: string | null; previous_release_at: string | null }

export async function runHold(s: Session, o: HoldOptions): Promise<HoldResult> {
  requireWorkspace(await s.config(), o.workspace);
  const clear = /^(none|never)$/i.test(o.until.trim());
  const releaseAt = clear ? null : parseUntil(o.until, s.now());
  await settlePending(s);
  return s.store.unitWhenFree<HoldResult>('hold', async (tx) => {
    const blocker = findReservation(tx.state, o.number);
    if (blocker && !isMine(blocker, s.owner)) return { busy: blocker };
    const dir = await tx.subset([o.number]);
    const record = dir.numbers.get(o.number);
    if (!record) throw new NotFoundError(`number not found: ${o.number} is not in the directory`);
    const wn = record.workspaces[o.workspace];
    if (!wn) throw new NotFoundError(`number not found: ${o.number} is not imported into ${o.workspace}`);
    if (!wn.assignment) throw new NotFoundError(`${o.number} is not assigned in ${o.workspace}: there is no hold to set`, `assign it first: phone-dir pool assign --workspace ${o.workspace} --agent <a> --number ${o.number} --hold <duration>`);
    const previous = wn.assignment.release_at;
    wn.assignment.release_at = releaseAt;
    tx.audit({ operation: 'hold', phone_number: o.number, agent_path: wn.assignment.agent_path, workspace: o.workspace, pool: record.pool, result: 'moved', detail: { release_at: releaseAt, previous_release_at: previous } });
    return { workspace: o.workspace, phone_number: o.number, agent_path: wn.assignment.agent_path, release_at: releaseAt, previous_release_at: previous };
  }, async () => { await settlePending(s); });
}
