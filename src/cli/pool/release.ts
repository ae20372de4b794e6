/**
 * `pool release`: unassign in Retell (empty agent lists) and return the numbers to their pool
 * (`last_released` set, assignment and hold removed). One number, every number of an agent, every expired
 * hold (cron), or every number bound to an agent whose folder is gone.
 */
import type { Session, Tx } from './session.js';
import { settlePending } from './recover.js';
import { requireWorkspace } from '../../core/config.js';
import { resolveAgent } from '../../core/agents.js';
import { didYouMean } from '../../core/suggest.js';
import { agentPathsOf, sortedNumbers, type Assignment, type NumberRecord, type WeightedAgent } from '../../core/model.js';
import { expiresAt, isMine, isStale, RESERVATION_TTL_MS, type Reservation } from '../../core/pool/state.js';
import { applyRetellNumber, knownAgentNames, removeFromWorkspace } from '../../core/pool/apply.js';
import { ownerAlive } from '../../store/runtime-state.js';
import type { RetellAgentRef, RetellNumberSnapshot } from '../../core/snapshot.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { isoSeconds } from '../../core/time.js';
import { redact } from '../../core/secrets.js';

export interface ReleaseOptions {
  number?: string;
  workspace?: string;
  agent?: string;
  expired: boolean;
  orphans: boolean;
}

export interface ReleasedNumber {
  workspace: string;
  phone_number: string;
  /** The agent it was taken from (the primary agent when the whole number was released). */
  agent_path: string | null;
  pool: string | null;
  release_at: string | null;
  /** true: other agents stay bound to it (only the given or orphaned agent was removed). */
  partial: boolean;
}
export interface ReleaseResult {
  released: ReleasedNumber[];
  /** In use by another command right now: left alone (the next run picks them up). */
  skipped: { workspace: string; phone_number: string; reason: string }[];
  failed: { workspace: string; phone_number: string; message: string }[];
  /** One number that was not assigned: nothing to do. */
  already_unassigned: string[];
  exitCode: number;
}

interface Target {
  phone: string;
  workspace: string;
  agent_path: string | null;
  release_at: string | null;
  pool: string | null;
  inbound: RetellAgentRef[];
  outbound: RetellAgentRef[];
  partial: boolean;
}

/** Release the whole number, or (`drop`) only the agents it names, keeping the others with their weights renormalised. */
function target(n: NumberRecord, ws: string, drop?: (agentPath: string | null) => boolean): Target {
  const a = n.workspaces[ws]!.assignment!;
  const base = { phone: n.phone_number, workspace: ws, release_at: a.release_at, pool: n.pool };
  if (!drop) return { ...base, agent_path: a.agent_path ?? a.agent_id, inbound: [], outbound: [], partial: false };
  const inbound = remaining(sideOf(a, 'inbound'), drop);
  const outbound = remaining(sideOf(a, 'outbound'), drop);
  const dropped = [...sideOf(a, 'inbound'), ...sideOf(a, 'outbound')].find((w) => drop(w.agent_path));
  return { ...base, agent_path: dropped?.agent_path ?? a.agent_path, inbound, outbound, partial: inbound.length + outbound.length > 0 };
}

/** One side of an assignment as weighted agents with their paths. */
function sideOf(a: Assignment, side: 'inbound' | 'outbound'): WeightedAgent[] {
  const list = side === 'inbound' ? a.inbound_agents : a.outbound_agents;
  if (list) return list;
  const id = side === 'inbound' ? a.inbound_agent_id : a.outbound_agent_id;
  if (!id) return [];
  return [{ agent_id: id, agent_path: id === a.agent_id ? a.agent_path : null, weight: 1 }];
}

function remaining(list: WeightedAgent[], drop: (agentPath: string | null) => boolean): RetellAgentRef[] {
  const kept = list.filter((w) => !drop(w.agent_path));
  const total = kept.reduce((n, w) => n + w.weight, 0);
  const refs = kept.map((w) => ({ agent_id: w.agent_id, weight: Math.round((w.weight / total) * 10_000) / 10_000 }));
  if (refs.length) refs[refs.length - 1]!.weight = Math.round((1 - refs.slice(0, -1).reduce((n, w) => n + w.weight, 0)) * 10_000) / 10_000;
  return refs;
}

export async function runRelease(s: Session, o: ReleaseOptions): Promise<ReleaseResult> {
  const modes = [o.number !== undefined, o.agent !== undefined, o.expired, o.orphans].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('give exactly one of: <number>, --agent <a>, --expired, --orphans');
  const config = await s.config();
  if (o.workspace) requireWorkspace(config, o.workspace);
  const agents = await s.agents();
  const agentPath = o.agent ? resolveAgent(agents, o.agent, o.workspace) : undefined;
  await settlePending(s);
  const result: ReleaseResult = { released: [], skipped: [], failed: [], already_unassigned: [], exitCode: 0 };

  const hits = (a: { release_at?: string | null } & Parameters<typeof agentPathsOf>[0], now: Date): boolean =>
    o.expired
      ? a.release_at !== null && a.release_at !== undefined && Date.parse(a.release_at) <= now.getTime()
      : o.orphans
        ? agentPathsOf(a).some((p) => !agents.agents.has(p))
        : agentPathsOf(a).includes(agentPath!);

  const select = async (tx: Tx): Promise<Target[] | { busy: Reservation }> => {
    const now = s.now();
    // Only the numbers concerned are loaded as records: found in assignments.json of each workspace.
    let phones: string[];
    if (o.number) {
      phones = [o.number];
    } else {
      const found = new Set<string>();
      const { listWorkspaceFolders } = await import('../../store/directory.js');
      for (const ws of o.workspace ? [o.workspace] : await listWorkspaceFolders(s.paths)) {
        const files = await tx.workspaceFiles(ws);
        for (const a of files?.assignments.assignments ?? []) if (hits(a as Assignment, now)) found.add(a.phone_number);
      }
      phones = [...found];
      // Exit 4 like every command asked about an agent it cannot find (a removed folder with numbers left is still found).
      if (agentPath && phones.length === 0 && !agents.agents.has(agentPath)) {
        throw new NotFoundError(`agent not found: ${agentPath} has no folder and no numbers${didYouMean(agentPath, agents.agents.keys())}`);
      }
    }
    const dir = await tx.subset(phones);
    const reservedBy = new Map(tx.state.reservations.map((r) => [r.phone_number, r]));
    const targets: Target[] = [];
    if (o.number) {
      const record = dir.numbers.get(o.number);
      if (!record) throw new NotFoundError(`number not found: ${o.number} is not in the directory`);
      const wss = o.workspace ? [o.workspace] : Object.keys(record.workspaces).filter((ws) => record.workspaces[ws]!.assignment).sort();
      if (o.workspace && !record.workspaces[o.workspace]) throw new NotFoundError(`number not found: ${o.number} is not imported into ${o.workspace}`);
      if (wss.length > 1) throw new UsageError(`${o.number} is assigned in several workspaces (${wss.join(', ')}): choose one with --workspace`);
      const blocker = reservedBy.get(o.number);
      if (blocker && !isMine(blocker, s.owner)) return { busy: blocker };
      const ws = wss[0];
      if (!ws || !record.workspaces[ws]!.assignment) {
        result.already_unassigned.push(o.number);
        return [];
      }
      targets.push(target(record, ws));
    } else {
      for (const n of sortedNumbers(dir)) {
        for (const ws of Object.keys(n.workspaces).sort()) {
          if (o.workspace && ws !== o.workspace) continue;
          const a = n.workspaces[ws]!.assignment;
          if (!a) continue;
          if (!hits(a, now)) continue;
          const blocker = reservedBy.get(n.phone_number);
          if (blocker) {
            result.skipped.push({ workspace: ws, phone_number: n.phone_number, reason: `in use by "${blocker.owner.command}" (pid ${blocker.owner.pid})${isStale(blocker, now, ownerAlive) ? ', interrupted' : ''}` });
            continue;
          }
          targets.push(target(n, ws, o.expired ? undefined : o.orphans ? (p) => p !== null && !agents.agents.has(p) : (p) => p === agentPath));
        }
      }
    }
    // One reservation per number, naming every workspace it is released in (what a settling command asks Retell about).
    const byPhone = new Map<string, string[]>();
    for (const t of targets) byPhone.set(t.phone, [...(byPhone.get(t.phone) ?? []), t.workspace]);
    for (const [phone, wss] of byPhone) {
      tx.state.reservations.push({
        phone_number: phone, workspace: wss[0]!, kind: 'release', owner: s.owner, created: now.toISOString(),
        expires: expiresAt(now, RESERVATION_TTL_MS + targets.length * 5_000), intended: { workspaces: wss },
      });
    }
    if (targets.length) tx.changedState();
    return targets;
  };
  const targets = o.number ? await s.lockedWhenFree('reserve', select, async () => { await settlePending(s); }) : await s.locked('reserve', async (tx) => select(tx) as Promise<Target[]>);
  if (targets.length === 0) return result;

  const { isNotFound } = await import('../../providers/index.js');
  const providers = await s.providers();
  type Answer = { t: Target; snap: RetellNumberSnapshot | null } | { t: Target; error: string };
  const answers = await mapLimit(targets, 4, async (t): Promise<Answer> => {
    try {
      const retell = await providers.retell(t.workspace);
      return { t, snap: await s.remote(() => retell.updateNumber(t.phone, { inbound_agents: t.inbound, outbound_agents: t.outbound })) };
    } catch (err) {
      if (isNotFound(err)) return { t, snap: null }; // gone from the workspace: recorded as such
      return { t, error: redact(err instanceof Error ? err.message : String(err)) };
    }
  });

  await s.locked('commit', async (tx) => {
    const dir = await tx.subset(answers.map((a) => a.t.phone));
    const names = knownAgentNames(dir);
    const stamp = isoSeconds(s.now());
    for (const a of answers) {
      tx.state.reservations = tx.state.reservations.filter((x) => !(x.phone_number === a.t.phone && isMine(x, s.owner)));
      if ('error' in a) {
        result.failed.push({ workspace: a.t.workspace, phone_number: a.t.phone, message: a.error });
        continue;
      }
      if (a.snap) applyRetellNumber(dir, a.t.workspace, a.snap, agents, names, stamp);
      else removeFromWorkspace(dir, a.t.phone, a.t.workspace);
      const record = dir.numbers.get(a.t.phone);
      // A pool number leaves its assignment behind with last_released set (applyRetellNumber does it for pool numbers).
      if (record && record.pool && !record.workspaces[a.t.workspace]?.assignment) record.last_released ??= stamp;
      result.released.push({ workspace: a.t.workspace, phone_number: a.t.phone, agent_path: a.t.agent_path, pool: a.t.pool, release_at: a.t.release_at, partial: a.t.partial });
    }
    tx.changedDirectory();
    tx.changedState();
  });
  result.exitCode = result.failed.length ? 5 : 0;
  return result;
}
