import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { redact } from '../../src/core/secrets.js';
import type { CarrierEntry, Env } from '../../src/providers/entry.js';
import { signalwireCarrier } from '../../src/providers/signalwire/entry.js';
import { twilioCarrier } from '../../src/providers/twilio/entry.js';

const FILE = 'workspaces.json';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const resolve = (entry: CarrierEntry, section: Record<string, unknown>, env: Env, where = entry.name) => entry.resolveCredentials(section, where, FILE, env);

describe('twilioCarrier entry', () => {
  const section = { account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN', base_url: 'https://twilio.example.test' };

  it('describes the twilio section', () => {
    expect(twilioCarrier).toMatchObject({ name: 'twilio', label: 'Twilio', capabilities: { trunks: true }, baseUrlEnv: 'PHONE_DIR_TWILIO_BASE_URL' });
    expect(twilioCarrier.configFields).toEqual({ account_sid_env: 'name', auth_token_env: 'name', api_key_sid_env: 'name', api_key_secret_env: 'name', base_url: 'url' });
  });

  it('account SID + auth token, base_url, and a hint naming the variables and the section', () => {
    expect(resolve(twilioCarrier, section, { TWILIO_ACCOUNT_SID: 'AC0123456789', TWILIO_AUTH_TOKEN: 'token_abcdef' })).toEqual({
      accountSid: 'AC0123456789', username: 'AC0123456789', password: 'token_abcdef', baseUrl: 'https://twilio.example.test',
      hint: 'TWILIO_AUTH_TOKEN / TWILIO_ACCOUNT_SID / the twilio section of workspaces.json',
    });
  });

  it('PHONE_DIR_TWILIO_BASE_URL wins over base_url', () => {
    const env = { TWILIO_ACCOUNT_SID: 'AC0123456789', TWILIO_AUTH_TOKEN: 'token_abcdef', PHONE_DIR_TWILIO_BASE_URL: 'http://127.0.0.1:4010/twilio' };
    expect(resolve(twilioCarrier, section, env).baseUrl).toBe('http://127.0.0.1:4010/twilio');
    expect(resolve(twilioCarrier, { account_sid_env: 'S', auth_token_env: 'T' }, { S: 'AC0123456789', T: 'token_abcdef' }).baseUrl).toBeNull();
  });

  it('a missing token names the variable, the file and the field, never the values it read, and registers every value', () => {
    const sid = 'AC_secret_account_sid_0001';
    const e = configError(() => resolve(twilioCarrier, section, { TWILIO_ACCOUNT_SID: sid }, 'staging.twilio'));
    expect(e.message).toBe('environment variable TWILIO_AUTH_TOKEN (workspaces.json: staging.twilio.auth_token_env) is not set');
    expect(e.hint).toMatch(/export TWILIO_AUTH_TOKEN=/);
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain(sid);
    expect(redact(`sid ${sid}`)).toBe('sid ***');
  });

  it('API key form, and half a pair is an error', () => {
    const keyed = { account_sid_env: 'S', api_key_sid_env: 'K', api_key_secret_env: 'P' };
    const env = { S: 'AC0123456789', K: 'SK0123456789', P: 'secret_abcdef_0003' };
    expect(resolve(twilioCarrier, keyed, env)).toEqual({ accountSid: 'AC0123456789', username: 'SK0123456789', password: 'secret_abcdef_0003', baseUrl: null, hint: 'K / P / the twilio section of workspaces.json' });
    expect(redact('secret_abcdef_0003')).toBe('***');
    expect(configError(() => resolve(twilioCarrier, { account_sid_env: 'S', api_key_sid_env: 'K' }, env)).message).toMatch(/api_key_sid_env and api_key_secret_env go together/);
    expect(configError(() => resolve(twilioCarrier, { account_sid_env: 'S' }, env)).message).toBe('workspaces.json: twilio.auth_token_env: missing (or give api_key_sid_env + api_key_secret_env)');
    expect(configError(() => resolve(twilioCarrier, { auth_token_env: 'T' }, env)).message).toBe('workspaces.json: twilio.account_sid_env: missing');
  });
});

describe('signalwireCarrier entry', () => {
  const section = { space_url: 'acme.signalwire.com', project_id_env: 'SIGNALWIRE_PROJECT_ID', api_token_env: 'SIGNALWIRE_API_TOKEN' };
  const env = { SIGNALWIRE_PROJECT_ID: '6b1c3a2e-0d4f-4e5a-9b8c-7d6e5f4a3b2c', SIGNALWIRE_API_TOKEN: 'PT0123456789abcdef0004' };

  it('describes the signalwire section', () => {
    expect(signalwireCarrier).toMatchObject({ name: 'signalwire', label: 'SignalWire', capabilities: { trunks: false }, baseUrlEnv: 'PHONE_DIR_SIGNALWIRE_BASE_URL' });
    expect(signalwireCarrier.configFields).toEqual({ space_url: 'string', project_id_env: 'name', api_token_env: 'name', base_url: 'url' });
    expect(signalwireCarrier.requiredFields).toEqual(['space_url', 'project_id_env', 'api_token_env']);
  });

  it('requests go to https://<space_url>/api/laml with the project id as account and user', () => {
    expect(resolve(signalwireCarrier, section, env)).toEqual({
      accountSid: env.SIGNALWIRE_PROJECT_ID, username: env.SIGNALWIRE_PROJECT_ID, password: env.SIGNALWIRE_API_TOKEN,
      baseUrl: 'https://acme.signalwire.com/api/laml',
      hint: 'SIGNALWIRE_API_TOKEN / SIGNALWIRE_PROJECT_ID / the signalwire section of workspaces.json',
    });
    expect(redact(`x ${env.SIGNALWIRE_API_TOKEN}`)).toBe('x ***');
  });

  it('base_url replaces https://<space_url>; PHONE_DIR_SIGNALWIRE_BASE_URL replaces both', () => {
    expect(resolve(signalwireCarrier, { ...section, base_url: 'http://127.0.0.1:4010/signalwire/' }, env).baseUrl).toBe('http://127.0.0.1:4010/signalwire/api/laml');
    expect(resolve(signalwireCarrier, { ...section, base_url: 'http://a.test' }, { ...env, PHONE_DIR_SIGNALWIRE_BASE_URL: 'http://b.test/sw' }).baseUrl).toBe('http://b.test/sw/api/laml');
  });

  it.each([['space_url'], ['project_id_env'], ['api_token_env']])('without %s: names the field', (field) => {
    const { [field]: _gone, ...rest } = section as Record<string, string>;
    expect(configError(() => resolve(signalwireCarrier, rest, env)).message).toBe(`workspaces.json: signalwire.${field}: missing`);
  });

  it('a missing token names SIGNALWIRE_API_TOKEN and the field, never the project id', () => {
    const e = configError(() => resolve(signalwireCarrier, section, { SIGNALWIRE_PROJECT_ID: env.SIGNALWIRE_PROJECT_ID }));
    expect(e.message).toBe('environment variable SIGNALWIRE_API_TOKEN (workspaces.json: signalwire.api_token_env) is not set');
    expect(e.message).not.toContain(env.SIGNALWIRE_PROJECT_ID);
  });
});
