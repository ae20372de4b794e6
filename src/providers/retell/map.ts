import type { AgentRef, PlatformAgentSnapshot, PlatformNumberSnapshot } from '../../core/snapshot.js';
import { toIso } from '../../core/time.js';

/*
 * Pure mapping from Retell's wire JSON to phone-dir's snapshot types. retell-sdk 5.66.1 types lack the
 * deprecated single-agent fields (inbound_agent_id / outbound_agent_id, removed from the SDK in 5.13.0),
 * but the SDK passes any JSON through at runtime and older workspaces may still answer with them, so
 * the wire types here are a superset of PhoneNumberResponse.
 */

export interface AgentWeightWire {
  agent_id: string;
  weight?: number | null;
  agent_version?: number | string | null;
}

export interface RetellNumberWire {
  phone_number: string;
  phone_number_type?: string | null;
  nickname?: string | null;
  inbound_agents?: AgentWeightWire[] | null;
  outbound_agents?: AgentWeightWire[] | null;
  /** Deprecated single-id shape. */
  inbound_agent_id?: string | null;
  outbound_agent_id?: string | null;
  inbound_webhook_url?: string | null;
  sip_outbound_trunk_config?: { termination_uri?: string | null; auth_username?: string | null; transport?: string | null } | null;
  last_modification_timestamp?: number | null;
}

export interface RetellAgentWire {
  agent_id: string;
  agent_name?: string | null;
  channel?: string | null;
}

/** Numbers Retell bought itself; anything else (`custom`, or a type added later) is a SIP import. */
export const RETELL_NUMBER_PROVIDERS = ['retell-twilio', 'retell-telnyx'] as const;
const BOUGHT = new Set<string>(RETELL_NUMBER_PROVIDERS);

function emptyToNull(v: string | null | undefined): string | null {
  return v === null || v === undefined || v.trim() === '' ? null : v;
}

/** The weighted list when it has entries, else the deprecated single id as one agent of weight 1, else []. */
export function mapAgentRefs(list: AgentWeightWire[] | null | undefined, legacyId: string | null | undefined): AgentRef[] {
  const refs = (list ?? []).filter((a) => a && typeof a.agent_id === 'string' && a.agent_id !== '');
  if (refs.length) {
    return refs.map((a) => ({ agent_id: a.agent_id, weight: typeof a.weight === 'number' && Number.isFinite(a.weight) ? a.weight : 1 / refs.length }));
  }
  const id = emptyToNull(legacyId);
  return id ? [{ agent_id: id, weight: 1 }] : [];
}

export function mapRetellNumber(w: RetellNumberWire): PlatformNumberSnapshot {
  const type = w.phone_number_type ?? 'custom';
  const sip = w.sip_outbound_trunk_config ?? null;
  const bought = BOUGHT.has(type);
  return {
    phone_number: w.phone_number,
    platform_ids: {},
    // Imported (SIP trunk) numbers are `custom`; an unknown future type is treated as one too.
    provider: bought ? type : 'custom',
    provider_is_platform: bought,
    import_method: bought ? 'direct-purchase' : 'sip-trunk',
    nickname: emptyToNull(w.nickname),
    inbound_agents: mapAgentRefs(w.inbound_agents, w.inbound_agent_id),
    outbound_agents: mapAgentRefs(w.outbound_agents, w.outbound_agent_id),
    termination_uri: emptyToNull(sip?.termination_uri),
    auth_username: emptyToNull(sip?.auth_username),
    inbound_webhook_url: emptyToNull(w.inbound_webhook_url),
    last_modified: typeof w.last_modification_timestamp === 'number' ? toIso(w.last_modification_timestamp) : null,
  };
}

/** Voice agents only (a missing channel predates chat agents, so it is voice). */
export function isVoiceAgent(w: RetellAgentWire): boolean {
  return (w.channel ?? 'voice') === 'voice';
}

export function mapRetellAgent(w: RetellAgentWire): PlatformAgentSnapshot {
  return { agent_id: w.agent_id, agent_name: w.agent_name ?? null };
}
