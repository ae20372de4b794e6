import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, UsageError } from '../../src/core/errors.js';
import type { PlatformCredentials } from '../../src/providers/entry.js';
import { createVapiPlatform } from '../../src/providers/vapi/platform.js';
import { defaultScenario, generateScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { VAPI_ASSISTANTS } from '../../src/sandbox/vapi-default.js';
import { everythingIn, fastOptions, requestsTo } from './helpers.js';

const WS = 'vapi-support';
const HINT = `VAPI_SUPPORT_API_KEY (workspaces.json: ${WS}.api_key_env)`;
const SIP_HOST = 'phone-dir-sandbox.sip.signalwire.com';
const A = VAPI_ASSISTANTS;

function vapiCreds(sb: SandboxHandle, over: Partial<PlatformCredentials> = {}): PlatformCredentials {
  return { apiKey: sb.credentials.vapi![WS]!.apiKey, baseUrl: sb.vapiBaseUrl, hint: HINT, ...over };
}
const org = (sb: SandboxHandle) => sb.state.vapi.get(WS)!;
const inOrg = (sb: SandboxHandle, phone: string) => [...org(sb).numbers.values()].filter((n) => n.number === phone);

describe('vapi platform against the sandbox (default scenario)', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: defaultScenario() });
  });
  afterAll(() => sb.close());
  afterEach(() => {
    sb.faults.clear();
    sb.clearRequests();
  });

  it('maps a number of every Vapi provider type, skips the SIP-URI-only one, lists the assistants: three requests', async () => {
    const { options, stats } = fastOptions();
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), options);
    const snap = await vapi.fetchSnapshot();
    expect(snap.workspace).toBe(WS);
    const row = (phone: string) => {
      const n = snap.numbers.find((x) => x.phone_number === phone)!;
      return [n.provider, n.provider_is_platform, n.import_method, n.inbound_agents.map((a) => a.agent_id)[0] ?? null, n.termination_uri, n.auth_username];
    };
    expect(row('+16505550194')).toEqual(['twilio', false, 'carrier-api', A.support, null, null]);
    expect(row('+16285550100')).toEqual(['custom', false, 'sip-trunk', A.support, SIP_HOST, 'vapi_signalwire']);
    expect(row('+16285550101')).toEqual(['custom', false, 'sip-trunk', A.sales, SIP_HOST, 'vapi_signalwire']);
    expect(row('+16285550102')).toEqual(['custom', false, 'sip-trunk', null, SIP_HOST, 'vapi_signalwire']);
    expect(row('+14155550401')).toEqual(['vapi', true, 'direct-purchase', A.booking, null, null]);
    expect(row('+442071838750')).toEqual(['vonage', true, 'carrier-api', null, null, null]);
    expect(row('+13125550402')).toEqual(['telnyx', true, 'carrier-api', A.sales, null, null]);
    expect(snap.numbers.map((n) => n.phone_number)).toEqual([...snap.numbers.map((n) => n.phone_number)].sort());
    expect(snap.numbers).toHaveLength(7); // the eighth has only a SIP URI
    for (const n of snap.numbers) {
      expect(n.outbound_agents).toEqual([]);
      expect(n.platform_ids.vapi_phone_number_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(n.last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(snap.numbers.find((n) => n.phone_number === '+14155550401')).toMatchObject({ nickname: 'Booking line', inbound_webhook_url: 'https://hooks.acme.example/vapi/booking' });
    expect(snap.agents).toEqual([
      { agent_id: A.support, agent_name: 'Support Assistant' },
      { agent_id: A.sales, agent_name: 'Sales Assistant' },
      { agent_id: A.booking, agent_name: 'Booking Assistant' },
    ].sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1)));
    // Numbers, assistants and credentials: one page each at limit 1000.
    expect(stats.requests).toBe(3);
    expect(stats.byProvider.vapi).toBe(3);
    expect(requestsTo(sb, 'GET', /^\/vapi\/(phone-number|assistant|credential)$/).map((r) => r.query.limit)).toEqual(['1000', '1000', '1000']);
    expect(sb.requests().every((r) => r.workspace === WS)).toBe(true);
    expect(await vapi.listAgents()).toEqual(snap.agents);
  });

  it('imports a Twilio number through Twilio credentials: the token travels once and is logged as ***', async () => {
    const { options } = fastOptions();
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), options);
    const tw = sb.credentials.twilio;
    const got = await vapi.importNumber({
      phone_number: '+14155550193', termination_uri: 'unused.example', nickname: 'Imported from Twilio',
      carrier_credentials: { carrier: 'twilio', accountSid: tw.accountSid, authToken: tw.authToken },
      inbound_agents: [{ agent_id: A.sales, weight: 1 }],
    });
    expect(got).toMatchObject({ phone_number: '+14155550193', provider: 'twilio', import_method: 'carrier-api', provider_is_platform: false, inbound_agents: [{ agent_id: A.sales, weight: 1 }], nickname: 'Imported from Twilio' });
    const posts = requestsTo(sb, 'POST', /^\/vapi\/phone-number$/);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ provider: 'twilio', twilioAccountSid: tw.accountSid, twilioAuthToken: '***', assistantId: A.sales });
    expect(JSON.stringify(sb.requests())).not.toContain(tw.authToken);
    expect(inOrg(sb, '+14155550193')).toHaveLength(1);

    const byKey = await vapi.importNumber({
      phone_number: '+12125550192', termination_uri: 'unused.example',
      carrier_credentials: { carrier: 'twilio', accountSid: tw.accountSid, apiKey: tw.apiKeySid!, apiSecret: tw.apiKeySecret! },
    });
    expect(byKey).toMatchObject({ provider: 'twilio', inbound_agents: [] });
    expect(requestsTo(sb, 'POST', /^\/vapi\/phone-number$/)[1]!.body).toMatchObject({ twilioApiKey: tw.apiKeySid, twilioApiSecret: '***' });
    expect(JSON.stringify(sb.requests())).not.toContain(tw.apiKeySecret!);
  });

  it('imports a SignalWire number as byo-phone-number: reuses the trunk credential of its SIP host, creates one for a new host', async () => {
    const { options } = fastOptions();
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), options);
    const reused = await vapi.importNumber({ phone_number: '+16285550103', termination_uri: SIP_HOST, sip_auth_username: 'vapi_signalwire', inbound_agents: [{ agent_id: A.support, weight: 1 }] });
    expect(reused).toMatchObject({ provider: 'custom', import_method: 'sip-trunk', termination_uri: SIP_HOST, auth_username: 'vapi_signalwire', inbound_agents: [{ agent_id: A.support, weight: 1 }] });
    expect(requestsTo(sb, 'POST', /^\/vapi\/credential$/)).toHaveLength(0);

    const password = 'New-Trunk-Passw0rd-91';
    const created = await vapi.importNumber({ phone_number: '+16285550104', termination_uri: 'sip:other-space.sip.signalwire.com', sip_auth_username: 'trunk_user', sip_auth_password: password });
    expect(created).toMatchObject({ provider: 'custom', termination_uri: 'other-space.sip.signalwire.com', auth_username: 'trunk_user', inbound_agents: [] });
    const credPosts = requestsTo(sb, 'POST', /^\/vapi\/credential$/);
    expect(credPosts).toHaveLength(1);
    expect(credPosts[0]!.body).toMatchObject({ provider: 'byo-sip-trunk', gateways: [{ ip: 'other-space.sip.signalwire.com' }], outboundAuthenticationPlan: { authUsername: 'trunk_user', authPassword: '***' } });
    expect(JSON.stringify(sb.requests())).not.toContain(password);
    const stored = [...org(sb).credentials.values()].find((c) => c.gateways[0]?.ip === 'other-space.sip.signalwire.com');
    expect(stored?.authPassword).toBe(password);
  });

  it('refuses outbound or weighted bindings with a usage error before any request', async () => {
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), fastOptions().options);
    const outbound = vapi.importNumber({ phone_number: '+16285550105', termination_uri: SIP_HOST, outbound_agents: [{ agent_id: A.sales, weight: 1 }] });
    await expect(outbound).rejects.toBeInstanceOf(UsageError);
    await expect(outbound).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/Vapi binds one assistant to a number for inbound calls only/) });
    const weighted = vapi.updateNumber({ phone_number: '+16285550102' }, { inbound_agents: [{ agent_id: A.sales, weight: 0.5 }, { agent_id: A.support, weight: 0.5 }] });
    await expect(weighted).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/weighted/) });
    await expect(vapi.importNumber({ phone_number: '+16285550105', termination_uri: ' ' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/needs a termination URI/) });
    const noToken = vapi.importNumber({ phone_number: '+14155550193', termination_uri: 'x', carrier_credentials: { carrier: 'twilio', accountSid: sb.credentials.twilio.accountSid } });
    await expect(noToken).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/auth token or an API key and secret/) });
    expect(sb.requests()).toHaveLength(0);
  });

  it('binds, renames and unbinds the assistant of a number by its id', async () => {
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), fastOptions().options);
    const id = inOrg(sb, '+16285550102')[0]!.id;
    const bound = await vapi.updateNumber({ phone_number: '+16285550102', platform_ids: { vapi_phone_number_id: id } }, { inbound_agents: [{ agent_id: A.booking, weight: 1 }], nickname: 'Now booking' });
    expect(bound).toMatchObject({ inbound_agents: [{ agent_id: A.booking, weight: 1 }], nickname: 'Now booking', termination_uri: SIP_HOST });
    expect(inOrg(sb, '+16285550102')[0]).toMatchObject({ assistantId: A.booking, name: 'Now booking' });
    const unbound = await vapi.updateNumber({ phone_number: '+16285550102' }, { inbound_agents: [] });
    expect(unbound.inbound_agents).toEqual([]);
    expect(inOrg(sb, '+16285550102')[0]!.assistantId).toBeNull();
    const patches = requestsTo(sb, 'PATCH', /^\/vapi\/phone-number\/[0-9a-f-]+$/);
    expect(patches.map((p) => p.body)).toEqual([
      { provider: 'byo-phone-number', assistantId: A.booking, name: 'Now booking' },
      { provider: 'byo-phone-number', assistantId: null },
    ]);
    await expect(vapi.updateNumber({ phone_number: '+19995550100' }, { inbound_agents: [] })).rejects.toMatchObject({ notFound: true, exitCode: 5 });
    expect(await vapi.getNumber({ phone_number: '+16285550102', platform_ids: { vapi_phone_number_id: id } })).toMatchObject({ phone_number: '+16285550102', platform_ids: { vapi_phone_number_id: id } });
    expect(await vapi.getNumber({ phone_number: '+19995550100' })).toBeNull();
  });

  it('deletes a number once: deleted, then not-found', async () => {
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), fastOptions().options);
    const id = inOrg(sb, '+442071838750')[0]!.id;
    expect(await vapi.deleteNumber({ phone_number: '+442071838750', platform_ids: { vapi_phone_number_id: id } })).toEqual({ status: 'deleted' });
    expect(inOrg(sb, '+442071838750')).toHaveLength(0);
    expect(await vapi.deleteNumber({ phone_number: '+442071838750', platform_ids: { vapi_phone_number_id: id } })).toEqual({ status: 'not-found' });
  });

  it('a delete that landed before its 503 counts as deleted after our own retry', async () => {
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), fastOptions().options);
    const id = inOrg(sb, '+13125550402')[0]!.id;
    sb.faults.add({ match: 'DELETE /vapi/phone-number/*', status: 503, commit_after_ms: 0, times: 1 });
    expect(await vapi.deleteNumber({ phone_number: '+13125550402', platform_ids: { vapi_phone_number_id: id } })).toEqual({ status: 'deleted' });
    expect(requestsTo(sb, 'DELETE', /^\/vapi\/phone-number\//).map((r) => r.status)).toEqual([503, 404]);
  });

  it('retries 429 (honouring Retry-After) and 503 through the one retry policy', async () => {
    const { options, delays, retries, stats } = fastOptions();
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), options);
    sb.faults.add({ match: 'GET /vapi/phone-number', status: 429, retry_after: 2, times: 1 });
    sb.faults.add({ match: 'GET /vapi/assistant', status: 503, times: 1 });
    const snap = await vapi.fetchSnapshot();
    expect(snap.agents).toHaveLength(3);
    expect(retries.map((r) => [r.provider, r.status])).toEqual(expect.arrayContaining([['vapi', 429], ['vapi', 503]]));
    expect(delays).toContain(2000);
    expect(stats.requests).toBe(5);
    expect(stats.retries).toBe(2);
  });

  it('retries a timed-out list and a dropped connection', async () => {
    const { options, retries } = fastOptions({ timeoutMs: 300 });
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), options);
    sb.faults.add({ match: 'GET /vapi/assistant', latency_ms: 1500, times: 1 });
    sb.faults.add({ match: 'GET /vapi/credential', drop: true, times: 1 });
    const snap = await vapi.fetchSnapshot();
    expect(snap.agents).toHaveLength(3);
    expect(Object.fromEntries(retries.map((r) => [r.operation, r.reason]))).toEqual({
      'listing assistants in workspace vapi-support': 'timeout',
      'listing credentials in workspace vapi-support': expect.stringMatching(/^connection (failed|dropped)/),
    });
  });

  it('401 names the variable of the key, never the key', async () => {
    const key = 'vapi-wrong-key-0123456789abcdef';
    const vapi = await createVapiPlatform(WS, vapiCreds(sb, { apiKey: key }), fastOptions().options);
    const err = await vapi.fetchSnapshot().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    const e = err as ProviderError;
    expect(e.exitCode).toBe(5);
    expect(e.message).toMatch(/^vapi: listing (phone numbers|assistants|credentials) in workspace vapi-support failed: 401 Invalid Key/);
    expect(e.message).toContain('VAPI_SUPPORT_API_KEY');
    expect(e.message.split('\n')).toHaveLength(1);
    expect(everythingIn(err)).not.toContain(key);
  });

  it('an import whose connection drops after Vapi committed it is found, not sent again', async () => {
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), fastOptions().options);
    sb.faults.add({ match: 'POST /vapi/phone-number', drop: true, commit_after_ms: 0, times: 1 });
    const got = await vapi.importNumber({ phone_number: '+16285550106', termination_uri: SIP_HOST, sip_auth_username: 'vapi_signalwire' });
    expect(got).toMatchObject({ phone_number: '+16285550106', provider: 'custom', termination_uri: SIP_HOST });
    expect(inOrg(sb, '+16285550106')).toHaveLength(1);
    expect(requestsTo(sb, 'POST', /^\/vapi\/phone-number$/)).toHaveLength(1);
  });

  it('an import refused by Vapi (400) is one line with its messages, not retried', async () => {
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), fastOptions().options);
    const tw = sb.credentials.twilio;
    const err = await vapi.importNumber({ phone_number: '+14155550101', termination_uri: 'x', carrier_credentials: { carrier: 'twilio', accountSid: tw.accountSid, authToken: 'wrong-token' } }).then(() => null, (e: unknown) => e);
    expect((err as ProviderError).message).toBe('vapi: importing +14155550101 in workspace vapi-support failed: 400 Couldn\'t Import Twilio Number. Twilio Error: Authenticate');
    expect(requestsTo(sb, 'POST', /^\/vapi\/phone-number$/)).toHaveLength(1);
  });
});

describe('vapi platform across pages', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: generateScenario({ numbers: 0, workspaces: [], vapiNumbers: 250 }) });
  });
  afterAll(() => sb.close());

  it('lists 250 numbers at page size 100 in three requests, none lost where a page ends inside equal createdAt values', async () => {
    const { options, stats } = fastOptions({ pageSize: 100 });
    const pages: number[] = [];
    const vapi = await createVapiPlatform(WS, vapiCreds(sb), options);
    const snap = await vapi.fetchSnapshot((p) => {
      if (p.what === 'phone numbers') pages.push(p.items);
    });
    expect(snap.numbers).toHaveLength(250);
    expect(new Set(snap.numbers.map((n) => n.platform_ids.vapi_phone_number_id)).size).toBe(250);
    expect(new Set(snap.numbers.map((n) => n.phone_number)).size).toBe(250);
    expect(new Set(snap.numbers.map((n) => n.provider))).toEqual(new Set(['twilio', 'vonage', 'telnyx', 'vapi', 'custom']));
    const lists = requestsTo(sb, 'GET', /^\/vapi\/phone-number$/);
    expect(lists).toHaveLength(3);
    expect(lists[0]!.query).toEqual({ limit: '100' });
    expect(lists[1]!.query).toMatchObject({ limit: '100', createdAtLe: expect.stringMatching(/Z$/) });
    expect(pages.reduce((a, b) => a + b, 0)).toBe(250);
    expect(pages[1]).toBeLessThan(100); // the overlap at the shared instant was dropped, not counted twice
    expect(stats.requests).toBe(5);
  });
});
