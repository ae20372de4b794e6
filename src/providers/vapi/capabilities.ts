import type { PlatformCapabilities } from '../../ports/voice-platform.js';

/** Vapi ids (assistants, numbers, credentials) are UUIDs. */
export const VAPI_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const VAPI_CAPABILITIES: PlatformCapabilities = {
  outboundBinding: false,
  weightedAgents: false,
  numberAddress: 'id',
  agentIdPattern: VAPI_ID,
  // A Twilio number is imported with the account's own credentials (Vapi's `twilio` provider); others over SIP.
  carrierApiImports: ['twilio'],
};
