import { describe, it, expect } from 'vitest';
import { parseConfig as parseWith, requireWorkspace, resolveWorkspaceKey, type Config } from '../../src/core/config.js';
import { configCatalog } from '../../src/providers/registry.js';
import { resolveCarrierCredentials } from '../../src/providers/index.js';

type Env = Record<string, string | undefined>;
const parseConfig = (file: string, json: unknown) => parseWith(file, json, configCatalog());
/** A Retell workspace's key and base URL, as the registry's Retell entry resolves them. */
const resolveRetellCredentials = (c: Config, ws: string, env: Env) => {
  const { apiKey, baseUrl } = resolveWorkspaceKey(c, ws, env, 'PHONE_DIR_RETELL_BASE_URL');
  return { apiKey, baseUrl };
};
/** The twilio section that applies to a workspace, resolved by the Twilio carrier's entry (hint left out). */
const resolveTwilioCredentials = (c: Config, ws: string | null, env: Env) => {
  const { hint: _hint, ...credentials } = resolveCarrierCredentials(c, 'twilio', ws, env);
  return credentials;
};
import { ConfigError } from '../../src/core/errors.js';
import { redact } from '../../src/core/secrets.js';

const FILE = 'workspaces.json';

/** The ConfigError fn throws (fails the test if it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const SINGLE = {
  staging: { api_key_env: 'RETELL_STAGING_API_KEY', name: 'Staging', base_url: 'https://retell.example.test' },
  production: { api_key_env: 'RETELL_PRODUCTION_API_KEY', name: 'Production' },
  twilio: { account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN', base_url: 'https://twilio.example.test' },
};

describe('parseConfig', () => {
  it('reads the single-entry form: every key but twilio, mode and $schema is a workspace', () => {
    const c = parseConfig(FILE, { ...SINGLE, mode: 'single-production', $schema: './x.json' });
    expect([...c.workspaces.keys()].sort()).toEqual(['production', 'staging']);
    expect(c.mode).toBe('single-production');
    expect(c.workspaces.get('staging')).toMatchObject({ name: 'staging', displayName: 'Staging', apiKeyEnv: 'RETELL_STAGING_API_KEY', literalApiKey: false, baseUrl: 'https://retell.example.test', platform: null });
    expect(c.workspaces.get('staging')!.carriers.size).toBe(0);
    expect(c.carriers.get('twilio')).toMatchObject({ account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN' });
    expect(c.warnings).toEqual([]);
  });

  it('a signalwire carrier section (spec/config.md) is no workspace: what validate accepts, sync reads', () => {
    const signalwire = { space_url: 'example.signalwire.com', project_id_env: 'SIGNALWIRE_PROJECT_ID', api_token_env: 'SIGNALWIRE_API_TOKEN' };
    const c = parseConfig(FILE, { ...SINGLE, signalwire });
    expect([...c.workspaces.keys()].sort()).toEqual(['production', 'staging']);
  });

  it('reads the multi-production form: production is an array of entries named by their id', () => {
    const c = parseConfig(FILE, {
      staging: { api_key_env: 'RETELL_STAGING_API_KEY' },
      production: [
        { id: 'prod-us', api_key_env: 'RETELL_PROD_US_KEY', name: 'Production US' },
        { id: 'prod-eu', api_key_env: 'RETELL_PROD_EU_KEY', name: 'Production EU' },
      ],
    });
    expect([...c.workspaces.keys()].sort()).toEqual(['prod-eu', 'prod-us', 'staging']);
    expect(c.workspaces.has('production')).toBe(false);
    expect(c.workspaces.get('prod-eu')).toMatchObject({ displayName: 'Production EU', apiKeyEnv: 'RETELL_PROD_EU_KEY' });
  });

  it('an array entry without an id names the entry and the file', () => {
    const e = configError(() => parseConfig(FILE, { production: [{ id: 'prod-us', api_key_env: 'A' }, { api_key_env: 'B' }] }));
    expect(e.message).toContain(FILE);
    expect(e.message).toContain('production.1.id');
  });

  it.each([['../outside'], ['a/b'], ['.hidden'], ['twilio'], ['']])('rejects %j as a workspace name (it becomes a folder)', (name) => {
    const e = configError(() => parseConfig(FILE, { staging: { api_key_env: 'A' }, production: [{ id: 'prod', api_key_env: 'B' }, { id: name, api_key_env: 'C' }] }));
    expect(e.message).toContain(FILE);
  });

  it.each([
    ['constructor'], ['toString'], ['hasOwnProperty'], ['valueOf'], ['isPrototypeOf'], ['__proto__'],
    ['directory.json'], ['pools.json'], ['Directory.JSON'], ['TWILIO'], ['.lock'], ['.txn'], ['.txn-seq.tmp'], ['staging.tmp'],
    ['-dash'], ['_under'], ['a b'], ['a'.repeat(65)], ['a'.repeat(300)],
  ])('refuses the hostile workspace name %j, naming the key in the file', (name) => {
    const single = configError(() => parseConfig(FILE, { [name]: { api_key_env: 'A' } }));
    expect(single.message).toMatch(new RegExp(`^${FILE}: .+ cannot name a workspace: `));
    expect(single.message.length).toBeLessThan(200);
    const inArray = configError(() => parseConfig(FILE, { production: [{ id: 'prod', api_key_env: 'B' }, { id: name, api_key_env: 'C' }] }));
    expect(inArray.message).toContain(`${FILE}: production.1.id: `);
  });

  it.each([['prod-us'], ['ws_prod_1'], ['Staging.EU'], ['a'.repeat(64)]])('accepts the workspace name %j', (name) => {
    expect([...parseConfig(FILE, { [name]: { api_key_env: 'A' } }).workspaces.keys()]).toEqual([name]);
  });

  it.each([[{ single: true }], [['multi-production']], [42], [null]])('mode of an unexpected shape (%j) is an error naming mode', (mode) => {
    expect(configError(() => parseConfig(FILE, { ...SINGLE, mode })).message).toContain(`${FILE}: mode: expected "single-production" or "multi-production"`);
  });

  it('an unknown mode, or multi-production without an array, is a warning', () => {
    expect(parseConfig(FILE, { ...SINGLE, mode: 'dev' }).warnings).toEqual([expect.stringContaining('mode: "dev" is not one the Retell CLIs know')]);
    expect(parseConfig(FILE, { ...SINGLE, mode: 'multi-production' }).warnings).toEqual([expect.stringContaining('"production" is not an array')]);
    expect(parseConfig(FILE, { mode: 'multi-production', production: [{ id: 'prod-us', api_key_env: 'A' }] }).warnings).toEqual([]);
  });

  it('a base_url with credentials is never echoed with them', () => {
    const e = configError(() => parseConfig(FILE, { staging: { api_key_env: 'A', base_url: 'http://user:PASSW0RD@' } }));
    expect(e.message).toContain('staging.base_url');
    expect(e.message).not.toContain('PASSW0RD');
    expect(redact('GET https://user:PASSW0RD@api.example.test/v2 and postgres://pd:PASSW0RD@db:5432/x failed')).toBe('GET https://***@api.example.test/v2 and postgres://***@db:5432/x failed');
    expect(redact('sip:user@example.pstn.twilio.com https://example.test/a@b')).toBe('sip:user@example.pstn.twilio.com https://example.test/a@b');
  });

  it('a workspace defined twice is an error', () => {
    const e = configError(() => parseConfig(FILE, { staging: { api_key_env: 'A' }, production: [{ id: 'staging', api_key_env: 'B' }] }));
    expect(e.message).toContain('"staging"');
  });

  it('a literal api_key is allowed with a warning that does not contain the key', () => {
    const secret = 'key_literal_0123456789abcdef';
    const c = parseConfig(FILE, { staging: { api_key: secret } });
    expect(c.workspaces.get('staging')).toMatchObject({ apiKeyEnv: null, literalApiKey: true });
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/staging\.api_key/);
    expect(c.warnings[0]).toMatch(/Git/);
    expect(c.warnings[0]).not.toContain(secret);
    // The config itself, printed, never shows the key; output is redacted.
    expect(JSON.stringify([...c.workspaces.values()])).not.toContain(secret);
    expect(redact(`oops ${secret}`)).not.toContain(secret);
    expect(resolveRetellCredentials(c, 'staging', {}).apiKey).toBe(secret);
  });

  it('a literal api_key beside api_key_env still warns (the file holds a secret), and the variable wins', () => {
    const secret = 'key_literal_beside_env_0123';
    const c = parseConfig(FILE, { staging: { api_key_env: 'RETELL_STAGING_API_KEY', api_key: secret } });
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).not.toContain(secret);
    expect(resolveRetellCredentials(c, 'staging', { RETELL_STAGING_API_KEY: 'key_from_env_abcdef' }).apiKey).toBe('key_from_env_abcdef');
  });

  it('a workspace without api_key_env or api_key names the key and the file', () => {
    const e = configError(() => parseConfig(FILE, { staging: { name: 'Staging' } }));
    expect(e.message).toContain(FILE);
    expect(e.message).toContain('staging.api_key_env');
  });

  it.each([
    ['not an object', []],
    ['a workspace that is not an object', { staging: 'RETELL_STAGING_API_KEY' }],
    ['a bad base_url', { staging: { api_key_env: 'A', base_url: 'not a url' } }],
    ['a bad twilio section', { staging: { api_key_env: 'A' }, twilio: { account_sid_env: 42 } }],
  ])('rejects %s, naming the file', (_what, json) => {
    expect(configError(() => parseConfig(FILE, json)).message).toContain(FILE);
  });

  it('requireWorkspace: an unknown workspace lists the known ones', () => {
    const e = configError(() => requireWorkspace(parseConfig(FILE, SINGLE), 'qa'));
    expect(e.message).toMatch(/"qa"/);
    expect(e.message).toContain('production, staging');
  });
});

describe('credentials', () => {
  it('Retell: the key comes from the named variable', () => {
    const c = parseConfig(FILE, SINGLE);
    expect(resolveRetellCredentials(c, 'production', { RETELL_PRODUCTION_API_KEY: 'key_prod_abcdef' })).toEqual({ apiKey: 'key_prod_abcdef', baseUrl: null });
    expect(resolveRetellCredentials(c, 'staging', { RETELL_STAGING_API_KEY: 'key_stg_abcdef' }).baseUrl).toBe('https://retell.example.test');
  });

  it.each([['unset', {}], ['empty', { RETELL_STAGING_API_KEY: '' }]])('Retell: a missing variable (%s) names the variable, the file and the fix', (_what, env) => {
    const e = configError(() => resolveRetellCredentials(parseConfig(FILE, SINGLE), 'staging', env));
    expect(e.message).toContain('RETELL_STAGING_API_KEY');
    expect(e.message).toContain(FILE);
    expect(e.hint).toMatch(/RETELL_STAGING_API_KEY/);
  });

  it('Twilio: account SID + auth token', () => {
    const c = parseConfig(FILE, SINGLE);
    expect(resolveTwilioCredentials(c, 'staging', { TWILIO_ACCOUNT_SID: 'AC0123456789', TWILIO_AUTH_TOKEN: 'token_abcdef' })).toEqual({
      accountSid: 'AC0123456789', username: 'AC0123456789', password: 'token_abcdef', baseUrl: 'https://twilio.example.test',
    });
  });

  it('Twilio: a missing token names the variable and the file and never prints the values it did read', () => {
    const sid = 'AC_secret_account_sid_0001';
    const e = configError(() => resolveTwilioCredentials(parseConfig(FILE, SINGLE), null, { TWILIO_ACCOUNT_SID: sid }));
    expect(e.message).toContain('TWILIO_AUTH_TOKEN');
    expect(e.message).toContain(FILE);
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain(sid);
  });

  it('Twilio: API key form (account_sid_env + api_key_sid_env + api_key_secret_env)', () => {
    const c = parseConfig(FILE, {
      staging: { api_key_env: 'A' },
      twilio: { account_sid_env: 'TWILIO_ACCOUNT_SID', api_key_sid_env: 'TWILIO_API_KEY_SID', api_key_secret_env: 'TWILIO_API_KEY_SECRET' },
    });
    const env = { TWILIO_ACCOUNT_SID: 'AC0123456789', TWILIO_API_KEY_SID: 'SK0123456789', TWILIO_API_KEY_SECRET: 'secret_abcdef' };
    expect(resolveTwilioCredentials(c, 'staging', env)).toEqual({ accountSid: 'AC0123456789', username: 'SK0123456789', password: 'secret_abcdef', baseUrl: null });
    const secret = 'secret_never_printed_0002';
    const e = configError(() => resolveTwilioCredentials(c, 'staging', { ...env, TWILIO_API_KEY_SECRET: secret, TWILIO_API_KEY_SID: '' }));
    expect(e.message).toContain('TWILIO_API_KEY_SID');
    expect(e.message).not.toContain(secret);
  });

  it('Twilio: half an API key pair is an error', () => {
    const c = parseConfig(FILE, { staging: { api_key_env: 'A' }, twilio: { account_sid_env: 'S', api_key_sid_env: 'K' } });
    expect(configError(() => resolveTwilioCredentials(c, 'staging', { S: 'AC0123456789', K: 'SK0123456789' })).message).toMatch(/api_key_secret_env/);
  });

  it('Twilio: no twilio section at all', () => {
    const c = parseConfig(FILE, { staging: { api_key_env: 'A' } });
    expect(configError(() => resolveTwilioCredentials(c, 'staging', {})).message).toMatch(/twilio/);
  });

  it('Twilio: a workspace\'s own twilio section overrides the top-level one for that workspace only', () => {
    const c = parseConfig(FILE, {
      ...SINGLE,
      staging: { api_key_env: 'A', twilio: { account_sid_env: 'STG_SID', auth_token_env: 'STG_TOKEN', base_url: 'http://127.0.0.1:4010' } },
    });
    const env = { TWILIO_ACCOUNT_SID: 'AC_main_000001', TWILIO_AUTH_TOKEN: 'main_token_0001', STG_SID: 'AC_stg_000001', STG_TOKEN: 'stg_token_0001' };
    expect(resolveTwilioCredentials(c, 'staging', env)).toEqual({ accountSid: 'AC_stg_000001', username: 'AC_stg_000001', password: 'stg_token_0001', baseUrl: 'http://127.0.0.1:4010' });
    expect(resolveTwilioCredentials(c, 'production', env)).toEqual({ accountSid: 'AC_main_000001', username: 'AC_main_000001', password: 'main_token_0001', baseUrl: 'https://twilio.example.test' });
    expect(resolveTwilioCredentials(c, null, env).accountSid).toBe('AC_main_000001');
    // A missing variable of the override names the workspace's section.
    expect(configError(() => resolveTwilioCredentials(c, 'staging', { ...env, STG_TOKEN: '' })).message).toMatch(/staging\.twilio\.auth_token_env/);
  });

  it('PHONE_DIR_TWILIO_BASE_URL and PHONE_DIR_RETELL_BASE_URL win over workspaces.json', () => {
    const c = parseConfig(FILE, SINGLE);
    const env = {
      TWILIO_ACCOUNT_SID: 'AC0123456789', TWILIO_AUTH_TOKEN: 'token_abcdef', RETELL_STAGING_API_KEY: 'key_stg_abcdef', RETELL_PRODUCTION_API_KEY: 'key_prod_abcdef',
    };
    expect(resolveTwilioCredentials(c, 'staging', env).baseUrl).toBe('https://twilio.example.test');
    expect(resolveRetellCredentials(c, 'staging', env).baseUrl).toBe('https://retell.example.test');
    const over = { ...env, PHONE_DIR_TWILIO_BASE_URL: 'http://127.0.0.1:9999/api/laml', PHONE_DIR_RETELL_BASE_URL: 'http://127.0.0.1:9998' };
    expect(resolveTwilioCredentials(c, 'staging', over).baseUrl).toBe('http://127.0.0.1:9999/api/laml');
    expect(resolveRetellCredentials(c, 'staging', over).baseUrl).toBe('http://127.0.0.1:9998');
    expect(resolveRetellCredentials(c, 'production', over).baseUrl).toBe('http://127.0.0.1:9998');
    // An empty override does not count.
    expect(resolveRetellCredentials(c, 'staging', { ...env, PHONE_DIR_RETELL_BASE_URL: '' }).baseUrl).toBe('https://retell.example.test');
  });

  it('credential values read from the environment are redacted from any later output', () => {
    const c = parseConfig(FILE, SINGLE);
    const token = 'tok_redact_me_0123456789';
    resolveTwilioCredentials(c, null, { TWILIO_ACCOUNT_SID: 'AC0123456789', TWILIO_AUTH_TOKEN: token });
    expect(redact(`request failed with ${token}`)).toBe('request failed with ***');
  });
});
