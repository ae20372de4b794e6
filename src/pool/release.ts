/**
 * `pool release`: unassign at the workspace's voice platform (empty agent lists) and return the numbers to their pool
 * (`last_released` set, assignment and hold removed). One number, every number of an agent, every expired
 * hold (cron), or every number bound to an agent whose folder is gone.
 */
import type { PoolDeps } from './deps.js';
import type { PoolUnit } from '../ports/pool-store.js';
import { settlePending } from './recover.js';
import { refuseConfirm, type Confirm } from './confirm.js';
import { requireWorkspace } from '../core/config.js';
import { agentNotFound, resolveAgent } from '../core/agents.js';
import { agentPathsOf, sortedNumbers, type Assignment, type Directory, type NumberRecord, type WeightedAgent } from '../core/model.js';
import { reserve, unreserve, isMine, isStale, RESERVATION_TTL_MS, type Reservation } from '../core/pool/state.js';
import { applyPlatformNumber, knownAgentNames, numberRefOf, removeFromWorkspace } from '../core/pool/apply.js';
import type { AgentRef, PlatformNumberSnapshot } from '../core/snapshot.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { mapLimit } from '../core/concurrency.js';
import { isoSeconds } from '../core/time.js';
import { redact } from '../core/secrets.js';

export interface ReleaseOptions {
  /** Asked before a release of many numbers (--agent, --orphans), unless `yes`. */
  confirm?: Confirm;
  number?: string;
  workspace?: string;
  agent?: string;
  expired: boolean;
  orphans: boolean;
  dryRun: boolean;
  /** Consent for --agent and --orphans (asked at a terminal otherwise). */
  yes: boolean;
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
  /** --dry-run: what would be released (nothing was). */
  dry_run?: boolean;
  would_release?: ReleasedNumber[];
  /** Answered no at the prompt: nothing released (exit 1). */
  cancelled?: boolean;
  exitCode: number;
}

interface Target {
  phone: string;
  workspace: string;
  agent_path: string | null;
  release_at: string | null;
  pool: string | null;
  /** The ids the workspace's platform addresses the number by, if it records any. */
  ids: Record<string, string>;
  inbound: AgentRef[];
  outbound: AgentRef[];
  partial: boolean;
}

/** Release the whole number, or (`drop`) only the agents it names, keeping the others with their weights renormalised. */
function target(n: NumberRecord, ws: string, drop?: (agentPath: string | null) => boolean): Target {
  const a = n.workspaces[ws]!.assignment!;
  const base = { phone: n.phone_number, workspace: ws, release_at: a.release_at, pool: n.pool, ids: numberRefOf(n.phone_number, n.workspaces[ws]).platform_ids };
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

function remaining(list: WeightedAgent[], drop: (agentPath: string | null) => boolean): AgentRef[] {
  const kept = list.filter((w) => !drop(w.agent_path));
  const total = kept.reduce((n, w) => n + w.weight, 0);
  const refs = kept.map((w) => ({ agent_id: w.agent_id, weight: Math.round((w.weight / total) * 10_000) / 10_000 }));
  if (refs.length) refs[refs.length - 1]!.weight = Math.round((1 - refs.slice(0, -1).reduce((n, w) => n + w.weight, 0)) * 10_000) / 10_000;
  return refs;
}

/** One number a release would unassign (the dry run, and the list a bulk release asks about). */
export function releaseLine(n: ReleasedNumber): string {
  return `${n.phone_number}  ${n.workspace}  from ${n.agent_path ?? '?'}${n.partial ? '  (other agents stay)' : n.pool ? `  → pool ${n.pool}` : '  (not in a pool: left unassigned)'}`;
}

type Picked = { targets: Target[]; skipped: ReleaseResult['skipped']; alreadyUnassigned: string[] } | { busy: Reservation };

const targetKey = (t: { phone: string; workspace: string }) => `${t.phone}\u0000${t.workspace}`;

function released(t: Target): ReleasedNumber {
  return { workspace: t.workspace, phone_number: t.phone, agent_path: t.agent_path, pool: t.pool, release_at: t.release_at, partial: t.partial };
}

function describeMode(options: ReleaseOptions, agentPath: string | undefined): string {
  return options.orphans ? 'pool release --orphans' : `pool release --agent ${agentPath}${options.workspace ? ` --workspace ${options.workspace}` : ''}`;
}

/** What a release would do now, from a lock-free read of the directory and the runtime state. */
async function previewRelease(deps: PoolDeps, pick: (dir: Directory, reservedBy: ReadonlyMap<string, Reservation>, now: Date) => Picked): Promise<Picked> {
  const [dir, state] = await Promise.all([deps.readDirectory(), deps.store.peekState()]);
  return pick(dir, new Map(state.reservations.map((r) => [r.phone_number, r])), deps.now());
}

/** Lists the numbers and asks at a terminal; without one (and without --yes) exit 2. */
async function consent(deps: PoolDeps, confirm: Confirm, command: string, targets: Target[]): Promise<boolean> {
  const count = `${targets.length} number${targets.length === 1 ? '' : 's'}`;
  // Platforms are named from the registry only: no SDK is loaded before the person has agreed.
  const labels = new Set<string>();
  for (const ws of new Set(targets.map((t) => t.workspace))) labels.add((await deps.platformEntry(ws)).label);
  const where = [...labels].sort().join(' and ');
  return confirm({
    summary: `${command} unassigns ${count} in ${where}`,
    hint: 'run it with --dry-run to see which; without a terminal, --yes is required',
    details: `${command} will unassign ${count} in ${where}:\n${targets.map((t) => `  ${releaseLine(released(t))}\n`).join('')}`,
    question: 'Release them? [y/N] ',
  });
}

export async function runRelease(options: ReleaseOptions, deps: PoolDeps): Promise<ReleaseResult> {
  const modes = [options.number !== undefined, options.agent !== undefined, options.expired, options.orphans].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('give exactly one of: <number>, --agent <a>, --expired, --orphans');
  const config = await deps.config();
  if (options.workspace) requireWorkspace(config, options.workspace);
  const agents = await deps.agents();
  const agentPath = options.agent ? resolveAgent(agents, options.agent, options.workspace) : undefined;
  await settlePending(deps);
  const result: ReleaseResult = { released: [], skipped: [], failed: [], already_unassigned: [], exitCode: 0 };
  // Exit 4 like every command asked about an agent it cannot find (a removed folder with numbers left is still found).
  const requireAgentFound = (): void => {
    if (agentPath && !agents.agents.has(agentPath)) {
      throw agentNotFound(agents, agentPath);
    }
  };

  const hits = (a: { release_at?: string | null } & Parameters<typeof agentPathsOf>[0], now: Date): boolean =>
    options.expired
      ? a.release_at !== null && a.release_at !== undefined && Date.parse(a.release_at) <= now.getTime()
      : options.orphans
        ? agentPathsOf(a).some((p) => !agents.agents.has(p))
        : agentPathsOf(a).includes(agentPath!);

  /** What this run would release in `dir` (the preview's lock-free model, or the lock phase's subset). */
  const pick = (dir: Directory, reservedBy: ReadonlyMap<string, Reservation>, now: Date): Picked => {
    const picked = { targets: [] as Target[], skipped: [] as ReleaseResult['skipped'], alreadyUnassigned: [] as string[] };
    if (options.number) {
      const record = dir.numbers.get(options.number);
      if (!record) throw new NotFoundError(`number not found: ${options.number} is not in the directory`);
      const wss = options.workspace ? [options.workspace] : Object.keys(record.workspaces).filter((ws) => record.workspaces[ws]!.assignment).sort();
      if (options.workspace && !record.workspaces[options.workspace]) throw new NotFoundError(`number not found: ${options.number} is not imported into ${options.workspace}`);
      if (wss.length > 1) throw new UsageError(`${options.number} is assigned in several workspaces (${wss.join(', ')}): choose one with --workspace`);
      const blocker = reservedBy.get(options.number);
      if (blocker && !isMine(blocker, deps.owner)) return { busy: blocker };
      const ws = wss[0];
      if (!ws || !record.workspaces[ws]!.assignment) picked.alreadyUnassigned.push(options.number);
      else picked.targets.push(target(record, ws));
      return picked;
    }
    for (const n of sortedNumbers(dir)) {
      for (const ws of Object.keys(n.workspaces).sort()) {
        if (options.workspace && ws !== options.workspace) continue;
        const a = n.workspaces[ws]!.assignment;
        if (!a) continue;
        if (!hits(a, now)) continue;
        const blocker = reservedBy.get(n.phone_number);
        if (blocker) {
          picked.skipped.push({ workspace: ws, phone_number: n.phone_number, reason: `in use by "${blocker.owner.command}" (pid ${blocker.owner.pid})${isStale(blocker, now, deps.ownerAlive) ? ', interrupted' : ''}` });
          continue;
        }
        picked.targets.push(target(n, ws, options.expired ? undefined : options.orphans ? (p) => p !== null && !agents.agents.has(p) : (p) => p === agentPath));
      }
    }
    return picked;
  };

  // --dry-run shows, and --agent/--orphans (many numbers at once) ask first: from a lock-free read (a
  // prompt never holds the lock); the lock phase then releases only what was shown and is still due.
  let confirmed: Set<string> | undefined;
  if (options.dryRun || ((options.agent !== undefined || options.orphans) && !options.yes)) {
    const preview = await previewRelease(deps, pick);
    if ('busy' in preview) {
      result.skipped.push({ workspace: preview.busy.workspace, phone_number: preview.busy.phone_number, reason: `in use by "${preview.busy.owner.command}" (pid ${preview.busy.owner.pid})` });
      if (options.dryRun) result.dry_run = true;
      return result;
    }
    if (options.dryRun) return { ...result, skipped: preview.skipped, already_unassigned: preview.alreadyUnassigned, dry_run: true, would_release: preview.targets.map(released) };
    if (preview.targets.length === 0 && preview.skipped.length === 0) requireAgentFound();
    if (preview.targets.length === 0) return { ...result, skipped: preview.skipped };
    if (!(await consent(deps, options.confirm ?? refuseConfirm, describeMode(options, agentPath), preview.targets))) return { ...result, cancelled: true, exitCode: 1 };
    confirmed = new Set(preview.targets.map(targetKey));
  }

  const select = async (unit: PoolUnit): Promise<Target[] | { busy: Reservation }> => {
    const now = deps.now();
    // Only the numbers concerned are loaded as records: found in assignments.json of each workspace.
    let phones: string[];
    if (options.number) {
      phones = [options.number];
    } else {
      const found = new Set<string>();
      for (const ws of options.workspace ? [options.workspace] : await unit.workspaceNames()) {
        for (const a of (await unit.workspaceAssignments(ws)) ?? []) if (hits(a as Assignment, now)) found.add(a.phone_number);
      }
      phones = [...found];
      if (phones.length === 0) requireAgentFound();
    }
    const dir = await unit.subset(phones);
    if (options.number) {
      const record = dir.numbers.get(options.number);
      for (const ws of options.workspace ? [options.workspace] : Object.keys(record?.workspaces ?? {}).sort()) await unit.requireViewsAgree(options.number, ws);
    }
    const picked = pick(dir, new Map(unit.state.reservations.map((r) => [r.phone_number, r])), now);
    if ('busy' in picked) return picked;
    result.skipped.push(...picked.skipped);
    result.already_unassigned.push(...picked.alreadyUnassigned);
    const targets = confirmed ? picked.targets.filter((t) => confirmed.has(targetKey(t))) : picked.targets;
    for (const t of targets) await unit.requireViewsAgree(t.phone, t.workspace);
    // One reservation per number, naming every workspace it is released in (what a settling command asks Retell about).
    const byPhone = new Map<string, string[]>();
    for (const t of targets) byPhone.set(t.phone, [...(byPhone.get(t.phone) ?? []), t.workspace]);
    for (const [phone, wss] of byPhone) {
      reserve(unit.state, { phone_number: phone, workspace: wss[0]!, kind: 'release', owner: deps.owner, now, intended: { workspaces: wss }, ttlMs: RESERVATION_TTL_MS + targets.length * 5_000 });
    }

    return targets;
  };
  const targets = options.number ? await deps.store.unitWhenFree('reserve', select, async () => { await settlePending(deps); }) : await deps.store.unit('reserve', async (unit) => select(unit) as Promise<Target[]>);
  if (targets.length === 0) return result;

  const { isNotFound } = await import('../providers/index.js');
  type Answer = { t: Target; snap: PlatformNumberSnapshot | null } | { t: Target; error: string };
  const answers = await mapLimit(targets, 4, async (t): Promise<Answer> => {
    try {
      const voice = await deps.platform(t.workspace);
      const sides = voice.capabilities.outboundBinding ? { inbound_agents: t.inbound, outbound_agents: t.outbound } : { inbound_agents: t.inbound };
      return { t, snap: await deps.remote(() => voice.updateNumber({ phone_number: t.phone, platform_ids: t.ids }, sides)) };
    } catch (err) {
      if (isNotFound(err)) return { t, snap: null }; // gone from the workspace: recorded as such
      return { t, error: redact(err instanceof Error ? err.message : String(err)) };
    }
  });

  await deps.store.unit('commit', async (unit) => {
    const dir = await unit.subset(answers.map((a) => a.t.phone));
    const names = knownAgentNames(dir);
    const stamp = isoSeconds(deps.now());
    for (const a of answers) {
      unreserve(unit.state, a.t.phone, deps.owner);
      const operation = options.expired ? 'expire' as const : 'release' as const;
      if ('error' in a) {
        result.failed.push({ workspace: a.t.workspace, phone_number: a.t.phone, message: a.error });
        unit.audit({ operation, phone_number: a.t.phone, agent_path: a.t.agent_path, workspace: a.t.workspace, pool: a.t.pool, result: 'failed' });
        continue;
      }
      if (a.snap) applyPlatformNumber(dir, a.t.workspace, a.snap, agents, names, stamp);
      else removeFromWorkspace(dir, a.t.phone, a.t.workspace);
      const record = dir.numbers.get(a.t.phone);
      // A pool number leaves its assignment behind with last_released set (applyRetellNumber does it for pool numbers).
      if (record && record.pool && !record.workspaces[a.t.workspace]?.assignment) record.last_released ??= stamp;
      result.released.push(released(a.t));
      unit.audit({ operation, phone_number: a.t.phone, agent_path: a.t.agent_path, workspace: a.t.workspace, pool: a.t.pool, result: a.t.partial ? 'agent-removed' : 'released' });
    }
  });
  result.exitCode = result.failed.length ? 5 : 0;
  return result;
}
