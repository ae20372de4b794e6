import type { PlatformEntry } from '../entry.js';
import { RETELL_CAPABILITIES } from './capabilities.js';
import { RETELL_NUMBER_PROVIDERS } from './map.js';

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
