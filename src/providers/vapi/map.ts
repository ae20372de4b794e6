import type { ImportMethod } from '../../core/model.js';
import type { PlatformAgentSnapshot, PlatformNumberSnapshot } from '../../core/snapshot.js';
import { toIso } from '../../core/time.js';

/*
 * Pure mapping from Vapi's wire JSON (GET /phone-number, /assistant, /credential) to phone-dir's
 * snapshot types. The wire types name only the fields read here; Twilio tokens and API secrets that a
 * Twilio-provider number may carry are never read.
 */

export interface VapiNumberWire {
  id: string;
  provider: string;
  number?: string | null;
  name?: string | null;
  assistantId?: string | null;
  credentialId?: string | null;
  server?: { url?: string | null } | null;
  sipUri?: string | null;
  createdAt: string;
  updatedAt?: string | null;
}

export interface VapiAssistantWire { id: string; name?: string | null; createdAt: string }

export interface VapiCredentialWire {
  id: string;
  provider: string;
  createdAt: string;
  gateways?: { ip: string; port?: number }[] | null;
  outboundAuthenticationPlan?: { authUsername?: string | null } | null;
}

export const SIP_TRUNK_CREDENTIAL = 'byo-sip-trunk';
const E164 = /^\+[1-9]\d{6,14}$/;

interface Origin { provider: string; provider_is_platform: boolean; import_method: ImportMethod }

/**
 * Who holds a number of each Vapi provider type. Vapi imports Twilio numbers through Twilio's API (the
 * Twilio account phone-dir lists knows them better); Vonage and Telnyx numbers come with Vapi's own carrier
 * credentials (phone-dir lists no such account, so Vapi's word stands); `vapi` numbers Vapi gave out itself;
 * `byo-phone-number` is a SIP import from any carrier.
 */
const ORIGINS: Record<string, Origin> = {
  twilio: { provider: 'twilio', provider_is_platform: false, import_method: 'carrier-api' },
  vonage: { provider: 'vonage', provider_is_platform: true, import_method: 'carrier-api' },
  telnyx: { provider: 'telnyx', provider_is_platform: true, import_method: 'carrier-api' },
  vapi: { provider: 'vapi', provider_is_platform: true, import_method: 'direct-purchase' },
  'byo-phone-number': { provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk' },
};

const emptyToNull = (v: string | null | undefined): string | null => (v === null || v === undefined || v.trim() === '' ? null : v);

export function hasE164(w: VapiNumberWire): w is VapiNumberWire & { number: string } {
  return typeof w.number === 'string' && E164.test(w.number);
}

/** The SIP host a byo-sip-trunk credential sends calls to: its first gateway. */
export function gatewayOf(c: VapiCredentialWire | null | undefined): string | null {
  return emptyToNull(c?.gateways?.[0]?.ip);
}

/** null for an entry phone-dir cannot key by E.164 (a SIP-URI-only Vapi number, a byo number without E.164 check). */
/** The field numbers.json records a Vapi number's id in (spec/config.md). */
export const VAPI_ID_FIELD = 'vapi_phone_number_id';

export function mapVapiNumber(w: VapiNumberWire, credential?: VapiCredentialWire | null): PlatformNumberSnapshot | null {
  if (!hasE164(w)) return null;
  // A provider type newer than this adapter: Vapi's word on it stands.
  const origin = ORIGINS[w.provider] ?? { provider: w.provider, provider_is_platform: true, import_method: 'direct-purchase' };
  const sip = w.provider === 'byo-phone-number' && credential?.provider === SIP_TRUNK_CREDENTIAL ? credential : null;
  const assistant = emptyToNull(w.assistantId);
  return {
    phone_number: w.number,
    platform_ids: { [VAPI_ID_FIELD]: w.id },
    ...origin,
    nickname: emptyToNull(w.name),
    inbound_agents: assistant ? [{ agent_id: assistant, weight: 1 }] : [],
    outbound_agents: [],
    termination_uri: gatewayOf(sip),
    auth_username: emptyToNull(sip?.outboundAuthenticationPlan?.authUsername),
    inbound_webhook_url: emptyToNull(w.server?.url),
    last_modified: toIso(w.updatedAt ?? null),
  };
}

export function mapVapiAssistant(w: VapiAssistantWire): PlatformAgentSnapshot {
  return { agent_id: w.id, agent_name: emptyToNull(w.name) };
}
