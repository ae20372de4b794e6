/**
 * One number's provider facts applied to the model, exactly as sync's reconcile would apply them, so that a
 * pool or number command and the next sync write the same bytes (zero churn). The equivalence is pinned by
 * test/pool/core.test.ts against reconcile() itself.
 */
import type { Directory, NumberRecord, Provider, WorkspaceNumber, Assignment } from '../model.js';
import type { RetellAgentRef } from '../snapshot.js';
import { applyRetellNumber, applyTwilioNumber, isForgotten, newRecord } from '../reconcile.js';

/** Agent names known from the directory (Retell's names for agents without a folder), for assignmentFromRetell. */
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

export { applyRetellNumber, applyTwilioNumber };

/** Twilio no longer has the number (released): as reconcile does for a number missing from Twilio. */
export function forgetTwilio(dir: Directory, phone: string): void {
  const record = dir.numbers.get(phone);
  if (!record) return;
  record.twilio = null;
  record.sip_config = null;
  prune(dir, phone, true);
}

/** The workspace no longer has the number (deleted in Retell). */
export function removeFromWorkspace(dir: Directory, phone: string, ws: string): void {
  const record = dir.numbers.get(phone);
  if (!record) return;
  delete record.workspaces[ws];
  prune(dir, phone, false);
}

function prune(dir: Directory, phone: string, twilioChecked: boolean): void {
  const record = dir.numbers.get(phone);
  if (record && isForgotten(record, twilioChecked)) dir.numbers.delete(phone);
}

export type PoolAssignmentType = Assignment['assignment_type'];

/** Retell's weighted lists for one agent and an assignment type. Both lists are always sent, so a stale binding on the other side is cleared. */
export function agentRefsFor(type: PoolAssignmentType, agentId: string): { inbound_agents: RetellAgentRef[]; outbound_agents: RetellAgentRef[] } {
  const one = [{ agent_id: agentId, weight: 1 }];
  return {
    inbound_agents: type === 'outbound-only' ? [] : one,
    outbound_agents: type === 'inbound-only' ? [] : one,
  };
}

/** The assignment binds exactly this agent as the type asks (what assign and its recovery check). */
export function isAssignedAs(wn: WorkspaceNumber | undefined, agentId: string, type: PoolAssignmentType): boolean {
  const a = wn?.assignment;
  if (!a || a.assignment_type !== type) return false;
  const inbound = type === 'outbound-only' ? null : agentId;
  const outbound = type === 'inbound-only' ? null : agentId;
  return a.inbound_agent_id === inbound && a.outbound_agent_id === outbound && !a.inbound_agents?.some((w) => w.agent_id !== agentId) && !a.outbound_agents?.some((w) => w.agent_id !== agentId);
}
