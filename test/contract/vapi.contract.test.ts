import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVapiPlatform } from '../../src/providers/vapi/platform.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { VAPI_ASSISTANTS } from '../../src/sandbox/vapi-default.js';
import { fastOptions } from '../providers/helpers.js';
import { call, type RawResponse } from '../sandbox/helpers.js';
import { checkAgainstSdkTypes, type TypedValue } from './vapi-types.js';

type Obj = Record<string, unknown>;
const WS = 'vapi-support';
let h: SandboxHandle;
const auth = () => `Bearer ${h.credentials.vapi![WS]!.apiKey}`;
const vapi = (method: string, path: string, json?: unknown) => call(h, method, `/vapi${path}`, { auth: auth(), ...(json !== undefined ? { json } : {}) });
const credentialId = (provider: string) => [...h.state.vapi.get(WS)!.credentials.values()].find((c) => c.provider === provider)!.id;

function ok(res: RawResponse, status: number): unknown {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  return res.body;
}

/** Every Vapi response and request body the sandbox and the adapter produce, typed as the SDK names them. */
const checked: TypedValue[] = [];
const expectValid = (type: string, label: string, value: unknown) => checked.push({ type, label, value });

beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => h.close());

describe('Vapi error bodies', () => {
  it('401, 404 and 400 answer {message, error, statusCode}; validation messages are a list', async () => {
    const unauthorized = await call(h, 'GET', '/vapi/phone-number', { auth: 'Bearer nope' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toEqual({ message: expect.stringMatching(/^Invalid Key/), error: 'Unauthorized', statusCode: 401 });
    const missing = await vapi('GET', '/phone-number/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'Phone Number not found', error: 'Not Found', statusCode: 404 });
    const tooMany = await vapi('GET', '/phone-number?limit=1001&createdAtLt=yesterday');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ message: ['limit must not be greater than 1000', 'createdAtLt must be a valid ISO 8601 date string'], error: 'Bad Request', statusCode: 400 });
    const bad = await vapi('POST', '/phone-number', { provider: 'twilio', number: '415', extra: true });
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.arrayContaining(['property extra should not exist', 'twilioAccountSid must be a string']) });
    const fault = h.faults.add({ match: 'GET /vapi/assistant', status: 503, retry_after: 1, times: 1 });
    const unavailable = await vapi('GET', '/assistant');
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '1']);
    expect(unavailable.body).toMatchObject({ error: 'Service Unavailable', statusCode: 503 });
    expect(h.requests().find((r) => r.fault === fault.id)).toMatchObject({ path: '/vapi/assistant', status: 503, workspace: WS });
  });
});

describe('Vapi responses against the SDK types (strict)', () => {
  it('lists, gets, creates, updates and deletes numbers of every provider type in the SDK shapes', async () => {
    const list = ok(await vapi('GET', '/phone-number'), 200) as Obj[];
    expect(new Set(list.map((n) => n.provider))).toEqual(new Set(['twilio', 'vonage', 'vapi', 'telnyx', 'byo-phone-number']));
    for (const n of list) {
      expectValid('Vapi.ListPhoneNumbersResponseItem', `list ${String(n.provider)} ${String(n.number ?? n.sipUri)}`, n);
      expectValid('Vapi.GetPhoneNumbersResponse', `get ${String(n.provider)}`, ok(await vapi('GET', `/phone-number/${String(n.id)}`), 200));
    }
    const tw = h.credentials.twilio;
    const creates: Obj[] = [
      { provider: 'twilio', number: '+14155550193', twilioAccountSid: tw.accountSid, twilioAuthToken: tw.authToken, name: 'contract twilio' },
      { provider: 'byo-phone-number', number: '+16285550107', credentialId: credentialId('byo-sip-trunk'), numberE164CheckEnabled: true, assistantId: VAPI_ASSISTANTS.sales },
      { provider: 'vapi', numberDesiredAreaCode: '415', name: 'contract vapi' },
      { provider: 'vonage', number: '+442071838751', credentialId: credentialId('vonage') },
      { provider: 'telnyx', number: '+13125550403', credentialId: credentialId('telnyx'), server: { url: 'https://hooks.example/telnyx' } },
    ];
    for (const body of creates) {
      expectValid('Vapi.CreatePhoneNumbersRequest', `create body ${String(body.provider)}`, body);
      const created = ok(await vapi('POST', '/phone-number', body), 201) as Obj;
      expect(JSON.stringify(created)).not.toContain(tw.authToken);
      expectValid('Vapi.CreatePhoneNumbersResponse', `created ${String(body.provider)}`, created);
      const patch = { provider: body.provider, assistantId: VAPI_ASSISTANTS.support, name: 'patched' };
      expectValid('Vapi.UpdatePhoneNumbersRequestBody', `update body ${String(body.provider)}`, patch);
      expectValid('Vapi.UpdatePhoneNumbersResponse', `updated ${String(body.provider)}`, ok(await vapi('PATCH', `/phone-number/${String(created.id)}`, patch), 200));
      expectValid('Vapi.DeletePhoneNumbersResponse', `deleted ${String(body.provider)}`, ok(await vapi('DELETE', `/phone-number/${String(created.id)}`), 200));
      expect((await vapi('GET', `/phone-number/${String(created.id)}`)).status).toBe(404);
    }
  });

  it('pages GET /v2/phone-number with page, sortOrder and search in the SDK shape', async () => {
    const all = ok(await vapi('GET', '/phone-number'), 200) as Obj[];
    const second = ok(await vapi('GET', '/v2/phone-number?limit=3&page=2'), 200) as { results: Obj[]; metadata: Obj };
    expectValid('Vapi.PhoneNumberPaginatedResponse', 'v2 page 2', second);
    expect(second.results.map((n) => n.id)).toEqual(all.slice(3, 6).map((n) => n.id));
    expect(second.metadata).toEqual({ itemsPerPage: 3, totalItems: all.length, currentPage: 2, totalPages: Math.ceil(all.length / 3), hasNextPage: true, sortOrder: 'DESC' });
    const asc = ok(await vapi('GET', '/v2/phone-number?sortOrder=ASC&search=signalwire'), 200) as { results: Obj[] };
    expect(asc.results.map((n) => n.number)).toEqual(['+16285550100', '+16285550101', '+16285550102']);
    expect((await vapi('GET', '/v2/phone-number?page=0&sortOrder=up')).body).toMatchObject({ statusCode: 400, message: ['page must not be less than 1', 'sortOrder must be one of the following values: ASC, DESC'] });
  });

  it('lists assistants and SIP trunk credentials in the SDK shapes, without passwords', async () => {
    for (const a of ok(await vapi('GET', '/assistant?limit=10'), 200) as Obj[]) expectValid('Vapi.Assistant', `assistant ${String(a.name)}`, a);
    const body = { provider: 'byo-sip-trunk', name: 'contract trunk', gateways: [{ ip: 'contract.sip.signalwire.com', port: 5060 }], outboundAuthenticationPlan: { authUsername: 'u', authPassword: 'contract-secret-pw' } };
    // The SDK's DTO type lacks the provider discriminator that POST /credential needs (2.0.1 has no credentials client).
    expectValid("Vapi.CreateByoSipTrunkCredentialDto & { provider: 'byo-sip-trunk' }", 'credential body', body);
    const created = await vapi('POST', '/credential', body);
    expectValid('Vapi.ByoSipTrunkCredential', 'created credential', ok(created, 201));
    expect(created.text).not.toContain('contract-secret-pw');
    const list = ok(await vapi('GET', '/credential'), 200) as Obj[];
    for (const c of list.filter((x) => x.provider === 'byo-sip-trunk')) expectValid('Vapi.ByoSipTrunkCredential', `credential ${String(c.name)}`, c);
    expect(JSON.stringify(list)).not.toMatch(/authPassword|Passw0rd|contract-secret/);
  });

  it("the adapter's own request bodies are valid SDK requests", async () => {
    h.clearRequests();
    const platform = await createVapiPlatform(WS, { apiKey: h.credentials.vapi![WS]!.apiKey, baseUrl: h.vapiBaseUrl, hint: 'VAPI_SUPPORT_API_KEY' }, fastOptions().options);
    const tw = h.credentials.twilio;
    const viaTwilio = await platform.importNumber({ phone_number: '+14155550193', termination_uri: 'x', carrier_credentials: { carrier: 'twilio', accountSid: tw.accountSid, authToken: tw.authToken }, nickname: 'adapter' });
    await platform.importNumber({ phone_number: '+16285550108', termination_uri: 'phone-dir-sandbox.sip.signalwire.com', inbound_agents: [{ agent_id: VAPI_ASSISTANTS.booking, weight: 1 }] });
    await platform.updateNumber(viaTwilio, { inbound_agents: [{ agent_id: VAPI_ASSISTANTS.sales, weight: 1 }], nickname: 'renamed' });
    const logged = h.requests().filter((r) => r.path.startsWith('/vapi/phone-number') && (r.method === 'POST' || r.method === 'PATCH'));
    expect(logged.map((r) => r.method)).toEqual(['POST', 'POST', 'PATCH']);
    for (const r of logged) expectValid(r.method === 'POST' ? 'Vapi.CreatePhoneNumbersRequest' : 'Vapi.UpdatePhoneNumbersRequestBody', `adapter ${r.method} body`, r.body);
  });

  // Last: the compiler blocks the event loop for seconds, and the sandbox runs in this process.
  it('all of the above type-check strictly, and the checker does reject what the spec forbids', () => {
    const valid = checked[0]!.value as Obj;
    const controls: TypedValue[] = [
      { label: 'control: unknown property', type: 'Vapi.ListPhoneNumbersResponseItem', value: { ...valid, bogus: 1 } },
      { label: 'control: null where the spec has none', type: 'Vapi.ListPhoneNumbersResponseItem', value: { ...valid, name: null } },
      { label: 'control: missing id', type: 'Vapi.Assistant', value: { orgId: 'o', createdAt: 'c', updatedAt: 'u' } },
      { label: 'control: twilio without account SID', type: 'Vapi.ListPhoneNumbersResponseItem', value: { id: 'i', orgId: 'o', createdAt: 'c', updatedAt: 'u', provider: 'twilio', number: '+1' } },
      { label: 'control: nested gateway property', type: 'Vapi.ByoSipTrunkCredential', value: { id: 'i', orgId: 'o', createdAt: 'c', updatedAt: 'u', gateways: [{ ip: 'h', host: 'h' }] } },
    ];
    const problems = checkAgainstSdkTypes([...checked, ...controls]);
    expect(checked.length).toBeGreaterThan(30);
    expect(problems.filter((p) => !p.label.startsWith('control:'))).toEqual([]);
    expect(new Set(problems.map((p) => p.label))).toEqual(new Set(controls.map((c) => c.label)));
  }, 60_000);
});
