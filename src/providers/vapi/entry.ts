import type { PlatformCapabilities } from '../../ports/voice-platform.js';
import type { PlatformEntry } from '../entry.js';

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

/** Registry entry: data plus a lazy loader, so importing it loads neither the adapter nor the SDK. */
export const vapiPlatform: PlatformEntry = {
  name: 'vapi',
  label: 'Vapi',
  capabilities: VAPI_CAPABILITIES,
  baseUrlEnv: 'PHONE_DIR_VAPI_BASE_URL',
  numberProviders: ['vapi', 'vonage', 'telnyx'],
  async create(workspace, credentials, options) {
    const { createVapiPlatform } = await import('./platform.js');
    return createVapiPlatform(workspace, credentials, options);
  },
};
