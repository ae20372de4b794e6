import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalwireCarrier } from '../../src/providers/signalwire/entry.js';
import { envSnippet, startSandbox, workspacesSnippet, type SandboxHandle } from '../../src/sandbox/index.js';
import { fastOptions } from '../providers/helpers.js';
import { basicAuth, call, type RawResponse } from '../sandbox/helpers.js';
import { checkRequest, checkResponse } from './spec.js';

/*
 * SignalWire documents its Compatibility (LaML) API as Twilio's 2010 API under /api/laml: the sandbox's
 * LaML answers are checked against Twilio's 2010 document (test/contract/vendor), operation by operation.
 */

let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => h.close());

const project = () => h.credentials.signalwire!;
const laml = () => `/signalwire/api/laml/2010-04-01/Accounts/${project().projectId}`;
const auth = () => basicAuth(project().projectId, project().apiToken);
/** The Twilio 2010 path the LaML path stands for, as the spec helper names it. */
const asTwilio = (path: string) => path.replace(/^\/signalwire\/api\/laml/, '/twilio');
const body = (r: RawResponse) => r.body as Record<string, unknown>;
const sidOf = (phone: string) => [...h.state.signalwire!.account.numbers.values()].find((n) => n.phoneNumber === phone)?.sid as string;

async function conform(method: string, path: string, expectedStatus: number, opts: Parameters<typeof call>[3] = {}): Promise<RawResponse> {
  const res = await call(h, method, path, { auth: auth(), ...opts });
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(expectedStatus);
  const check = checkResponse(method, asTwilio(path.split('?')[0] as string), res.status, res.body);
  expect(check.errors, `${method} ${path}`).toEqual([]);
  return res;
}

describe('SignalWire LaML IncomingPhoneNumbers against Twilio\'s 2010 document', () => {
  it('lists with next_page_uri under /api/laml and UUID SIDs', async () => {
    const r = await conform('GET', `${laml()}/IncomingPhoneNumbers.json?PageSize=5`, 200);
    const b = body(r);
    const base = `/api/laml/2010-04-01/Accounts/${project().projectId}/IncomingPhoneNumbers.json`;
    expect(b.next_page_uri).toMatch(new RegExp(`^${base.replace(/[.]/g, '\\.')}\\?PageSize=5&Page=1&PageToken=PA[0-9a-f-]{36}$`));
    expect(b).toMatchObject({ page: 0, page_size: 5, start: 0, end: 4, previous_page_uri: null, first_page_uri: `${base}?PageSize=5&Page=0` });
    const items = b.incoming_phone_numbers as { sid: string; account_sid: string; uri: string; origin: string; trunk_sid: null }[];
    expect(items).toHaveLength(5);
    for (const n of items) {
      expect(n.sid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(n).toMatchObject({ account_sid: project().projectId, origin: 'signalwire', trunk_sid: null, uri: `/api/laml/2010-04-01/Accounts/${project().projectId}/IncomingPhoneNumbers/${n.sid}.json` });
    }
    const next = await conform('GET', `/signalwire${b.next_page_uri as string}`, 200);
    expect(body(next)).toMatchObject({ page: 1, start: 5, end: 9 });
    const last = await conform('GET', `/signalwire${body(next).next_page_uri as string}`, 200);
    expect(body(last)).toMatchObject({ page: 2, next_page_uri: null });
    expect(body(last).incoming_phone_numbers).toHaveLength(2);
  });

  it('filters by PhoneNumber, fetches one, buys (201), updates (200) and releases (204)', async () => {
    const one = await conform('GET', `${laml()}/IncomingPhoneNumbers.json?PhoneNumber=%2B16285550100`, 200);
    expect((body(one).incoming_phone_numbers as { friendly_name: string }[]).map((n) => n.friendly_name)).toEqual(['SW Main Line']);
    await conform('GET', `${laml()}/IncomingPhoneNumbers/${sidOf('+16285550100')}.json`, 200);
    const bought = await conform('POST', `${laml()}/IncomingPhoneNumbers.json`, 201, { form: { PhoneNumber: '+16285550300', FriendlyName: 'contract' } });
    const sid = body(bought).sid as string;
    expect(body(bought)).toMatchObject({ phone_number: '+16285550300', friendly_name: 'contract', origin: 'signalwire' });
    const byArea = await conform('POST', `${laml()}/IncomingPhoneNumbers.json`, 201, { form: { AreaCode: '628' } });
    expect(body(byArea).phone_number).toMatch(/^\+1628555\d{4}$/);
    const updated = await conform('POST', `${laml()}/IncomingPhoneNumbers/${sid}.json`, 200, { form: { VoiceUrl: 'https://example.test/laml' } });
    expect(body(updated).voice_url).toBe('https://example.test/laml');
    for (const s of [sid, body(byArea).sid as string]) expect((await conform('DELETE', `${laml()}/IncomingPhoneNumbers/${s}.json`, 204)).text).toBe('');
    await conform('GET', `${laml()}/IncomingPhoneNumbers/${sid}.json`, 404);
    // The Twilio account is another carrier: a LaML purchase never lands there.
    expect(h.state.twilio.findByPhone('+16285550300')).toBeUndefined();
  });

  it('searches numbers for sale (Local and TollFree)', async () => {
    const local = await conform('GET', `${laml()}/AvailablePhoneNumbers/US/Local.json?AreaCode=628&VoiceEnabled=true&PageSize=4`, 200);
    const list = body(local).available_phone_numbers as { phone_number: string }[];
    expect(list).toHaveLength(4);
    for (const n of list) expect(h.state.signalwire!.account.findByPhone(n.phone_number)).toBeUndefined();
    expect(body(local).uri).toMatch(/^\/api\/laml\/2010-04-01\/Accounts\/[0-9a-f-]{36}\/AvailablePhoneNumbers\/US\/Local\.json\?/);
    await conform('GET', `${laml()}/AvailablePhoneNumbers/US/TollFree.json?PageSize=2`, 200);
  });

  it('serves no SIP credential lists and no Trunking API', async () => {
    expect((await call(h, 'GET', `${laml()}/SIP/CredentialLists.json`, { auth: auth() })).status).toBe(404);
    expect((await call(h, 'GET', '/signalwire/api/laml/v1/Trunks', { auth: auth() })).status).toBe(404);
  });

  it('a wrong token, or another project\'s URL, is 401 in SignalWire\'s error shape', async () => {
    for (const r of [
      await call(h, 'GET', `${laml()}/IncomingPhoneNumbers.json`, { auth: basicAuth(project().projectId, 'wrong') }),
      await call(h, 'GET', `${laml()}/IncomingPhoneNumbers.json`),
      await call(h, 'GET', `/signalwire/api/laml/2010-04-01/Accounts/00000000-0000-4000-8000-000000000000/IncomingPhoneNumbers.json`, { auth: auth() }),
      // Twilio's account credentials are not a SignalWire project's.
      await call(h, 'GET', `${laml()}/IncomingPhoneNumbers.json`, { auth: basicAuth(h.credentials.twilio.accountSid, h.credentials.twilio.authToken) }),
    ]) {
      expect(r.status).toBe(401);
      expect(body(r)).toEqual({ errors: [expect.objectContaining({ type: 'authentication_error', code: 'unauthorized', message: 'Unauthorized' })] });
    }
  });

  it('the twilio client\'s requests to the space are valid 2010 operations (paths, query, form fields)', async () => {
    h.clearRequests();
    const section = workspacesSnippet(h).signalwire as Record<string, unknown>;
    const signalwire = await signalwireCarrier.create(signalwireCarrier.resolveCredentials(section, 'signalwire', 'workspaces.json', envSnippet(h)), fastOptions({ pageSize: 5 }).options);
    await signalwire.fetchSnapshot();
    const [offer] = await signalwire.searchAvailable({ country: 'US', areaCode: 628, limit: 1 });
    const bought = await signalwire.purchase({ phoneNumber: offer!.phone_number, friendlyName: 'contract', voiceUrl: 'https://example.test/v' });
    await signalwire.updateNumber(bought.sid, { friendlyName: 'renamed', smsUrl: null });
    await signalwire.findNumber(bought.phone_number);
    await signalwire.release(bought.sid);
    const log = h.requests();
    expect(log.length).toBeGreaterThanOrEqual(8);
    expect(log.every((e) => e.path.startsWith(laml()))).toBe(true);
    expect(log.flatMap((e) => checkRequest({ ...e, path: asTwilio(e.path) }))).toEqual([]);
  });
});
