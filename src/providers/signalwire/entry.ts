import type { TwilioCompatibleCredentials } from '../twilio/carrier.js';
import { readEnvSecret, requiredField, sectionField } from '../twilio/env.js';
import type { CarrierEntry, Env, ResolvedCarrierCredentials } from '../entry.js';

/*
 * SignalWire's Compatibility (LaML) API is Twilio's 2010 API under https://<space>/api/laml, with the
 * project id as account SID and Basic auth <project id>:<api token>. It is served by the twilio client
 * (measured: it loads faster than @signalwire/compatibility-api, itself a fork of an older twilio-node,
 * and it is already a dependency); SignalWire has no Elastic SIP Trunking API, so no trunk request is made.
 */

const BASE_URL_ENV = 'PHONE_DIR_SIGNALWIRE_BASE_URL';
/** Where the 2010 API lives on a space (and on anything base_url names instead of https://<space_url>). */
export const LAML_PATH = '/api/laml';

/** `https://<space_url>/api/laml`, or `<base_url>/api/laml` (PHONE_DIR_SIGNALWIRE_BASE_URL first). */
export function signalwireApiBase(spaceUrl: string, baseUrl: string | null): string {
  const origin = baseUrl ?? `https://${spaceUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '')}`;
  return `${origin.replace(/\/+$/, '')}${LAML_PATH}`;
}

function resolveSignalwireCredentials(section: Record<string, unknown>, where: string, file: string, env: Env): TwilioCompatibleCredentials {
  const spaceUrl = requiredField(section, 'space_url', where, file);
  const projectEnv = requiredField(section, 'project_id_env', where, file);
  const tokenEnv = requiredField(section, 'api_token_env', where, file);
  const projectId = readEnvSecret(env, projectEnv, file, `${where}.project_id_env`);
  const token = readEnvSecret(env, tokenEnv, file, `${where}.api_token_env`);
  const baseUrl = env[BASE_URL_ENV] || sectionField(section, 'base_url') || null;
  return {
    accountSid: projectId,
    username: projectId,
    password: token,
    baseUrl: signalwireApiBase(spaceUrl, baseUrl),
    hint: `${tokenEnv} / ${projectEnv} / the ${where} section of ${file}`,
  };
}

export const signalwireCarrier: CarrierEntry = {
  name: 'signalwire',
  label: 'SignalWire',
  capabilities: { trunks: false },
  sidPattern: { pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, example: 'a UUID' },
  configFields: { space_url: 'string', project_id_env: 'name', api_token_env: 'name', base_url: 'url' },
  requiredFields: ['space_url', 'project_id_env', 'api_token_env'],
  baseUrlEnv: BASE_URL_ENV,
  resolveCredentials: resolveSignalwireCredentials,
  async create(credentials: ResolvedCarrierCredentials, options) {
    const { createTwilioCompatibleCarrier } = await import('../twilio/carrier.js');
    return createTwilioCompatibleCarrier({
      name: 'signalwire', label: 'SignalWire', trunks: false, credentials: credentials as unknown as TwilioCompatibleCredentials, options,
    });
  },
};
