/**
 * `number import`, `number update`, `number delete`: the voice platform and the directory change together (seed 002's
 * integration, seed 001's deletion). Same pattern as the pool: reserve the number under the lock, call the
 * providers without it, record their answer under the lock; if a provider fails, nothing changes locally.
 */
import type { PoolDeps as Session } from './deps.js';
import { settlePending } from './recover.js';
import { passwordFromEnv } from './purchase.js';
import { refuseConfirm, type Confirm } from './confirm.js';
import { requireWorkspace } from '../core/config.js';
import { agentInWorkspace } from '../core/pool/agent-ref.js';
import { expiresAt, findReservation, isMine, RESERVATION_TTL_MS, type Intended, type OperationKind, type Reservation } from '../core/pool/state.js';
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

function reserve(s: Session, tx: PoolUnit, phone: string, workspace: string, kind: OperationKind, intended: Intended): void {
  const now = s.now();
  const r: Reservation = { phone_number: phone, workspace, kind, owner: s.owner, created: now.toISOString(), expires: expiresAt(now, RESERVATION_TTL_MS), intended };
  tx.state.reservations.push(r);
}

function unreserve(s: Session, tx: PoolUnit, phone: string): void {
  tx.state.reservations = tx.state.reservations.filter((x) => !(x.phone_number === phone && isMine(x, s.owner)));
}

function busy(s: Session, tx: PoolUnit, phone: string): { busy: Reservation } | null {
  const r = findReservation(tx.state, phone);
  return r && !isMine(r, s.owner) ? { busy: r } : null;
}

async function rollback(s: Session, phone: string): Promise<void> {
  await s.store.unit('rollback', async (tx) => unreserve(s, tx, phone));
}

/** `--inbound-agent`/`--outbound-agent`: an agent (path or id) as a weighted list of one, or `none` to clear that side. */
function agentList(agents: Awaited<ReturnType<Session['agents']>>, input: string | undefined, ws: string): AgentRef[] | undefined {
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

export async function runNumberImport(s: Session, o: ImportOptions): Promise<NumberRecord> {
  requireWorkspace(await s.config(), o.workspace);
  const platform = await s.platformEntry(o.workspace);
  const agents = await s.agents();
  const inbound = agentList(agents, o.inboundAgent, o.workspace);
  const outbound = agentList(agents, o.outboundAgent, o.workspace);
  requireOutboundBinding(platform, outbound, o.workspace);
  const carrier = carrierOf(await s.readRecord(o.number));
  const throughCarrier = carrier !== null && (platform.capabilities.carrierApiImports ?? []).includes(carrier);
  const terminationUri = o.terminationUri?.trim() ?? '';
  if (!terminationUri && !throughCarrier) {
    throw new UsageError('<termination-uri> is required (e.g. mytrunk.pstn.twilio.com): the SIP address the platform dials for this number', carrier ? undefined : `the directory does not know ${o.number}'s carrier; run phone-dir sync first if it is held at one`);
  }
  const pools = await s.pools();
  const pool = o.pool !== undefined ? (/^none$/i.test(o.pool) ? null : (await s.pool(o.workspace, o.pool)).name) : undefined;
  const password = passwordFromEnv(s, o.passwordEnv);
  await settlePending(s);

  await s.store.unitWhenFree('reserve', async (tx) => {
    const b = busy(s, tx, o.number);
    if (b) return b;
    const file = await tx.directoryFile();
    if (file?.numbers[o.number]?.workspaces[o.workspace]) {
      throw new UsageError(`${o.number} is already imported into ${o.workspace}`, `change it with phone-dir number update ${o.number} --workspace ${o.workspace}`);
    }
    reserve(s, tx, o.number, o.workspace, 'import', pool !== undefined ? { pool } : {});
    return true;
  }, async () => { await settlePending(s); });

  let snap: PlatformNumberSnapshot;
  try {
    // Credentials of the number's carrier go to the platform only when it imports through that carrier's API.
    const carrierCredentials = throughCarrier ? (await s.carrier(carrier!, o.workspace)).apiCredentials() : null;
    const voice = await s.platform(o.workspace);
    snap = await s.remote(() => voice.importNumber({
      phone_number: o.number,
      termination_uri: terminationUri,
      carrier_credentials: carrierCredentials,
      ...(o.username ? { sip_auth_username: o.username } : {}),
      ...(password ? { sip_auth_password: password } : {}),
      ...(inbound ? { inbound_agents: inbound } : {}),
      ...(outbound ? { outbound_agents: outbound } : {}),
      ...(o.nickname !== undefined ? { nickname: o.nickname } : {}),
    }));
  } catch (err) {
    await rollback(s, o.number);
    throw err;
  }
  return s.store.unit('commit', async (tx) => {
    const dir = await tx.subset([o.number]);
    recordPlatform(dir, o.workspace, platform.name);
    const record = applyPlatformNumber(dir, o.workspace, snap, agents, knownAgentNames(dir), isoSeconds(s.now()));
    if (pool !== undefined) record.pool = pool;
    leavePoolIfOutside(record, pools);
    unreserve(s, tx, o.number);
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

export async function runNumberUpdate(s: Session, o: UpdateOptions): Promise<NumberRecord> {
  requireWorkspace(await s.config(), o.workspace);
  const platform = await s.platformEntry(o.workspace);
  const agents = await s.agents();
  const inbound = agentList(agents, o.inboundAgent, o.workspace);
  const outbound = agentList(agents, o.outboundAgent, o.workspace);
  requireOutboundBinding(platform, outbound, o.workspace);
  const nickname = o.nickname === undefined ? undefined : o.nickname === '' ? null : o.nickname;
  const pools = await s.pools();
  const pool = o.pool !== undefined ? (/^none$/i.test(o.pool) ? null : (await s.pool(o.workspace, o.pool)).name) : undefined;
  if (o.status !== undefined && !STATUSES.includes(o.status as NumberStatus)) throw new UsageError(`--status: "${o.status}" is not one of ${STATUSES.join(', ')}`);
  const status = o.status as NumberStatus | undefined;
  const tags = parseTags(o.tags ?? [], o.untags ?? []);
  const notes = o.notes === undefined ? undefined : parseNotes(o.notes);
  const remote = inbound !== undefined || outbound !== undefined || nickname !== undefined;
  if (!remote && pool === undefined && status === undefined && !tags && notes === undefined) {
    throw new UsageError('nothing to change: give --inbound-agent, --outbound-agent, --nickname, --pool, --status, --tag, --untag or --notes');
  }
  await settlePending(s);

  const applyLocal = (record: NumberRecord) => {
    if (pool !== undefined) record.pool = pool;
    if (status !== undefined) record.status = status;
    if (tags) record.tags = changeTags(record.tags, tags);
    if (notes !== undefined) record.notes = notes;
    leavePoolIfOutside(record, pools);
  };
  const local = await s.store.unitWhenFree('reserve', async (tx) => {
    const b = busy(s, tx, o.number);
    if (b) return b;
    const dir = await tx.subset([o.number]);
    const record = requireUpdatable(dir, o.number, o.workspace, { directoryOnly: !remote && !pool, pools });
    if (!remote) {
      applyLocal(record);
      return record;
    }
    // Recovery after a crash replays pool and status only; tags and notes are given again by re-running the command.
    reserve(s, tx, o.number, o.workspace, 'update', { ...(pool !== undefined ? { pool } : {}), ...(status !== undefined ? { status } : {}) });
    return { ref: numberRefOf(o.number, record.workspaces[o.workspace]) };
  }, async () => { await settlePending(s); });
  if (!('ref' in local)) return local;

  let snap: PlatformNumberSnapshot;
  try {
    const voice = await s.platform(o.workspace);
    snap = await s.remote(() => voice.updateNumber(local.ref, {
      ...(inbound !== undefined ? { inbound_agents: inbound } : {}),
      ...(outbound !== undefined ? { outbound_agents: outbound } : {}),
      ...(nickname !== undefined ? { nickname } : {}),
    }));
  } catch (err) {
    await rollback(s, o.number);
    const { isNotFound } = await import('../providers/index.js');
    if (isNotFound(err)) throw new NotFoundError(`${o.number} is not in the ${platform.label} workspace ${o.workspace} (the directory is out of date)`, `run phone-dir sync --workspace ${o.workspace}`);
    throw err;
  }
  return s.store.unit('commit', async (tx) => {
    const dir = await tx.subset([o.number]);
    const record = applyPlatformNumber(dir, o.workspace, snap, agents, knownAgentNames(dir), isoSeconds(s.now()));
    applyLocal(record);
    unreserve(s, tx, o.number);
    return record;
  });
}

/**
 * The record an update changes: imported into the workspace. A directory-only change (no Retell call, no pool
 * to join) may also name a number the workspace lost while it was still in one of its pools, or one in no
 * workspace at all: that is how `--pool none` repairs a directory validate rejects.
 */
function requireUpdatable(dir: Directory, phone: string, ws: string, o: { directoryOnly: boolean; pools: PoolsFile | null }): NumberRecord {
  const record = dir.numbers.get(phone);
  if (!record) throw new NotFoundError(`number not found: ${phone} is not in the directory`);
  if (record.workspaces[ws]) return record;
  const repairable = Object.keys(record.workspaces).length === 0 || (record.pool !== null && definedPoolWorkspace(o.pools, record.pool) === ws);
  if (o.directoryOnly && repairable) return record;
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
async function carrierToRelease(s: Session, record: NumberRecord): Promise<{ name: string; label: string }> {
  const { carrierEntry, carrierNames } = await import('../providers/registry.js');
  const { configuredCarriers } = await import('../providers/index.js');
  const name = carrierOf(record) ?? configuredCarriers(await s.config())[0] ?? carrierNames()[0]!;
  return { name, label: carrierEntry(name)?.label ?? name };
}

export async function runNumberDelete(s: Session, o: DeleteOptions): Promise<DeleteResult> {
  requireWorkspace(await s.config(), o.workspace);
  // Read before any provider call: the commit after them needs it and must not fail on it.
  const pools = await s.pools();
  await settlePending(s);

  // Confirm first, without the lock (a prompt must never hold it); the lock phase checks again.
  const preview = await s.readRecord(o.number);
  if (!preview?.workspaces[o.workspace]) {
    // An invalid number is deleted only when the directory has it (recorded before numbers were checked).
    if (!isValidE164(o.number)) throw invalidPhoneNumber(o.number);
    throw new NotFoundError(`number not found: ${o.number} is not imported into ${o.workspace}`);
  }
  const previewWss = o.release ? Object.keys(preview.workspaces).sort() : [o.workspace];
  const releaseAt = o.release ? await carrierToRelease(s, preview) : null;
  const carrierLabel = releaseAt?.label ?? 'its carrier';
  const result: DeleteResult = { phone_number: o.number, workspaces: [], released: false, remains: false, left_pool: null, affected_agents: affectedAgents(preview, previewWss), exitCode: 0 };
  if (!o.yes) {
    const leaving = poolLeftWithout(preview, previewWss, pools);
    const ok = await (o.confirm ?? refuseConfirm)({
      summary: `number delete removes ${o.number} from ${previewWss.join(', ')}${o.release ? ` and releases it at ${carrierLabel}` : ''}`,
      hint: 'without a terminal, --yes is required',
      details: `${o.number} will be removed from ${o.release ? `every workspace (${previewWss.join(', ')}) and released at ${carrierLabel} (irreversible)` : `the ${(await s.platformEntry(o.workspace)).label} workspace ${o.workspace}`}.\n${leaving ? `It leaves pool ${leaving}.\n` : ''}Agents that lose it:\n${describeAffected(result.affected_agents)}`,
      question: o.release ? `Type the number (${o.number}) to release it: ` : 'Delete it? [y/N] ',
      ...(o.release ? { typed: o.number } : {}),
    });
    if (!ok) {
      result.cancelled = true;
      result.exitCode = 1;
      return result;
    }
  }

  const reserved = await s.store.unitWhenFree('reserve', async (tx) => {
    const b = busy(s, tx, o.number);
    if (b) return b;
    const dir = await tx.subset([o.number]);
    const record = dir.numbers.get(o.number);
    // A concurrent delete that finished first: gone.
    if (!record?.workspaces[o.workspace]) throw new NotFoundError(`number not found: ${o.number} is not imported into ${o.workspace} (already deleted?)`);
    const wss = o.release ? Object.keys(record.workspaces).sort() : [o.workspace];
    reserve(s, tx, o.number, o.workspace, 'delete', { workspaces: wss, release_carrier: o.release });
    const refs = new Map(wss.map((ws) => [ws, numberRefOf(o.number, record.workspaces[ws])]));
    return { wss, refs, sid: record.carrier?.phone_number_sid ?? null, affected: affectedAgents(record, wss) };
  }, async () => { await settlePending(s); });
  result.affected_agents = reserved.affected;

  // Remote steps in order; each one that succeeds is recorded, the first failure stops the rest.
  const removed: string[] = [];
  let primaryMissing = false;
  let released = false;
  let carrierGone = false;
  let failure: unknown = null;
  for (const ws of reserved.wss) {
    try {
      const voice = await s.platform(ws);
      const r = await s.remote(() => voice.deleteNumber(reserved.refs.get(ws)!));
      if (r.status === 'not-found' && ws === o.workspace) primaryMissing = true;
      removed.push(ws);
    } catch (err) {
      failure = err;
      break;
    }
  }
  if (!failure && releaseAt) {
    try {
      const carrier = await s.carrier(releaseAt.name, o.workspace);
      const sid = reserved.sid ?? (await s.remote(() => carrier.findNumber(o.number)))?.sid ?? null;
      if (sid) await s.remote(() => carrier.release(sid));
      released = true;
      carrierGone = true;
    } catch (err) {
      failure = err;
    }
  }

  await s.store.unit('commit', async (tx) => {
    const dir = await tx.subset([o.number]);
    const poolBefore = dir.numbers.get(o.number)?.pool ?? null;
    for (const ws of removed) removeFromWorkspace(dir, o.number, ws);
    if (carrierGone) forgetAtCarrier(dir, o.number);
    const record = dir.numbers.get(o.number);
    result.left_pool = record ? leavePoolIfOutside(record, pools) : poolBefore;
    result.remains = record !== undefined;
    unreserve(s, tx, o.number);
    
  });
  result.workspaces = removed;
  result.released = released;
  if (failure) {
    const done = removed.length ? ` (removed from ${removed.join(', ')} first; recorded)` : ' (nothing changed)';
    if (failure instanceof Error) failure.message = redact(`${failure.message}${done}`);
    throw failure;
  }
  if (primaryMissing) {
    throw new NotFoundError(`number not found: ${o.number} was already gone from the ${(await s.platformEntry(o.workspace)).label} workspace ${o.workspace} (removed from the directory too)`);
  }
  return result;
}
