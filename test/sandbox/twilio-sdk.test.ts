import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { createRedirectingRequestClient, drain, rejection, twilioClient } from './helpers.js';

describe('real twilio client against the default scenario', () => {
  let h: SandboxHandle;
  beforeAll(async () => {
    h = await startSandbox();
  });
  afterAll(async () => h.close());

  it('lists numbers, trunks, trunk numbers and credential lists', async () => {
    const c = twilioClient(h);
    const numbers = await c.incomingPhoneNumbers.list({ pageSize: 1000 });
    expect(numbers).toHaveLength(30);
    const sf = numbers.find((n) => n.phoneNumber === '+14155550101');
    expect(sf?.dateCreated).toBeInstanceOf(Date);
    expect(sf?.capabilities).toEqual({ voice: true, sms: true, mms: true, fax: false });
    const trunks = await c.trunking.v1.trunks.list();
    expect(trunks.map((t) => t.domainName).sort()).toEqual(['acme-backup.pstn.twilio.com', 'acme-main.pstn.twilio.com']);
    let onTrunks = 0;
    for (const t of trunks) {
      const tn = await c.trunking.v1.trunks(t.sid).phoneNumbers.list({ pageSize: 4 });
      expect(tn.every((n) => n.trunkSid === t.sid && n.links.phone_number?.endsWith(`/IncomingPhoneNumbers/${n.sid}.json`))).toBe(true);
      onTrunks += tn.length;
      const cls = await c.trunking.v1.trunks(t.sid).credentialsLists.list();
      expect(cls).toHaveLength(1);
      const creds = await c.sip.credentialLists(cls[0]?.sid as string).credentials.list();
      expect(creds.map((cr) => cr.username)).toEqual([t.domainName.startsWith('acme-main') ? 'retell_user' : 'retell_backup']);
      const ou = await c.trunking.v1.trunks(t.sid).originationUrls.list();
      expect(ou[0]?.sipUrl).toBe('sip:5t4n6j0wnrl.sip.retellai.com');
    }
    expect(onTrunks).toBe(numbers.filter((n) => n.trunkSid).length);
  });

  it('works with API key credentials (account from the URL)', async () => {
    const numbers = await twilioClient(h, { apiKey: true }).incomingPhoneNumbers.list({ limit: 3 });
    expect(numbers).toHaveLength(3);
  });

  it('purchases, updates, attaches to a trunk and releases', async () => {
    const c = twilioClient(h);
    const [offer] = await c.availablePhoneNumbers('US').local.list({ areaCode: 212, voiceEnabled: true, limit: 1 });
    expect(offer?.phoneNumber).toMatch(/^\+1212555\d{4}$/);
    const bought = await c.incomingPhoneNumbers.create({ phoneNumber: offer?.phoneNumber as string, friendlyName: 'SDK buy' });
    expect(bought).toMatchObject({ phoneNumber: offer?.phoneNumber, friendlyName: 'SDK buy', trunkSid: null, origin: 'twilio' });
    const again = await c.availablePhoneNumbers('US').local.list({ areaCode: 212, limit: 5 });
    expect(again.map((n) => n.phoneNumber)).not.toContain(offer?.phoneNumber);
    const dup = (await rejection(c.incomingPhoneNumbers.create({ phoneNumber: offer?.phoneNumber as string }))) as InstanceType<typeof twilio.RestException>;
    expect(dup).toBeInstanceOf(twilio.RestException);
    expect([dup.status, dup.code]).toEqual([400, 21422]);

    const tk = (await c.trunking.v1.trunks.list()).find((t) => t.friendlyName === 'Main Retell Trunk')?.sid as string;
    const updated = await c.incomingPhoneNumbers(bought.sid).update({ voiceUrl: 'https://example.test/voice', trunkSid: tk });
    expect(updated).toMatchObject({ voiceUrl: 'https://example.test/voice', trunkSid: tk });
    const onTrunk = await c.trunking.v1.trunks(tk).phoneNumbers.list({ pageSize: 1000 });
    expect(onTrunk.map((n) => n.sid)).toContain(bought.sid);
    await c.trunking.v1.trunks(tk).phoneNumbers(bought.sid).remove();
    expect((await c.incomingPhoneNumbers(bought.sid).fetch()).trunkSid).toBeNull();
    await c.trunking.v1.trunks(tk).phoneNumbers.create({ phoneNumberSid: bought.sid });
    expect((await c.incomingPhoneNumbers(bought.sid).fetch()).trunkSid).toBe(tk);

    expect(await c.incomingPhoneNumbers(bought.sid).remove()).toBe(true);
    const gone = (await rejection(c.incomingPhoneNumbers(bought.sid).fetch())) as InstanceType<typeof twilio.RestException>;
    expect([gone.status, gone.code]).toEqual([404, 20404]);
    expect((await c.trunking.v1.trunks(tk).phoneNumbers.list({ pageSize: 1000 })).map((n) => n.sid)).not.toContain(bought.sid);
  });

  it('raises RestException with Twilio status and code for each error class', async () => {
    const wrong = twilio(h.credentials.twilio.accountSid, 'not-the-token', { httpClient: createRedirectingRequestClient(h.twilioBaseUrl) });
    const auth = (await rejection(wrong.incomingPhoneNumbers.list({ limit: 1 }))) as InstanceType<typeof twilio.RestException>;
    expect(auth).toBeInstanceOf(twilio.RestException);
    expect([auth.status, auth.code, auth.message]).toEqual([401, 20003, 'Authenticate']);
    expect(auth.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
    const c = twilioClient(h);
    const tooBig = (await rejection(c.incomingPhoneNumbers.list({ limit: 5000 }))) as InstanceType<typeof twilio.RestException>;
    expect([tooBig.status, tooBig.code]).toEqual([400, 20001]);
    const noTrunk = (await rejection(c.trunking.v1.trunks(`TK${'0'.repeat(32)}`).fetch())) as InstanceType<typeof twilio.RestException>;
    expect([noTrunk.status, noTrunk.code]).toEqual([404, 20404]);
    const noArea = (await rejection(c.incomingPhoneNumbers.create({ areaCode: '41' }))) as InstanceType<typeof twilio.RestException>;
    expect(noArea.status).toBe(400);
  });
});

describe('paging across page boundaries', () => {
  let h: SandboxHandle;
  beforeAll(async () => {
    h = await startSandbox({ scenario: generateScenario({ numbers: 2500, trunks: 1, seed: 7 }) });
  });
  afterAll(async () => h.close());

  it('lists 2,500 numbers in 3 pages of 1000: exact count, no duplicates', async () => {
    h.clearRequests();
    const numbers = await twilioClient(h).incomingPhoneNumbers.list({ pageSize: 1000 });
    expect(numbers).toHaveLength(2500);
    expect(new Set(numbers.map((n) => n.sid)).size).toBe(2500);
    const pages = h.requests().filter((e) => e.path.endsWith('/IncomingPhoneNumbers.json'));
    expect(pages.map((e) => [e.query.Page ?? '0', e.status])).toEqual([['0', 200], ['1', 200], ['2', 200]]);
    expect(pages[1]?.query.PageToken).toMatch(/^PAPN[0-9a-f]{32}$/);
  });

  it('follows the absolute meta.next_page_url of trunk phone numbers', async () => {
    const tk = [...h.state.twilio.trunks.keys()][0] as string;
    const expected = [...h.state.twilio.numbers.values()].filter((n) => n.trunkSid === tk).length;
    expect(expected).toBe(2250);
    h.clearRequests();
    const seen = new Set<string>();
    const c = twilioClient(h);
    await drain((o) =>
      c.trunking.v1.trunks(tk).phoneNumbers.each({ pageSize: 1000, ...o }, (n) => {
        seen.add(n.sid);
      }),
    );
    expect(seen.size).toBe(expected);
    const pages = h.requests();
    expect(pages.map((e) => e.path)).toEqual(Array(3).fill(`/twilio/v1/Trunks/${tk}/PhoneNumbers`));
    expect(pages.map((e) => e.query.Page ?? '0')).toEqual(['0', '1', '2']);
  });

  it('pages with a small PageSize and a PhoneNumber filter', async () => {
    const c = twilioClient(h);
    const all = await c.incomingPhoneNumbers.list({ pageSize: 1000 });
    const prefix = all[0]?.phoneNumber.slice(0, 5) as string;
    const filtered = await c.incomingPhoneNumbers.list({ phoneNumber: prefix, pageSize: 7 });
    expect(filtered.length).toBe(all.filter((n) => n.phoneNumber.startsWith(prefix)).length);
    expect(filtered.length).toBeGreaterThan(7);
  });
});
