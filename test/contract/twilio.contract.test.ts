import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { api2010, basicAuth, call, twilioAuth, type RawResponse } from '../sandbox/helpers.js';
import { checkResponse } from './spec.js';

let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => h.close());

/** Calls the emulator and checks the body against the vendor schema for that operation and status. */
async function conform(method: string, path: string, expectedStatus: number, opts: Parameters<typeof call>[3] = {}): Promise<RawResponse> {
  const res = await call(h, method, path, { auth: twilioAuth(h), ...opts });
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(expectedStatus);
  const check = checkResponse(method, path.split('?')[0] as string, res.status, res.body);
  expect(check.errors, `${method} ${path}`).toEqual([]);
  return res;
}

const body = (r: RawResponse) => r.body as Record<string, unknown>;
const pn = (phone: string) => [...h.state.twilio.numbers.values()].find((n) => n.phoneNumber === phone)?.sid as string;
const trunkSid = (domain: string) => [...h.state.twilio.trunks.values()].find((t) => t.domainName === domain)?.sid as string;

describe('Api 2010 IncomingPhoneNumbers', () => {
  it('lists with a relative next_page_uri and the documented envelope', async () => {
    const r = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json?PageSize=7`, 200);
    const b = body(r);
    expect(b.next_page_uri).toMatch(/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\.json\?PageSize=7&Page=1&PageToken=PAPN[0-9a-f]{32}$/);
    expect(b).toMatchObject({ page: 0, page_size: 7, start: 0, end: 6, previous_page_uri: null });
    expect(b.first_page_uri).toBe(`/2010-04-01/Accounts/${h.credentials.twilio.accountSid}/IncomingPhoneNumbers.json?PageSize=7&Page=0`);
    const next = await conform('GET', `/twilio${b.next_page_uri as string}`, 200);
    expect(body(next)).toMatchObject({ page: 1, start: 7, end: 13 });
    expect(body(next).previous_page_uri).toMatch(/PageToken=PBPN/);
    const back = await conform('GET', `/twilio${body(next).previous_page_uri as string}`, 200);
    expect(body(back).incoming_phone_numbers).toEqual(b.incoming_phone_numbers);
  });

  it('filters by PhoneNumber (partial, *) and FriendlyName', async () => {
    const exact = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json?PhoneNumber=%2B14155550101`, 200);
    expect((body(exact).incoming_phone_numbers as { phone_number: string }[]).map((n) => n.phone_number)).toEqual(['+14155550101']);
    expect(body(exact).uri).toContain('PhoneNumber=%2B14155550101');
    const wild = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json?PhoneNumber=555019*&PageSize=50`, 200);
    expect((body(wild).incoming_phone_numbers as unknown[]).length).toBe(5);
    const byName = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json?FriendlyName=${encodeURIComponent('SF Sales')}`, 200);
    expect(body(byName).incoming_phone_numbers).toHaveLength(1);
  });

  it('lists the per-type collections', async () => {
    const tf = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers/TollFree.json`, 200);
    // The per-type collections omit `type` (their vendor schema has no such field).
    const tfNumbers = body(tf).incoming_phone_numbers as { phone_number: string; type?: string }[];
    expect(tfNumbers.map((n) => n.phone_number).sort()).toEqual(['+18555550163', '+18775550162', '+18885550161']);
    expect(tfNumbers.every((n) => !('type' in n))).toBe(true);
    await conform('GET', `${api2010(h)}/IncomingPhoneNumbers/Local.json`, 200);
    const mobile = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers/Mobile.json`, 200);
    expect(body(mobile).incoming_phone_numbers).toHaveLength(1);
  });

  it('fetches one number with RFC 2822 dates and mixed ""/null empties', async () => {
    const r = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers/${pn('+14155550190')}.json`, 200);
    expect(body(r)).toMatchObject({
      phone_number: '+14155550190', trunk_sid: null, voice_url: 'https://hooks.acme.example/twilio/voice/ivr',
      sms_application_sid: '', voice_fallback_url: null, date_created: expect.stringMatching(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
    });
  });

  it('purchases by PhoneNumber and by AreaCode (201), updates and releases (204)', async () => {
    const bought = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers.json`, 201, { form: { PhoneNumber: '+14155550300', FriendlyName: 'contract', VoiceUrl: 'https://example.test/v' } });
    const sid = body(bought).sid as string;
    expect(body(bought)).toMatchObject({ phone_number: '+14155550300', friendly_name: 'contract', voice_url: 'https://example.test/v', trunk_sid: null });
    const byArea = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers/Local.json`, 201, { form: { AreaCode: '650' } });
    expect(body(byArea).phone_number).toMatch(/^\+1650555\d{4}$/);
    const tf = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers/TollFree.json`, 201, { form: { AreaCode: '888' } });
    expect(h.state.twilio.numbers.get(body(tf).sid as string)?.type).toBe('toll-free');
    const updated = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers/${sid}.json`, 200, { form: { TrunkSid: trunkSid('acme-main.pstn.twilio.com'), SmsUrl: 'https://example.test/s' } });
    expect(body(updated)).toMatchObject({ trunk_sid: trunkSid('acme-main.pstn.twilio.com'), sms_url: 'https://example.test/s' });
    const detached = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers/${sid}.json`, 200, { form: { TrunkSid: '' } });
    expect(body(detached).trunk_sid).toBeNull();
    for (const s of [sid, body(byArea).sid, body(tf).sid] as string[]) {
      const del = await conform('DELETE', `${api2010(h)}/IncomingPhoneNumbers/${s}.json`, 204);
      expect(del.text).toBe('');
    }
    await conform('GET', `${api2010(h)}/IncomingPhoneNumbers/${sid}.json`, 404);
  });

  it('answers errors with Twilio error bodies', async () => {
    const unavailable = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers.json`, 400, { form: { PhoneNumber: '+14155550101' } });
    expect(body(unavailable)).toMatchObject({ code: 21422, status: 400, more_info: 'https://www.twilio.com/docs/errors/21422' });
    const noArea = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers.json`, 400, { form: { FriendlyName: 'x' } });
    expect(body(noArea).status).toBe(400);
    const big = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json?PageSize=1001`, 400);
    expect(body(big).message).toMatch(/PageSize/);
    const missing = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers/PN00000000000000000000000000000000.json`, 404);
    expect(body(missing)).toMatchObject({ code: 20404, status: 404 });
    expect(body(missing).message).toContain('/2010-04-01/Accounts/');
    const badMethod = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers/${pn('+14155550101')}.json`, 400, { form: { VoiceMethod: 'PUT' } });
    expect(body(badMethod).message).toMatch(/VoiceMethod/);
    const badTrunk = await conform('POST', `${api2010(h)}/IncomingPhoneNumbers/${pn('+14155550101')}.json`, 400, { form: { TrunkSid: 'TK00000000000000000000000000000000' } });
    expect(body(badTrunk).message).toMatch(/TrunkSid/);
  });

  it('rejects bad credentials and a foreign account with 401 / 20003', async () => {
    const bad = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json`, 401, { auth: basicAuth(h.credentials.twilio.accountSid, 'wrong') });
    expect(body(bad)).toMatchObject({ code: 20003, message: 'Authenticate', status: 401 });
    expect(bad.headers.get('www-authenticate')).toMatch(/^Basic/);
    const none = await call(h, 'GET', `${api2010(h)}/IncomingPhoneNumbers.json`);
    expect(none.status).toBe(401);
    const foreign = await conform('GET', `/twilio/2010-04-01/Accounts/AC${'1'.repeat(32)}/IncomingPhoneNumbers.json`, 401);
    expect(body(foreign).code).toBe(20003);
    const key = await call(h, 'GET', `${api2010(h)}/IncomingPhoneNumbers.json`, { auth: basicAuth(h.credentials.twilio.apiKeySid as string, h.credentials.twilio.apiKeySecret as string) });
    expect(key.status).toBe(200);
  });

  it('answers injected 429 / 500 / 503 with Twilio bodies and Retry-After', async () => {
    for (const status of [429, 500, 503]) {
      h.faults.add({ match: 'GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status, retry_after: 2, times: 1 });
      const r = await conform('GET', `${api2010(h)}/IncomingPhoneNumbers.json`, status);
      expect(body(r)).toMatchObject({ status, code: { 429: 20429, 500: 20500, 503: 20503 }[status] });
      expect(r.headers.get('retry-after')).toBe('2');
    }
  });
});

describe('Api 2010 AvailablePhoneNumbers', () => {
  it('searches local numbers by area code with capability filters', async () => {
    const r = await conform('GET', `${api2010(h)}/AvailablePhoneNumbers/US/Local.json?AreaCode=415&SmsEnabled=true&VoiceEnabled=true&PageSize=5`, 200);
    const list = body(r).available_phone_numbers as { phone_number: string; capabilities: Record<string, boolean>; latitude: string; locality: string }[];
    expect(list).toHaveLength(5);
    for (const n of list) {
      expect(n.phone_number).toMatch(/^\+1415/);
      expect(n.capabilities).toEqual({ MMS: true, SMS: true, voice: true });
      expect(typeof n.latitude).toBe('string');
      expect(n.locality).toBe('San Francisco');
      expect(h.state.twilio.findByPhone(n.phone_number)).toBeUndefined();
    }
  });

  it('searches toll-free numbers with Contains and unknown countries are 404', async () => {
    const r = await conform('GET', `${api2010(h)}/AvailablePhoneNumbers/US/TollFree.json?Contains=888&PageSize=3`, 200);
    const list = body(r).available_phone_numbers as { phone_number: string; capabilities: Record<string, boolean> }[];
    expect(list).toHaveLength(3);
    for (const n of list) expect(n.phone_number).toContain('888');
    expect(list[0]?.capabilities).toEqual({ MMS: false, SMS: true, voice: true });
    await conform('GET', `${api2010(h)}/AvailablePhoneNumbers/ZZ/Local.json`, 404);
    await conform('GET', `${api2010(h)}/AvailablePhoneNumbers/US/Local.json?AreaCode=41`, 400);
  });
});

describe('Api 2010 SIP credential lists', () => {
  it('lists, fetches and creates lists and credentials without ever returning passwords', async () => {
    const lists = await conform('GET', `${api2010(h)}/SIP/CredentialLists.json`, 200);
    const cls = body(lists).credential_lists as { sid: string; friendly_name: string }[];
    expect(cls.map((c) => c.friendly_name).sort()).toEqual(['Retell Backup Credentials', 'Retell Main Credentials']);
    const main = cls.find((c) => c.friendly_name === 'Retell Main Credentials')?.sid as string;
    await conform('GET', `${api2010(h)}/SIP/CredentialLists/${main}.json`, 200);
    const creds = await conform('GET', `${api2010(h)}/SIP/CredentialLists/${main}/Credentials.json`, 200);
    const cr = (body(creds).credentials as { sid: string; username: string }[])[0];
    expect(cr?.username).toBe('retell_user');
    expect(creds.text).not.toMatch(/password/i);
    await conform('GET', `${api2010(h)}/SIP/CredentialLists/${main}/Credentials/${cr?.sid}.json`, 200);
    const created = await conform('POST', `${api2010(h)}/SIP/CredentialLists.json`, 201, { form: { FriendlyName: 'contract list' } });
    const newCr = await conform('POST', `${api2010(h)}/SIP/CredentialLists/${body(created).sid as string}/Credentials.json`, 201, { form: { Username: 'contract_user', Password: 'Contract-Passw0rd' } });
    expect(newCr.text).not.toContain('Contract-Passw0rd');
    await conform('POST', `${api2010(h)}/SIP/CredentialLists/${body(created).sid as string}/Credentials.json`, 400, { form: { Username: 'weak', Password: 'short' } });
    await conform('GET', `${api2010(h)}/SIP/CredentialLists/CL${'0'.repeat(32)}.json`, 404);
  });
});

describe('Trunking v1', () => {
  it('lists and fetches trunks with absolute meta URLs on trunking.twilio.com', async () => {
    const r = await conform('GET', '/twilio/v1/Trunks', 200);
    expect(body(r).meta).toMatchObject({ key: 'trunks', page: 0, page_size: 50, next_page_url: null, url: 'https://trunking.twilio.com/v1/Trunks?PageSize=50&Page=0' });
    const t = await conform('GET', `/twilio/v1/Trunks/${trunkSid('acme-main.pstn.twilio.com')}`, 200);
    expect(body(t)).toMatchObject({ domain_name: 'acme-main.pstn.twilio.com', friendly_name: 'Main Retell Trunk', auth_type_set: ['CREDENTIAL_LIST'] });
    await conform('GET', `/twilio/v1/Trunks/TK${'0'.repeat(32)}`, 404);
  });

  it('pages trunk phone numbers, attaches (201) and detaches (204)', async () => {
    const tk = trunkSid('acme-backup.pstn.twilio.com');
    const page = await conform('GET', `/twilio/v1/Trunks/${tk}/PhoneNumbers?PageSize=3`, 200);
    const meta = body(page).meta as Record<string, string>;
    expect(meta.next_page_url).toMatch(new RegExp(`^https://trunking\\.twilio\\.com/v1/Trunks/${tk}/PhoneNumbers\\?PageSize=3&Page=1&PageToken=PAPN`));
    const first = (body(page).phone_numbers as { links: { phone_number: string }; date_created: string; url: string }[])[0];
    expect(first?.links.phone_number).toMatch(/^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/);
    expect(first?.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await conform('GET', `/twilio${new URL(meta.next_page_url as string).pathname}${new URL(meta.next_page_url as string).search}`, 200);

    const parked = pn('+16505550194');
    const attached = await conform('POST', `/twilio/v1/Trunks/${tk}/PhoneNumbers`, 201, { form: { PhoneNumberSid: parked } });
    expect(body(attached)).toMatchObject({ sid: parked, trunk_sid: tk, phone_number: '+16505550194' });
    expect(h.state.twilio.numbers.get(parked)?.trunkSid).toBe(tk);
    await conform('GET', `/twilio/v1/Trunks/${tk}/PhoneNumbers/${parked}`, 200);
    const again = await conform('POST', `/twilio/v1/Trunks/${tk}/PhoneNumbers`, 409, { form: { PhoneNumberSid: parked } });
    expect(body(again).status).toBe(409);
    await conform('DELETE', `/twilio/v1/Trunks/${tk}/PhoneNumbers/${parked}`, 204);
    expect(h.state.twilio.numbers.get(parked)?.trunkSid).toBeNull();
    await conform('DELETE', `/twilio/v1/Trunks/${tk}/PhoneNumbers/${parked}`, 404);
    await conform('POST', `/twilio/v1/Trunks/${tk}/PhoneNumbers`, 400, { form: {} });
  });

  it('lists and creates origination URLs and credential lists', async () => {
    const tk = trunkSid('acme-main.pstn.twilio.com');
    const ou = await conform('GET', `/twilio/v1/Trunks/${tk}/OriginationUrls`, 200);
    expect((body(ou).origination_urls as { sip_url: string }[])[0]?.sip_url).toMatch(/^sip:.*sip\.retellai\.com$/);
    await conform('POST', `/twilio/v1/Trunks/${tk}/OriginationUrls`, 201, { form: { Weight: '10', Priority: '20', Enabled: 'true', FriendlyName: 'contract', SipUrl: 'sip:contract.sip.retellai.com' } });
    await conform('POST', `/twilio/v1/Trunks/${tk}/OriginationUrls`, 400, { form: { Weight: '10' } });
    const cl = await conform('GET', `/twilio/v1/Trunks/${tk}/CredentialLists`, 200);
    expect((body(cl).credential_lists as { friendly_name: string }[]).map((c) => c.friendly_name)).toEqual(['Retell Main Credentials']);
    const backupCl = [...h.state.twilio.credentialLists.values()].find((c) => c.friendlyName === 'Retell Backup Credentials')?.sid as string;
    await conform('POST', `/twilio/v1/Trunks/${tk}/CredentialLists`, 201, { form: { CredentialListSid: backupCl } });
    await conform('POST', `/twilio/v1/Trunks/${tk}/CredentialLists`, 400, { form: { CredentialListSid: backupCl } });
  });

  it('rejects bad credentials', async () => {
    await conform('GET', '/twilio/v1/Trunks', 401, { auth: basicAuth('ACnope', 'nope') });
  });
});

describe('large pages', () => {
  it('serves PageSize=1000 pages of a generated account that validate', async () => {
    const big = await startSandbox({ scenario: generateScenario({ numbers: 1500, trunks: 1 }) });
    try {
      const r = await call(big, 'GET', `${api2010(big)}/IncomingPhoneNumbers.json?PageSize=1000`, { auth: twilioAuth(big) });
      expect(r.status).toBe(200);
      expect(checkResponse('GET', `${api2010(big)}/IncomingPhoneNumbers.json`, 200, r.body).errors).toEqual([]);
      expect((r.body as { incoming_phone_numbers: unknown[] }).incoming_phone_numbers).toHaveLength(1000);
    } finally {
      await big.close();
    }
  });
});
