/**
 * `pool assign`: hand the least recently used available number of a pool to an agent.
 *
 * Reserve under the lock (other assigners skip the number, as with FOR UPDATE SKIP LOCKED), bind it at the
 * workspace's voice platform without the lock (concurrent assigns overlap their calls), record it under the
 * lock. If the platform fails, the reservation is rolled back and nothing changes locally (exit 5).
 */
import type { PoolDeps } from './deps.js';
import { settlePending } from './recover.js';
import { runProvision } from './provision.js';
import { requireWorkspace } from '../core/config.js';
import { agentInWorkspace } from '../core/pool/agent-ref.js';
import { resolvePool, holdUntil, type ResolvedPool } from '../core/pool/pools.js';
import { candidateFromEntry, pickLeastRecentlyUsed, poolCounts, unavailability, type PoolCounts } from '../core/pool/select.js';
import type { DirectoryFile } from '../core/schemas.js';
import { reserve, unreserve, takenNumbers, findReservation, isMine, type Intended } from '../core/pool/state.js';
import { agentRefsFor, applyPlatformNumber, bindingType, isAssignedAs, knownAgentNames, platformIdsOfEntry, type PoolAssignmentType } from '../core/pool/apply.js';
import type { PlatformNumberSnapshot } from '../core/snapshot.js';
import { NotFoundError, PoolExhaustedError, UsageError } from '../core/errors.js';
import { isoSeconds } from '../core/time.js';

export const ASSIGNMENT_TYPES = ['inbound-outbound', 'inbound-only', 'outbound-only'] as const;

export interface AssignOptions {
  workspace: string;
  agent: string;
  pool?: string;
  /** Absent: both sides where the platform binds outbound calls, inbound-only where it does not. */
  type?: string;
  hold?: string;
  number?: string;
  provision: boolean;
}

/** The --json shape (spec/cli.md). */
export interface AssignResult {
  workspace: string;
  phone_number: string;
  agent_path: string;
  agent_id: string;
  assignment_type: PoolAssignmentType;
  release_at: string | null;
}

function exhaustedMessage(pool: ResolvedPool, c: PoolCounts): PoolExhaustedError {
  const parts = [`${c.available} available`, `${c.assigned} assigned`, `${c.reserved} reserved or protected`];
  if (c.leased) parts.push(`${c.leased} leased`);
  if (c.busy) parts.push(`${c.busy} being worked on by other commands`);
  return new PoolExhaustedError(
    `pool "${pool.name}" in workspace ${pool.workspace} has no available number (${parts.join(', ')}; ${c.total} in total)`,
    `rerun with --provision to buy one, or free one: phone-dir pool release --expired --workspace ${pool.workspace} (or pool release <number>); phone-dir pool provision --workspace ${pool.workspace}${pool.name === 'default' ? '' : ` --pool ${pool.name}`} adds numbers`,
  );
}

function why(reason: ReturnType<typeof unavailability>, phone: string, pool: ResolvedPool, holder: string): string {
  switch (reason) {
    case 'assigned': return `${phone} is not available: it is assigned to ${holder} in ${pool.workspace}`;
    case 'reserved': return `${phone} is not available: its status is "reserved"`;
    case 'protected': return `${phone} is not available: its status is "protected"`;
    case 'leased': return `${phone} is not available: it is leased (phone-dir pool leases)`;
    case 'busy': return `${phone} is not available: another command is working on it right now`;
    default: return `${phone} is not in pool "${pool.name}" of ${pool.workspace}`;
  }
}

export async function runAssign(options: AssignOptions, deps: PoolDeps): Promise<AssignResult> {
  const config = await deps.config();
  requireWorkspace(config, options.workspace);
  if (options.type !== undefined && !(ASSIGNMENT_TYPES as readonly string[]).includes(options.type)) throw new UsageError(`--type: "${options.type}" is not one of ${ASSIGNMENT_TYPES.join(', ')}`);
  const platform = await deps.platformEntry(options.workspace);
  const type = bindingType(options.type, platform, options.workspace);
  const agent = agentInWorkspace(await deps.agents(), options.agent, options.workspace);
  const pools = await deps.pools();
  const explicitPool = options.pool !== undefined || options.number === undefined ? await deps.pool(options.workspace, options.pool) : null;
  const started = deps.now();
  // Validated before anything is reserved (a bad --hold is exit 2 with nothing done).
  holdUntil(started, options.hold, explicitPool?.settings?.default_hold);
  await settlePending(deps);

  type Reserved = { phone: string; pool: ResolvedPool; releaseAt: string | null; ids: Record<string, string> } | { exhausted: PoolCounts; pool: ResolvedPool };
  const reserved = await deps.store.unit('reserve', async (unit): Promise<Reserved> => {
    // directory.json alone has what the choice needs (pool, status, assignment, import date, last use);
    // the chosen number's workspace files must agree with it before it is bound.
    const file = (await unit.directoryFile()) ?? ({ numbers: {} } as unknown as DirectoryFile);
    const taken = takenNumbers(unit.state);
    const now = deps.now();
    let pool = explicitPool;
    let phone: string;
    if (options.number) {
      const entry = file.numbers[options.number];
      if (!entry) throw new NotFoundError(`number not found: ${options.number} is not in the directory`);
      const ws = entry.workspaces[options.workspace];
      if (!ws) throw new NotFoundError(`number not found: ${options.number} is not imported into ${options.workspace}`);
      if (!pool) {
        if (!entry.pool) throw new PoolExhaustedError(`${options.number} is not in a pool`, `put it in one first: phone-dir number update ${options.number} --workspace ${options.workspace} --pool <name>`);
        pool = resolvePool(pools, options.workspace, entry.pool);
      }
      await unit.requireViewsAgree(options.number, options.workspace, 'binding');
      const reason = unavailability(candidateFromEntry(entry), pool, taken);
      if (reason !== null) {
        throw new PoolExhaustedError(why(reason, options.number, pool, ws.agent_path ?? ws.agent_id ?? '?'), reason === 'not-in-pool' ? undefined : 'ask for another number, or leave out --number to get the least recently used one');
      }
      phone = options.number;
    } else {
      const pick = pickLeastRecentlyUsed(file, pool!, taken);
      if (!pick) return { exhausted: poolCounts(file, pool!, taken), pool: pool! };
      phone = pick.phone_number;
      await unit.requireViewsAgree(phone, options.workspace, 'binding');
    }
    const releaseAt = holdUntil(now, options.hold, pool!.settings?.default_hold);
    reserve(unit.state, { phone_number: phone, workspace: options.workspace, kind: 'assign', owner: deps.owner, now, intended: { agent_path: agent.path, agent_id: agent.id, assignment_type: type, release_at: releaseAt } });
    return { phone, pool: pool!, releaseAt, ids: platformIdsOfEntry(file.numbers[phone]?.workspaces[options.workspace]) };
  });

  let phone: string;
  let releaseAt: string | null;
  let ids: Record<string, string> = {};
  if ('exhausted' in reserved) {
    if (!options.provision) throw exhaustedMessage(reserved.pool, reserved.exhausted);
    releaseAt = holdUntil(deps.now(), options.hold, reserved.pool.settings?.default_hold);
    const intended: Intended = { agent_path: agent.path, agent_id: agent.id, assignment_type: type, release_at: releaseAt };
    deps.notices.info(`pool "${reserved.pool.name}" in ${options.workspace} is empty: provisioning a number…`);
    const bought = await runProvision({ workspace: options.workspace, pool: reserved.pool.name, count: 1, dryRun: false, yes: true, reserveFor: intended }, deps);
    if (!bought.reserved) {
      const detail = bought.failed.map((f) => f.message).join('; ') || 'no number was bought';
      throw new PoolExhaustedError(`pool "${reserved.pool.name}" in ${options.workspace} is empty and provisioning failed: ${detail}`);
    }
    phone = bought.reserved;
  } else {
    phone = reserved.phone;
    releaseAt = reserved.releaseAt;
    ids = reserved.ids;
  }

  let snap: PlatformNumberSnapshot;
  try {
    const voice = await deps.platform(options.workspace);
    snap = await deps.remote(() => voice.updateNumber({ phone_number: phone, platform_ids: ids }, agentRefsFor(type, agent.id, platform.capabilities.outboundBinding)));
  } catch (err) {
    await deps.store.unit('rollback', async (unit) => {
      unreserve(unit.state, phone, deps.owner);
      unit.audit({ operation: 'assign', phone_number: phone, agent_path: agent.path, workspace: options.workspace, result: 'failed' });
    });
    throw err;
  }

  await deps.store.unit('commit', async (unit) => {
    const dir = await unit.subset([phone]);
    const mine = findReservation(unit.state, phone);
    if (!mine || !isMine(mine, deps.owner)) {
      // Expired and taken over by another command (which asked the platform itself): record only if nobody holds it now.
      deps.notices.warn(`the reservation of ${phone} expired while ${platform.label} answered; ${mine ? 'another command is settling it' : 'recording the assignment anyway'}`);
      if (mine) return;
    }
    const record = applyPlatformNumber(dir, options.workspace, snap, await deps.agents(), knownAgentNames(dir), isoSeconds(deps.now()));
    const wn = record.workspaces[options.workspace]!;
    if (isAssignedAs(wn, agent.id, type)) wn.assignment!.release_at = releaseAt;
    unreserve(unit.state, phone, deps.owner);
    unit.audit({ operation: 'assign', phone_number: phone, agent_path: agent.path, workspace: options.workspace, pool: record.pool, result: isAssignedAs(wn, agent.id, type) ? 'assigned' : 'platform-differs', detail: { release_at: releaseAt } });
  });
  return { workspace: options.workspace, phone_number: phone, agent_path: agent.path, agent_id: agent.id, assignment_type: type, release_at: releaseAt };
}
