import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { configCatalog } from '../../src/providers/registry.js';
import { ConfigError, ProviderError } from '../../src/core/errors.js';
import { createProviders } from '../../src/providers/index.js';
import { generateScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { everythingIn } from './helpers.js';

const config = parseConfig('workspaces.json', {
  staging: { api_key_env: 'RETELL_STAGING_API_KEY', name: 'Staging' },
  production: { api_key_env: 'RETELL_PRODUCTION_API_KEY', name: 'Production', base_url: 'https://api.retellai.com' },
  twilio: { account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN', base_url: 'https://api.twilio.com' },
}, configCatalog());

function envFor(sb: SandboxHandle, over: Record<string, string | undefined> = {}) {
  return {
    TWILIO_ACCOUNT_SID: sb.credentials.twilio.accountSid,
    TWILIO_AUTH_TOKEN: sb.credentials.twilio.authToken,
    RETELL_STAGING_API_KEY: sb.credentials.retell.staging,
    RETELL_PRODUCTION_API_KEY: sb.credentials.retell.production,
    PHONE_DIR_TWILIO_BASE_URL: sb.twilioBaseUrl,
    PHONE_DIR_RETELL_BASE_URL: sb.retellBaseUrl,
    ...over,
  };
}

describe('createProviders on a 3,000-number account', () => {
  let sb: SandboxHandle;
  const scenario = generateScenario({ numbers: 3000, workspaces: ['staging', 'production'] });
  beforeAll(async () => {
    sb = await startSandbox({ scenario });
  });
  afterAll(() => sb.close());

  it('snapshots Twilio and both workspaces with requests that grow with pages, not numbers', async () => {
    const providers = createProviders(config, envFor(sb));
    const started = performance.now();
    const [twilio, staging, production] = await Promise.all([providers.carrier('twilio'), providers.platform('staging'), providers.platform('production')]);
    const [tw, st, pr] = await Promise.all([twilio.fetchSnapshot(), staging.fetchSnapshot(), production.fetchSnapshot()]);
    const ms = Math.round(performance.now() - started);

    expect(tw.numbers).toHaveLength(3000);
    expect(tw.trunks).toHaveLength(scenario.twilio.trunks!.length);
    expect(tw.trunks.reduce((sum, t) => sum + t.phone_numbers.length, 0)).toBe(tw.numbers.filter((n) => n.trunk_sid).length);
    expect(st.numbers).toHaveLength(scenario.retell.workspaces.staging!.phone_numbers!.length);
    expect(pr.numbers).toHaveLength(scenario.retell.workspaces.production!.phone_numbers!.length);
    expect(st.agents.length).toBeGreaterThan(0);

    const { twilio: twilioRequests, retell: retellRequests } = providers.stats.byProvider;
    expect(providers.stats.requests).toBe(sb.requests().length);
    // 3 number pages + trunks + (2 number pages + origination + credential lists) per trunk + lists + 1 per list.
    expect(twilioRequests).toBeLessThanOrEqual(4 + 1 + 4 * tw.trunks.length + 1 + tw.credential_lists.length);
    // Per workspace: 2 pages of numbers + 1 of agents.
    expect(retellRequests).toBeLessThanOrEqual(2 * 3);
    expect(sb.requests().filter((r) => /IncomingPhoneNumbers\/PN/.test(r.path) || /get-phone-number/.test(r.path))).toEqual([]);
    console.log(
      `3,000-number snapshot: ${providers.stats.requests} requests (twilio ${twilioRequests}, retell ${retellRequests}: staging ${st.numbers.length} + production ${pr.numbers.length} numbers) in ${ms} ms`,
    );
  });

  it('reads PHONE_DIR_MAX_ATTEMPTS and names the variable behind a 401 without printing it', async () => {
    sb.clearRequests();
    sb.faults.add({ match: 'GET /twilio/v1/Trunks', status: 503 });
    try {
      const providers = createProviders(config, envFor(sb, { PHONE_DIR_MAX_ATTEMPTS: '2' }), { baseDelayMs: 1, maxDelayMs: 2 });
      const err = await (await providers.carrier('twilio')).fetchSnapshot().catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 503, exitCode: 5 });
      expect(sb.requests().filter((r) => r.path.endsWith('/v1/Trunks'))).toHaveLength(2);
    } finally {
      sb.faults.clear();
    }

    const wrong = 'a-wrong-but-registered-token-123';
    const providers = createProviders(config, envFor(sb, { TWILIO_AUTH_TOKEN: wrong }));
    const err = await (await providers.carrier('twilio')).findNumber('+14155550101').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/^twilio: looking up \+14155550101 failed: 401 .*\(check TWILIO_AUTH_TOKEN \/ TWILIO_ACCOUNT_SID \/ the twilio section of workspaces\.json\)$/);
    expect(everythingIn(err)).not.toContain(wrong);

    const badKey = 'key_registered_but_wrong_0001';
    const r = await (await createProviders(config, envFor(sb, { RETELL_STAGING_API_KEY: badKey })).platform('staging')).getNumber({ phone_number: '+14155550101' }).catch((e: unknown) => e);
    expect((r as Error).message).toMatch(/401 .*\(check RETELL_STAGING_API_KEY \(workspaces\.json: staging\.api_key_env\)\)$/);
    expect(everythingIn(r)).not.toContain(badKey);
  });

  it('reports configuration problems as ConfigError (exit 2)', async () => {
    expect(() => createProviders(config, envFor(sb, { PHONE_DIR_MAX_ATTEMPTS: 'lots' }))).toThrow(ConfigError);
    expect(() => createProviders(config, envFor(sb, { PHONE_DIR_HTTP_TIMEOUT_MS: '0' }))).toThrow(/PHONE_DIR_HTTP_TIMEOUT_MS/);
    const providers = createProviders(config, envFor(sb, { TWILIO_AUTH_TOKEN: undefined }));
    await expect(providers.carrier('twilio')).rejects.toThrow(/TWILIO_AUTH_TOKEN/);
    await expect(providers.carrier('twilio')).rejects.toBeInstanceOf(ConfigError);
    await expect(providers.platform('nowhere')).rejects.toMatchObject({ exitCode: 2 });
  });

  it('creates each provider once and shares one request counter', async () => {
    const providers = createProviders(config, envFor(sb));
    expect(await providers.platform('staging')).toBe(await providers.platform('staging'));
    expect(await providers.carrier('twilio')).toBe(await providers.carrier('twilio'));
    await (await providers.platform('staging')).getNumber({ phone_number: '+19998887777' });
    await (await providers.carrier('twilio')).findNumber('+19998887777');
    expect(providers.stats.byProvider).toEqual({ twilio: 1, retell: 1 });
    expect(providers.stats.requests).toBe(2);
  });
});
