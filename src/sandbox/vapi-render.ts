import type { VapiAssistant, VapiCredential, VapiNumber, VapiOrg } from './vapi-state.js';

/*
 * Vapi's response shapes (the SDK's TwilioPhoneNumber, ByoPhoneNumber…, Assistant, ByoSipTrunkCredential).
 * Absent values are left out rather than sent as null, as the SDK types (optional, never nullable) say.
 * Twilio auth tokens, API secrets and SIP passwords are never rendered.
 */

const iso = (ms: number) => new Date(ms).toISOString();

export function renderVapiNumber(org: VapiOrg, n: VapiNumber) {
  return {
    id: n.id,
    orgId: org.orgId,
    provider: n.provider,
    createdAt: iso(n.createdAt),
    updatedAt: iso(n.updatedAt),
    status: 'active',
    ...(n.name !== null ? { name: n.name } : {}),
    ...(n.assistantId !== null ? { assistantId: n.assistantId } : {}),
    ...(n.serverUrl !== null ? { server: { url: n.serverUrl } } : {}),
    ...(n.number !== null ? { number: n.number } : {}),
    ...(n.provider === 'twilio' ? { twilioAccountSid: n.twilioAccountSid ?? '' } : {}),
    ...(n.provider === 'byo-phone-number' ? { numberE164CheckEnabled: true } : {}),
    ...(n.credentialId !== null && n.provider !== 'twilio' && n.provider !== 'vapi' ? { credentialId: n.credentialId } : {}),
    ...(n.sipUri !== null ? { sipUri: n.sipUri } : {}),
  };
}

export function renderVapiAssistant(org: VapiOrg, a: VapiAssistant) {
  return {
    id: a.id,
    orgId: org.orgId,
    name: a.name,
    firstMessage: `Hello, you have reached the ${a.name}.`,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

/** Other credential kinds (vonage, telnyx) are listed by id, provider and name only: the sandbox holds none of their secrets. */
export function renderVapiCredential(org: VapiOrg, c: VapiCredential) {
  const base = { id: c.id, orgId: org.orgId, provider: c.provider, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt), ...(c.name !== null ? { name: c.name } : {}) };
  if (c.provider !== 'byo-sip-trunk') return base;
  return {
    ...base,
    gateways: c.gateways.map((g) => ({ ...g })),
    ...(c.authUsername !== null ? { outboundAuthenticationPlan: { authUsername: c.authUsername } } : {}),
  };
}
