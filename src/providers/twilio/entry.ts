import { ConfigError } from '../../core/errors.js';
import type { CarrierEntry, Env, ResolvedCarrierCredentials } from '../entry.js';
import type { TwilioCompatibleCredentials } from './carrier.js';
import { readEnvSecret, requiredField, sectionField } from './env.js';

const BASE_URL_ENV = 'PHONE_DIR_TWILIO_BASE_URL';

/** Account SID with an auth token, or with an API key pair (SK… and its secret). */
function resolveTwilioCredentials(section: Record<string, unknown>, where: string, file: string, env: Env): TwilioCompatibleCredentials {
  const accountSidEnv = requiredField(section, 'account_sid_env', where, file);
  const accountSid = readEnvSecret(env, accountSidEnv, file, `${where}.account_sid_env`);
  const baseUrl = env[BASE_URL_ENV] || sectionField(section, 'base_url') || null;
  const keyEnv = sectionField(section, 'api_key_sid_env');
  const secretEnv = sectionField(section, 'api_key_secret_env');
  const place = `the ${where} section of ${file}`;
  if (keyEnv || secretEnv) {
    if (!keyEnv || !secretEnv) throw new ConfigError(`${file}: ${where}: api_key_sid_env and api_key_secret_env go together`);
    const username = readEnvSecret(env, keyEnv, file, `${where}.api_key_sid_env`);
    const password = readEnvSecret(env, secretEnv, file, `${where}.api_key_secret_env`);
    return { accountSid, username, password, baseUrl, hint: `${keyEnv} / ${secretEnv} / ${place}` };
  }
  const tokenEnv = sectionField(section, 'auth_token_env');
  if (!tokenEnv) throw new ConfigError(`${file}: ${where}.auth_token_env: missing (or give api_key_sid_env + api_key_secret_env)`);
  const password = readEnvSecret(env, tokenEnv, file, `${where}.auth_token_env`);
  return { accountSid, username: accountSid, password, baseUrl, hint: `${tokenEnv} / ${accountSidEnv} / ${place}` };
}

export const twilioCarrier: CarrierEntry = {
  name: 'twilio',
  label: 'Twilio',
  capabilities: { trunks: true },
  sidPattern: { pattern: /^PN[0-9a-fA-F]{32}$/, example: 'PN followed by 32 hex digits' },
  configFields: { account_sid_env: 'name', auth_token_env: 'name', api_key_sid_env: 'name', api_key_secret_env: 'name', base_url: 'url' },
  requiredFields: ['account_sid_env'],
  baseUrlEnv: BASE_URL_ENV,
  resolveCredentials: resolveTwilioCredentials,
  async create(credentials: ResolvedCarrierCredentials, options) {
    const { createTwilioCompatibleCarrier } = await import('./carrier.js');
    return createTwilioCompatibleCarrier({ name: 'twilio', label: 'Twilio', trunks: true, credentials: credentials as unknown as TwilioCompatibleCredentials, options });
  },
};
