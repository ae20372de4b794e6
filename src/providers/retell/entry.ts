import type { PlatformEntry } from '../entry.js';
import type { PlatformCapabilities } from '../../ports/voice-platform.js';
import { RETELL_NUMBER_PROVIDERS } from './map.js';

export const RETELL_CAPABILITIES: PlatformCapabilities = {
  outboundBinding: true,
  weightedAgents: true,
  numberAddress: 'e164',
  agentIdPattern: /^agent_[A-Za-z0-9_]+$/,
};

/** Retell: the registry's entry (data and a lazy loader; retell-sdk loads only when a workspace is used). */
export const retellPlatform: PlatformEntry = {
  name: 'retell',
  label: 'Retell',
  capabilities: RETELL_CAPABILITIES,
  baseUrlEnv: 'PHONE_DIR_RETELL_BASE_URL',
  numberProviders: RETELL_NUMBER_PROVIDERS,
  async create(workspace, credentials, options) {
    const { createRetellPlatform } = await import('./platform.js');
    return createRetellPlatform(workspace, { apiKey: credentials.apiKey, baseUrl: credentials.baseUrl }, { ...options, credentialHint: credentials.hint });
  },
};
