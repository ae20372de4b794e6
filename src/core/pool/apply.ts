/**
 * One number's provider facts applied to the model, exactly as sync's reconcile would apply them, so that a
 * pool or number command and the next sync write the same bytes (zero churn). The equivalence is pinned by
 * test/pool/core.test.ts against reconcile() itself.
 */
import type { Directory, NumberRecord, Provider, WorkspaceNumber, Assignment } from '../model.js';
import type { AgentRef } from '../snapshot.js';
import { UsageError } from '../errors.js';
import { applyCarrierNumber, applyPlatformNumber, carriersOf, dropCarrierFacts, isForgotten, newRecord } from '../reconcile.js';

/** Agent names known from the directory (the platform's names for agents without a folder), for assignmentFromPlatform. */
export function knownAgentNames(dir: Directory): Map<string, string | null> {
  const names = new Map<string, string | null>();
  for (const n of dir.numbers.values()) {
    for (const wn of Object.values(n.workspaces)) {
      const a = wn.assignment;
      if (a?.agent_id && a.agent_name !== null && !names.has(a.agent_id)) names.set(a.agent_id, a.agent_name);
    }
  }
  return names;
}

/** Record of a number, created (as sync would create it) when the directory does not have it yet. */
export function ensureRecord(dir: Directory, phone: string, provider: Provider, type: NumberRecord['phone_number_type'] | null = null): NumberRecord {
  let record = dir.numbers.get(phone);
  if (!record) dir.numbers.set(phone, (record = newRecord(phone, provider, type)));
  return record;
}

export { applyCarrierNumber, applyPlatformNumber };

/** The number's carrier no longer has it (released): as reconcile does for a number missing from its carrier. */
export function forgetAtCarrier(dir: Directory, phone: string): void {
  const record = dir.numbers.get(phone);
  if (!record) return;
  const carriers = carriersOf(dir);
  dropCarrierFacts(record);
  prune(dir, phone, new Set([record.provider]), carriers);
}

/** The workspace no longer has the number (deleted at its voice platform). */
export function removeFromWorkspace(dir: Directory, phone: string, ws: string): void {
  const record = dir.numbers.get(phone);
  if (!record) return;
  delete record.workspaces[ws];
  prune(dir, phone, new Set(), carriersOf(dir));
}

function prune(dir: Directory, phone: string, checked: ReadonlySet<string>, carriers: ReadonlySet<string>): void {
  const record = dir.numbers.get(phone);
  if (record && isForgotten(record, checked, carriers)) dir.numbers.delete(phone);
}

export type PoolAssignmentType = Assignment['assignment_type'];

/** How a platform finds a number: its E.164 and the ids phone-dir recorded for it in that workspace. */
export function numberRefOf(phone: string, workspace: { platform_ids?: Record<string, string> } | undefined): { phone_number: string; platform_ids: Record<string, string> } {
  return { phone_number: phone, platform_ids: { ...(workspace?.platform_ids ?? {}) } };
}

/** The platform ids a directory.json workspace entry carries (its `*_phone_number_id` fields). */
export function platformIdsOfEntry(entry: object | undefined): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry ?? {})) if (key.endsWith('_phone_number_id') && typeof value === 'string') ids[key] = value;
  return ids;
}

/**
 * The assignment type a pool or number command binds: the one asked for, else both sides where the platform
 * binds outbound calls and inbound only where it does not. Asking a platform for a side it lacks is exit 2.
 */
export function bindingType(requested: string | undefined, platform: { label: string; capabilities: { outboundBinding: boolean } }, workspace: string): PoolAssignmentType {
  const type = (requested ?? (platform.capabilities.outboundBinding ? 'inbound-outbound' : 'inbound-only')) as PoolAssignmentType;
  if (!platform.capabilities.outboundBinding && type !== 'inbound-only') {
    throw new UsageError(`--type ${type}: ${platform.label} binds an agent to a number for inbound calls only, so numbers in ${workspace} can only be inbound-only`, 'leave out --type (it defaults to inbound-only there), or use a workspace whose platform binds outbound agents');
  }
  return type;
}

/**
 * The bindings for one agent and an assignment type. Both sides are sent where the platform binds outbound
 * calls too, so a stale binding on the other side is cleared.
 */
export function agentRefsFor(type: PoolAssignmentType, agentId: string, outboundBinding = true): { inbound_agents: AgentRef[]; outbound_agents?: AgentRef[] } {
  const one = [{ agent_id: agentId, weight: 1 }];
  const inbound_agents = type === 'outbound-only' ? [] : one;
  return outboundBinding ? { inbound_agents, outbound_agents: type === 'inbound-only' ? [] : one } : { inbound_agents };
}

/** The assignment binds exactly this agent as the type asks (what assign and its recovery check). */
export function isAssignedAs(wn: WorkspaceNumber | undefined, agentId: string, type: PoolAssignmentType): boolean {
  const a = wn?.assignment;
  if (!a || a.assignment_type !== type) return false;
  const inbound = type === 'outbound-only' ? null : agentId;
  const outbound = type === 'inbound-only' ? null : agentId;
  return a.inbound_agent_id === inbound && a.outbound_agent_id === outbound && !a.inbound_agents?.some((w) => w.agent_id !== agentId) && !a.outbound_agents?.some((w) => w.agent_id !== agentId);
}
