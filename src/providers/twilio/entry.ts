import type { CarrierEntry } from '../entry.js';
import { resolveTwilioSection, type TwilioCredentials } from './credentials.js';

const BASE_URL_ENV = 'PHONE_DIR_TWILIO_BASE_URL';

/** Twilio: the registry's entry (data and a lazy loader; the twilio SDK loads only when a command calls Twilio). */
export const twilioCarrier: CarrierEntry = {
  name: 'twilio',
  label: 'Twilio',
  capabilities: { trunks: true },
  sidPattern: { pattern: /^PN[0-9a-fA-F]{32}$/, example: 'PN followed by 32 hex digits' },
  configFields: { account_sid_env: 'name', auth_token_env: 'name', api_key_sid_env: 'name', api_key_secret_env: 'name', base_url: 'url' },
  baseUrlEnv: BASE_URL_ENV,
  resolveCredentials: (section, where, file, env) => ({ ...resolveTwilioSection(section, where, file, env, BASE_URL_ENV) }),
  async create(credentials, options) {
    const { createTwilioCompatibleCarrier } = await import('./carrier.js');
    return createTwilioCompatibleCarrier({ name: 'twilio', trunks: true, credentials: credentials as unknown as TwilioCredentials, options });
  },
};
