import { VAPI_CAPABILITIES } from './capabilities.js';
import type { PlatformEntry } from '../entry.js';

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
