import { ConfigError } from '../../core/errors.js';
import { readEnv } from '../../core/config.js';
import type { Env } from '../entry.js';

export interface TwilioCredentials { accountSid: string; username: string; password: string; baseUrl: string | null; hint: string }

/** A twilio section's credentials: an auth token, or an API key pair; each missing variable is named with where it is written. */
export function resolveTwilioSection(section: Record<string, unknown>, where: string, file: string, env: Env, baseUrlEnv: string): TwilioCredentials {
  const field = (key: string) => (typeof section[key] === 'string' ? (section[key] as string) : undefined);
  const accountSidEnv = field('account_sid_env');
  if (!accountSidEnv) throw new ConfigError(`${file}: ${where}.account_sid_env: missing`);
  const accountSid = readEnv(env, accountSidEnv, file, `${where}.account_sid_env`);
  const baseUrl = env[baseUrlEnv] || field('base_url') || null;
  const keySidEnv = field('api_key_sid_env');
  const keySecretEnv = field('api_key_secret_env');
  if (keySidEnv || keySecretEnv) {
    if (!keySidEnv || !keySecretEnv) throw new ConfigError(`${file}: ${where}: api_key_sid_env and api_key_secret_env go together`);
    const username = readEnv(env, keySidEnv, file, `${where}.api_key_sid_env`);
    const password = readEnv(env, keySecretEnv, file, `${where}.api_key_secret_env`);
    return { accountSid, username, password, baseUrl, hint: `${keySidEnv} / ${keySecretEnv} / the ${where} section of ${file}` };
  }
  const tokenEnv = field('auth_token_env');
  if (!tokenEnv) throw new ConfigError(`${file}: ${where}.auth_token_env: missing (or give api_key_sid_env + api_key_secret_env)`);
  const password = readEnv(env, tokenEnv, file, `${where}.auth_token_env`);
  return { accountSid, username: accountSid, password, baseUrl, hint: `${tokenEnv} / ${accountSidEnv} / the ${where} section of ${file}` };
}
