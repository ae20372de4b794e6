/**
 * Settles what interrupted pool and number commands left in the runtime state (kill -9, crash, reboot,
 * or an ambiguous provider failure): the providers are asked what really happened, and the directory is
 * brought in line with their answer. Runs at the start of every pool and number command (and, through
 * settlePendingOperations, of sync); costs one small file read when nothing is pending.
 *
 * - A purchase intent: its carrier is asked for the number (findNumber). Bought → the remaining steps run
 *   (attach or webhooks, the platform import) and the number is recorded in its pool (also when sync settles it:
 *   a number matching an open intent is adopted into its pool). Not found → the outcome is still unknown
 *   (a sale can land after the lookup), so the intent stays and later commands look again; only after
 *   PURCHASE_OUTCOME_WINDOW_MS is it dropped, with a warning naming the number and what to check. A
 *   purchase is never sent again, so no number is bought twice, and none is lost.
 * - A reservation: every workspace it concerns is asked for the number (getNumber) and the answer is
 *   recorded as sync would record it; what the operation meant locally (hold, pool, status) is replayed.
 *   An interrupted delete is finished, not only recorded (see askReservation).
 *
 * Claiming works like a reservation: stale entries are taken over under the lock (this run becomes their
 * owner), the providers are asked without the lock, and the answers are applied under the lock. If this
 * run dies too, the entries are stale again for the next one.
 */
import type { PoolDeps } from './deps.js';
import { completePurchase, recordPurchase, type Completed } from './purchase.js';
import { claimStale, unreserve, dropIntent, hasStale, purchaseOutcomeFinal, PURCHASE_OUTCOME_WINDOW_MS, type Reservation, type PurchaseIntent } from '../core/pool/state.js';
import type { PlatformNumberSnapshot, CarrierNumberSnapshot, TrunkSnapshot } from '../core/snapshot.js';
import { applyPlatformNumber, removeFromWorkspace, forgetAtCarrier, knownAgentNames, isAssignedAs } from '../core/pool/apply.js';
import { carrierLabel, intentCarrier } from './purchase.js';
import { leavePoolIfOutside } from '../core/pool/membership.js';
import { isoSeconds } from '../core/time.js';
import { redact } from '../core/secrets.js';

/**
 * `asked`: who answered, for the report ("Retell", "Retell and Twilio"); `finished`: the steps of an interrupted
 * delete the settle ran itself ("released it at Twilio").
 */
type ReservationAnswer = { ok: true; platforms: Map<string, PlatformNumberSnapshot | null>; carrier?: CarrierNumberSnapshot | null; asked: string; finished: string[] } | { ok: false; message: string };
type IntentAnswer = { ok: true; bought: false; carrier: string } | { ok: true; bought: true; done: Completed } | { ok: false; message: string };

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} minutes`;
}

export interface SettleReport {
  settled: string[];
  failed: string[];
  /** Purchases not at their carrier yet whose outcome is still unknown: kept for the next command. */
  pending: string[];
  /** Purchases given up on after their window: dropped, with what to check. */
  expired: string[];
}

function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

/**
 * A delete (confirmed by the person who ran it) is finished rather than only recorded: the platforms that still
 * have the number let it go, then a --release gives it back to its carrier. Recording a half-done delete would
 * leave a number billed that serves nobody, and a delete request still in flight from the dead command could
 * land after the answer was recorded. Every step is idempotent, so running one twice is harmless.
 */
async function askReservation(deps: PoolDeps, r: Reservation): Promise<ReservationAnswer> {
  try {
    const platforms = new Map<string, PlatformNumberSnapshot | null>();
    const labels = new Set<string>();
    const finished: string[] = [];
    for (const ws of r.intended.workspaces ?? [r.workspace]) {
      const voice = await deps.platform(ws);
      labels.add((await deps.platformEntry(ws)).label);
      const snap = await deps.remote(() => voice.getNumber({ phone_number: r.phone_number }));
      if (snap && r.kind === 'delete') {
        await deps.remote(() => voice.deleteNumber({ phone_number: r.phone_number, platform_ids: snap.platform_ids }));
        finished.push(`deleted it from ${ws}`);
      }
      platforms.set(ws, r.kind === 'delete' ? null : snap);
    }
    const asked = [...labels].sort().join(' and ');
    if (!r.intended.release_carrier) return { ok: true, platforms, asked, finished };
    const record = await deps.readRecord(r.phone_number);
    const carrierName = record?.carrier ? record.provider : await intentCarrier(deps, {});
    const carrier = await deps.carrier(carrierName, r.workspace);
    const label = await carrierLabel(carrierName);
    const atCarrier = await deps.remote(() => carrier.findNumber(r.phone_number));
    if (atCarrier) {
      await deps.remote(() => carrier.release(atCarrier.sid));
      finished.push(`released it at ${label}`);
    }
    return { ok: true, platforms, carrier: null, asked: `${asked} and ${label}`, finished };
  } catch (err) {
    return { ok: false, message: messageOf(err) };
  }
}

async function askIntent(deps: PoolDeps, i: PurchaseIntent): Promise<IntentAnswer> {
  try {
    const carrierName = await intentCarrier(deps, i);
    const carrier = await deps.carrier(carrierName, i.workspace);
    const found = await deps.remote(() => carrier.findNumber(i.phone_number));
    if (!found) return { ok: true, bought: false, carrier: await carrierLabel(carrierName) };
    let trunk: TrunkSnapshot | null = null;
    if (i.trunk_sid && carrier.trunks) trunk = await deps.remote(() => carrier.trunks!.fetchTrunk(i.trunk_sid!));
    return { ok: true, bought: true, done: await completePurchase(deps, i, found, trunk) };
  } catch (err) {
    return { ok: false, message: messageOf(err) };
  }
}

/** Quick check without the lock: is anything stale at all? */
export async function needsSettling(deps: PoolDeps): Promise<boolean> {
  return hasStale(await deps.store.peekState(), deps.now(), deps.ownerAlive);
}

/** Settles every stale entry of the runtime state (see the file comment). Never throws for a provider failure: it reports it. */
export async function settlePending(deps: PoolDeps): Promise<SettleReport> {
  const report: SettleReport = { settled: [], failed: [], pending: [], expired: [] };
  if (!(await needsSettling(deps))) return report;
  const claimed = await deps.store.unit('settle-claim', async (unit) => {
    return claimStale(unit.state, deps.owner, deps.now(), deps.ownerAlive);
  });
  if (!claimed.reservations.length && !claimed.intents.length) return report;

  const rAnswers = await Promise.all(claimed.reservations.map((r) => askReservation(deps, r)));
  const iAnswers = await Promise.all(claimed.intents.map((i) => askIntent(deps, i)));

  await deps.store.unit('settle-apply', async (unit) => {
    const dir = await unit.subset([...claimed.reservations, ...claimed.intents].map((e) => e.phone_number));
    const agents = await deps.agents();
    // Unreadable pools.json: only a number in no workspace at all leaves its pool (settling must not fail on it).
    const pools = await deps.pools().catch(() => null);
    const names = knownAgentNames(dir);
    const now = deps.now();
    const stamp = isoSeconds(now);
    const poolBefore = new Map(claimed.reservations.map((r) => [r.phone_number, dir.numbers.get(r.phone_number)?.pool ?? null]));
    claimed.reservations.forEach((r, k) => {
      const answer = rAnswers[k]!;
      const label = `an interrupted ${r.owner.command.replace(/^phone-dir /, '')} (${r.kind}) of ${r.phone_number}`;
      if (!answer.ok) {
        report.failed.push(`${label}: ${answer.message}`);
        return;
      }
      for (const [ws, snap] of answer.platforms) {
        if (snap) applyPlatformNumber(dir, ws, snap, agents, names, stamp);
        else removeFromWorkspace(dir, r.phone_number, ws);
      }
      if (answer.carrier === null) forgetAtCarrier(dir, r.phone_number);
      const record = dir.numbers.get(r.phone_number);
      const wn = record?.workspaces[r.workspace];
      if (record && wn) {
        const i = r.intended;
        if (r.kind === 'assign' && i.agent_id && i.assignment_type && isAssignedAs(wn, i.agent_id, i.assignment_type)) wn.assignment!.release_at = i.release_at ?? null;
        if (r.kind === 'import' || r.kind === 'update') {
          if (i.pool !== undefined) record.pool = i.pool;
          if (i.status !== undefined) record.status = i.status;
        }
      }
      if (record) leavePoolIfOutside(record, pools);
      if (answer.finished.length) {
        unit.audit({ operation: 'delete', phone_number: r.phone_number, workspace: r.workspace, pool: poolBefore.get(r.phone_number) ?? null, result: record ? 'removed' : 'deleted', detail: { finished_by_settle: answer.finished.join(', '), released_at_carrier: answer.carrier === null } });
      }
      unreserve(unit.state, r.phone_number, deps.owner);
      const finished = answer.finished.length ? `finished it (${answer.finished.join(', ')}); ` : '';
      report.settled.push(`${label}: ${finished}recorded what ${answer.asked} now ${answer.asked.includes(' and ') ? 'say' : 'says'}`);
    });
    claimed.intents.forEach((i, k) => {
      const answer = iAnswers[k]!;
      const label = `an interrupted purchase of ${i.phone_number} (pool ${i.pool}, ${i.workspace})`;
      if (!answer.ok) {
        report.failed.push(`${label}: ${answer.message}`);
        return;
      }
      if (!answer.bought && !purchaseOutcomeFinal(i, now)) {
        // The sale may still land: the intent stays (stale again once this process exits) and is looked up again.
        const until = isoSeconds(new Date(Date.parse(i.created) + PURCHASE_OUTCOME_WINDOW_MS));
        report.pending.push(`${label}: not at ${answer.carrier} yet; the next phone-dir command (or sync) looks again, until ${until}`);
        return;
      }
      if (answer.bought) recordPurchase(dir, i, answer.done, agents, now);
      dropIntent(unit.state, i.phone_number, deps.owner);
      if (answer.bought) report.settled.push(`${label}: it was bought; finished and recorded it as available`);
      else report.expired.push(`${label} from ${i.created}: not at ${answer.carrier} after ${minutes(PURCHASE_OUTCOME_WINDOW_MS)}, taken as not bought; dropped it. If the ${answer.carrier} console lists ${i.phone_number}, phone-dir sync adds it, then put it in the pool: phone-dir number update ${i.phone_number} --workspace ${i.workspace} --pool ${i.pool}`);
    });
  });
  for (const line of report.settled) deps.notices.info(`settled ${line}`);
  for (const line of report.pending) deps.notices.info(`unsettled ${line}`);
  for (const line of report.expired) deps.notices.warn(line);
  for (const line of report.failed) deps.notices.warn(`could not settle ${line}; the next phone-dir command will try again`);
  return report;
}
