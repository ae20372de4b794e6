/**
 * `number import`, `number update`, `number delete`: the voice platform and the directory change together (seed 002's
 * integration, seed 001's deletion). Same pattern as the pool: reserve the number under the lock, call the
 * providers without it, record their answer under the lock; if a provider fails, nothing changes locally.
 */
import type { PoolDeps } from './deps.js';
import { settlePending } from './recover.js';
import { passwordFromEnv } from './purchase.js';
import { refuseConfirm, type Confirm } from './confirm.js';
import { requireWorkspace } from '../core/config.js';
import { agentInWorkspace } from '../core/pool/agent-ref.js';
import { reserve as reserveNumber, unreserve as unreserveNumber, findReservation, isMine, type Intended, type OperationKind, type Reservation } from '../core/pool/state.js';
import { applyPlatformNumber, forgetAtCarrier, knownAgentNames, numberRefOf, removeFromWorkspace } from '../core/pool/apply.js';
import { recordPlatform } from '../core/reconcile.js';
import { leavePoolIfOutside, definedPoolWorkspace, isOutsideItsPool } from '../core/pool/membership.js';
import { parseNotes, parseTags, changeTags } from '../core/labels.js';
import { invalidPhoneNumber, isValidE164 } from '../core/phone.js';
import type { Directory, NumberRecord, NumberStatus } from '../core/model.js';
import type { PoolsFile } from '../core/schemas.js';
import type { AgentRef, PlatformNumberSnapshot } from '../core/snapshot.js';
import type { PlatformEntry } from '../providers/entry.js';
import type { PoolUnit } from '../ports/pool-store.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { isoSeconds } from '../core/time.js';
import { redact } from '../core/secrets.js';

const STATUSES: NumberStatus[] = ['active', 'reserved', 'protected'];

function reserve(deps: PoolDeps, unit: PoolUnit, phone: string, workspace: string, kind: OperationKind, intended: Intended): void {
  reserveNumber(unit.state, { phone_number: phone, workspace, kind, owner: deps.owner, now: deps.now(), intended });
}

function unreserve(deps: PoolDeps, unit: PoolUnit, phone: string): void {
  unreserveNumber(unit.state, phone, deps.owner);
}

function busy(deps: PoolDeps, unit: PoolUnit, phone: string): { busy: Reservation } | null {
  const r = findReservation(unit.state, phone);
  return r && !isMine(r, deps.owner) ? { busy: r } : null;
}

async function rollback(deps: PoolDeps, phone: string): Promise<void> {
  await deps.store.unit('rollback', async (unit) => unreserve(deps, unit, phone));
}

/** `--inbound-agent`/`--outbound-agent`: an agent (path or id) as a weighted list of one, or `none` to clear that side. */
function agentList(agents: Awaited<ReturnType<PoolDeps['agents']>>, input: string | undefined, ws: string): AgentRef[] | undefined {
  if (input === undefined) return undefined;
  if (/^(none|-)$/i.test(input.trim())) return [];
  return [{ agent_id: agentInWorkspace(agents, input, ws).id, weight: 1 }];
}

/** An outbound agent where the platform binds inbound calls only is a usage error, before anything is reserved. */
function requireOutboundBinding(platform: PlatformEntry, outbound: AgentRef[] | undefined, ws: string): void {
  if (outbound?.length && !platform.capabilities.outboundBinding) {
    throw new UsageError(`--outbound-agent: ${platform.label} binds an agent to a number for inbound calls only, so ${ws} has no outbound agent to set`, 'use --inbound-agent');
  }
}

/** The carrier holding a number, when the directory knows it (a number phone-dir lists at a carrier). */
function carrierOf(record: NumberRecord | undefined): string | null {
  return record?.carrier ? record.provider : null;
}

// ---------------------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------------------

export interface ImportOptions {
  number: string;
  /** Required unless the platform imports the number through its carrier's API (Vapi and a Twilio number). */
  terminationUri?: string;
  workspace: string;
  username?: string;
  passwordEnv?: string;
  inboundAgent?: string;
  outboundAgent?: string;
  nickname?: string;
  pool?: string;
}

/** The workspace's platform and the agents given for each side, checked (exit 2 for a side the platform cannot bind). */
async function agentSides(options: { workspace: string; inboundAgent?: string; outboundAgent?: string }, deps: PoolDeps) {
  requireWorkspace(await deps.config(), options.workspace);
  const platform = await deps.platformEntry(options.workspace);
  const agents = await deps.agents();
  const inbound = agentList(agents, options.inboundAgent, options.workspace);
  const outbound = agentList(agents, options.outboundAgent, options.workspace);
  requireOutboundBinding(platform, outbound, options.workspace);
  return { platform, agents, inbound, outbound };
}

export async function runNumberImport(options: ImportOptions, deps: PoolDeps): Promise<NumberRecord> {
  const { platform, agents, inbound, outbound } = await agentSides(options, deps);
  const carrier = carrierOf(await deps.readRecord(options.number));
  const throughCarrier = carrier !== null && (platform.capabilities.carrierApiImports ?? []).includes(carrier);
  const terminationUri = options.terminationUri?.trim() ?? '';
  if (!terminationUri && !throughCarrier) {
    throw new UsageError('<termination-uri> is required (e.g. mytrunk.pstn.twilio.com): the SIP address the platform dials for this number', carrier ? undefined : `the directory does not know ${options.number}'s carrier; run phone-dir sync first if it is held at one`);
  }
  const pools = await deps.pools();
  const pool = options.pool !== undefined ? (/^none$/i.test(options.pool) ? null : (await deps.pool(options.workspace, options.pool)).name) : undefined;
  const password = passwordFromEnv(deps, options.passwordEnv);
  await settlePending(deps);

  await deps.store.unitWhenFree('reserve', async (unit) => {
    const b = busy(deps, unit, options.number);
    if (b) return b;
    const file = await unit.directoryFile();
    if (file?.numbers[options.number]?.workspaces[options.workspace]) {
      throw new UsageError(`${options.number} is already imported into ${options.workspace}`, `change it with phone-dir number update ${options.number} --workspace ${options.workspace}`);
    }
    reserve(deps, unit, options.number, options.workspace, 'import', pool !== undefined ? { pool } : {});
    return true;
  }, async () => { await settlePending(deps); });

  let snap: PlatformNumberSnapshot;
  try {
    // Credentials of the number's carrier go to the platform only when it imports through that carrier's API.
    const carrierCredentials = throughCarrier ? (await deps.carrier(carrier!, options.workspace)).apiCredentials() : null;
    const voice = await deps.platform(options.workspace);
    snap = await deps.remote(() => voice.importNumber({
      phone_number: options.number,
      termination_uri: terminationUri,
      carrier_credentials: carrierCredentials,
      ...(options.username ? { sip_auth_username: options.username } : {}),
      ...(password ? { sip_auth_password: password } : {}),
      ...(inbound ? { inbound_agents: inbound } : {}),
      ...(outbound ? { outbound_agents: outbound } : {}),
      ...(options.nickname !== undefined ? { nickname: options.nickname } : {}),
    }));
  } catch (err) {
    await rollback(deps, options.number);
    throw err;
  }
  return deps.store.unit('commit', async (unit) => {
    const dir = await unit.subset([options.number]);
    recordPlatform(dir, options.workspace, platform.name);
    const record = applyPlatformNumber(dir, options.workspace, snap, agents, knownAgentNames(dir), isoSeconds(deps.now()));
    if (pool !== undefined) record.pool = pool;
    leavePoolIfOutside(record, pools);
    unreserve(deps, unit, options.number);
    unit.audit({ operation: 'import', phone_number: options.number, workspace: options.workspace, pool: record.pool, agent_path: record.workspaces[options.workspace]?.assignment?.agent_path ?? null, result: 'imported' });
    return record;
  });
}

// ---------------------------------------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------------------------------------

export interface UpdateOptions {
  number: string;
  workspace: string;
  inboundAgent?: string;
  outboundAgent?: string;
  nickname?: string;
  pool?: string;
  status?: string;
  /** Directory-only: tags to add and to remove, and the notes ("" clears them). */
  tags?: string[];
  untags?: string[];
  notes?: string;
}

export async function runNumberUpdate(options: UpdateOptions, deps: PoolDeps): Promise<NumberRecord> {
  const { platform, agents, inbound, outbound } = await agentSides(options, deps);
  const nickname = options.nickname === undefined ? undefined : options.nickname === '' ? null : options.nickname;
  const pools = await deps.pools();
  const pool = options.pool !== undefined ? (/^none$/i.test(options.pool) ? null : (await deps.pool(options.workspace, options.pool)).name) : undefined;
  if (options.status !== undefined && !STATUSES.includes(options.status as NumberStatus)) throw new UsageError(`--status: "${options.status}" is not one of ${STATUSES.join(', ')}`);
  const status = options.status as NumberStatus | undefined;
  const tags = parseTags(options.tags ?? [], options.untags ?? []);
  const notes = options.notes === undefined ? undefined : parseNotes(options.notes);
  const remote = inbound !== undefined || outbound !== undefined || nickname !== undefined;
  if (!remote && pool === undefined && status === undefined && !tags && notes === undefined) {
    throw new UsageError('nothing to change: give --inbound-agent, --outbound-agent, --nickname, --pool, --status, --tag, --untag or --notes');
  }
  await settlePending(deps);

  const applyLocal = (record: NumberRecord) => {
    if (pool !== undefined) record.pool = pool;
    if (status !== undefined) record.status = status;
    if (tags) record.tags = changeTags(record.tags, tags);
    if (notes !== undefined) record.notes = notes;
    leavePoolIfOutside(record, pools);
  };
  const local = await deps.store.unitWhenFree('reserve', async (unit) => {
    const b = busy(deps, unit, options.number);
    if (b) return b;
    const dir = await unit.subset([options.number]);
    const record = requireUpdatable(dir, options.number, options.workspace, { directoryOnly: !remote && !pool, pools });
    if (!remote) {
      applyLocal(record);
      unit.audit({ operation: 'update', phone_number: options.number, workspace: options.workspace, pool: record.pool, agent_path: record.workspaces[options.workspace]?.assignment?.agent_path ?? null, result: 'updated', detail: { status: record.status } });
      return record;
    }
    // Recovery after a crash replays pool and status only; tags and notes are given again by re-running the command.
    reserve(deps, unit, options.number, options.workspace, 'update', { ...(pool !== undefined ? { pool } : {}), ...(status !== undefined ? { status } : {}) });
    return { ref: numberRefOf(options.number, record.workspaces[options.workspace]) };
  }, async () => { await settlePending(deps); });
  if (!('ref' in local)) return local;

  let snap: PlatformNumberSnapshot;
  try {
    const voice = await deps.platform(options.workspace);
    snap = await deps.remote(() => voice.updateNumber(local.ref, {
      ...(inbound !== undefined ? { inbound_agents: inbound } : {}),
      ...(outbound !== undefined ? { outbound_agents: outbound } : {}),
      ...(nickname !== undefined ? { nickname } : {}),
    }));
  } catch (err) {
    await rollback(deps, options.number);
    const { isNotFound } = await import('../providers/index.js');
    if (isNotFound(err)) throw new NotFoundError(`${options.number} is not in the ${platform.label} workspace ${options.workspace} (the directory is out of date)`, `run phone-dir sync --workspace ${options.workspace}`);
    throw err;
  }
  return deps.store.unit('commit', async (unit) => {
    const dir = await unit.subset([options.number]);
    const record = applyPlatformNumber(dir, options.workspace, snap, agents, knownAgentNames(dir), isoSeconds(deps.now()));
    applyLocal(record);
    unreserve(deps, unit, options.number);
    unit.audit({ operation: 'update', phone_number: options.number, workspace: options.workspace, pool: record.pool, agent_path: record.workspaces[options.workspace]?.assignment?.agent_path ?? null, result: 'updated', detail: { status: record.status } });
    return record;
  });
}

/**
 * The record an update changes: imported into the workspace. A directory-only change (no Retell call, no pool
 * to join) may also name a number the workspace lost while it was still in one of its pools, or one in no
 * workspace at all: that is how `--pool none` repairs a directory validate rejects.
 */
function requireUpdatable(dir: Directory, phone: string, ws: string, options: { directoryOnly: boolean; pools: PoolsFile | null }): NumberRecord {
  const record = dir.numbers.get(phone);
  if (!record) throw new NotFoundError(`number not found: ${phone} is not in the directory`);
  if (record.workspaces[ws]) return record;
  const repairable = Object.keys(record.workspaces).length === 0 || (record.pool !== null && definedPoolWorkspace(options.pools, record.pool) === ws);
  if (options.directoryOnly && repairable) return record;
  throw new NotFoundError(`number not found: ${phone} is not imported into ${ws}`);
}

// ---------------------------------------------------------------------------------------------------------
// delete
// ---------------------------------------------------------------------------------------------------------

export interface DeleteOptions { number: string; workspace: string; release: boolean; yes: boolean; confirm?: Confirm }

export interface AffectedAgent { workspace: string; agent_path: string | null; agent_id: string | null; assignment_type: string }

export interface DeleteResult {
  phone_number: string;
  /** Workspaces it was removed from. */
  workspaces: string[];
  released: boolean;
  /** Still in the directory (only when --release was not given and Twilio or another workspace has it). */
  remains: boolean;
  /** The pool it left: it is no longer in that pool's workspace, or no longer in the directory (null: none). */
  left_pool: string | null;
  affected_agents: AffectedAgent[];
  cancelled?: boolean;
  exitCode: number;
}

function affectedAgents(record: NumberRecord, wss: string[]): AffectedAgent[] {
  const out: AffectedAgent[] = [];
  for (const ws of wss) {
    const a = record.workspaces[ws]?.assignment;
    if (!a) continue;
    const ids = new Map<string, string | null>();
    ids.set(a.agent_id ?? '', a.agent_path);
    for (const w of [...(a.inbound_agents ?? []), ...(a.outbound_agents ?? [])]) ids.set(w.agent_id, w.agent_path);
    for (const [id, path] of ids) out.push({ workspace: ws, agent_path: path, agent_id: id || null, assignment_type: a.assignment_type });
  }
  return out;
}

/** The pool the number would leave once out of these workspaces (null: it stays in its pool, or has none). */
function poolLeftWithout(record: NumberRecord, wss: string[], pools: PoolsFile | null): string | null {
  const workspaces = Object.fromEntries(Object.entries(record.workspaces).filter(([ws]) => !wss.includes(ws)));
  return isOutsideItsPool({ ...record, workspaces }, pools) ? record.pool : null;
}

export function describeAffected(list: AffectedAgent[]): string {
  if (!list.length) return '  (no agent is bound to it)\n';
  return list.map((a) => `  ${a.workspace}: ${a.agent_path ?? '(no folder)'} ${a.agent_id ? `[${a.agent_id}] ` : ''}(${a.assignment_type})\n`).join('');
}

/** The carrier `--release` gives the number back to: the one holding it, else the default carrier. */
async function carrierToRelease(deps: PoolDeps, record: NumberRecord): Promise<{ name: string; label: string }> {
  const { carrierEntry, carrierNames } = await import('../providers/registry.js');
  const { configuredCarriers } = await import('../providers/index.js');
  const name = carrierOf(record) ?? configuredCarriers(await deps.config())[0] ?? carrierNames()[0]!;
  return { name, label: carrierEntry(name)?.label ?? name };
}

export async function runNumberDelete(options: DeleteOptions, deps: PoolDeps): Promise<DeleteResult> {
  requireWorkspace(await deps.config(), options.workspace);
  // Read before any provider call: the commit after them needs it and must not fail on it.
  const pools = await deps.pools();
  await settlePending(deps);

  // Confirm first, without the lock (a prompt must never hold it); the lock phase checks again.
  const preview = await deps.readRecord(options.number);
  if (!preview?.workspaces[options.workspace]) {
    // An invalid number is deleted only when the directory has it (recorded before numbers were checked).
    if (!isValidE164(options.number)) throw invalidPhoneNumber(options.number);
    throw new NotFoundError(`number not found: ${options.number} is not imported into ${options.workspace}`);
  }
  const previewWss = options.release ? Object.keys(preview.workspaces).sort() : [options.workspace];
  const releaseAt = options.release ? await carrierToRelease(deps, preview) : null;
  const carrierLabel = releaseAt?.label ?? 'its carrier';
  const result: DeleteResult = { phone_number: options.number, workspaces: [], released: false, remains: false, left_pool: null, affected_agents: affectedAgents(preview, previewWss), exitCode: 0 };
  if (!options.yes) {
    const leaving = poolLeftWithout(preview, previewWss, pools);
    const ok = await (options.confirm ?? refuseConfirm)({
      summary: `number delete removes ${options.number} from ${previewWss.join(', ')}${options.release ? ` and releases it at ${carrierLabel}` : ''}`,
      hint: 'without a terminal, --yes is required',
      details: `${options.number} will be removed from ${options.release ? `every workspace (${previewWss.join(', ')}) and released at ${carrierLabel} (irreversible)` : `the ${(await deps.platformEntry(options.workspace)).label} workspace ${options.workspace}`}.\n${leaving ? `It leaves pool ${leaving}.\n` : ''}Agents that lose it:\n${describeAffected(result.affected_agents)}`,
      question: options.release ? `Type the number (${options.number}) to release it: ` : 'Delete it? [y/N] ',
      ...(options.release ? { typed: options.number } : {}),
    });
    if (!ok) {
      result.cancelled = true;
      result.exitCode = 1;
      return result;
    }
  }

  const reserved = await deps.store.unitWhenFree('reserve', async (unit) => {
    const b = busy(deps, unit, options.number);
    if (b) return b;
    const dir = await unit.subset([options.number]);
    const record = dir.numbers.get(options.number);
    // A concurrent delete that finished first: gone.
    if (!record?.workspaces[options.workspace]) throw new NotFoundError(`number not found: ${options.number} is not imported into ${options.workspace} (already deleted?)`);
    const wss = options.release ? Object.keys(record.workspaces).sort() : [options.workspace];
    reserve(deps, unit, options.number, options.workspace, 'delete', { workspaces: wss, release_carrier: options.release });
    const refs = new Map(wss.map((ws) => [ws, numberRefOf(options.number, record.workspaces[ws])]));
    return { wss, refs, sid: record.carrier?.phone_number_sid ?? null, affected: affectedAgents(record, wss) };
  }, async () => { await settlePending(deps); });
  result.affected_agents = reserved.affected;

  // Remote steps in order; each one that succeeds is recorded, the first failure stops the rest.
  const removed: string[] = [];
  let primaryMissing = false;
  let released = false;
  let carrierGone = false;
  let failure: unknown = null;
  for (const ws of reserved.wss) {
    try {
      const voice = await deps.platform(ws);
      const r = await deps.remote(() => voice.deleteNumber(reserved.refs.get(ws)!));
      if (r.status === 'not-found' && ws === options.workspace) primaryMissing = true;
      removed.push(ws);
    } catch (err) {
      failure = err;
      break;
    }
  }
  if (!failure && releaseAt) {
    try {
      const carrier = await deps.carrier(releaseAt.name, options.workspace);
      const sid = reserved.sid ?? (await deps.remote(() => carrier.findNumber(options.number)))?.sid ?? null;
      if (sid) await deps.remote(() => carrier.release(sid));
      released = true;
      carrierGone = true;
    } catch (err) {
      failure = err;
    }
  }

  await deps.store.unit('commit', async (unit) => {
    const dir = await unit.subset([options.number]);
    const poolBefore = dir.numbers.get(options.number)?.pool ?? null;
    for (const ws of removed) removeFromWorkspace(dir, options.number, ws);
    if (carrierGone) forgetAtCarrier(dir, options.number);
    const record = dir.numbers.get(options.number);
    result.left_pool = record ? leavePoolIfOutside(record, pools) : poolBefore;
    result.remains = record !== undefined;
    unreserve(deps, unit, options.number);
    if (removed.length || carrierGone) {
      unit.audit({ operation: 'delete', phone_number: options.number, workspace: options.workspace, pool: poolBefore, result: record ? 'removed' : 'deleted', detail: { workspaces: removed.join(','), released_at_carrier: carrierGone, left_pool: result.left_pool } });
    }
  });
  result.workspaces = removed;
  result.released = released;
  if (failure) {
    const done = removed.length ? ` (removed from ${removed.join(', ')} first; recorded)` : ' (nothing changed)';
    if (failure instanceof Error) failure.message = redact(`${failure.message}${done}`);
    throw failure;
  }
  if (primaryMissing) {
    throw new NotFoundError(`number not found: ${options.number} was already gone from the ${(await deps.platformEntry(options.workspace)).label} workspace ${options.workspace} (removed from the directory too)`);
  }
  return result;
}
