import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import { isNotFound } from '../../src/providers/errors.js';
import { defaultScenario, generateScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { createTwilio, everythingIn, fastOptions, requestsTo, twilioCreds } from './helpers.js';

const IPN = /^\/twilio\/2010-04-01\/Accounts\/AC\w+\/IncomingPhoneNumbers\.json$/;

describe('twilio provider against the sandbox (default scenario)', () => {
  const scenario = defaultScenario();
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ scenario });
  });
  afterAll(() => sb.close());
  afterEach(() => {
    sb.faults.clear();
    sb.clearRequests();
  });

  it('fetches the whole account with one request per list page', async () => {
    const { options, stats } = fastOptions();
    const twilio = await createTwilio(twilioCreds(sb), options);
    const pages: string[] = [];
    const snap = await twilio.fetchSnapshot((p) => pages.push(`${p.what}#${p.page}`));

    const t = scenario.twilio;
    expect(snap.carrier).toBe('twilio');
    expect(twilio.capabilities).toEqual({ trunks: true });
    expect(snap.numbers).toHaveLength(t.incoming_phone_numbers!.length);
    expect(snap.trunks).toHaveLength(t.trunks!.length);
    expect(snap.credential_lists).toHaveLength(t.credential_lists!.length);

    // Sorted, mapped, consistent.
    expect(snap.numbers.map((n) => n.phone_number)).toEqual([...snap.numbers.map((n) => n.phone_number)].sort());
    for (const n of snap.numbers) {
      expect(n.sid).toMatch(/^PN[0-9a-f]{32}$/);
      expect(n.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(n.voice_url === null || n.voice_url.length > 0).toBe(true);
      expect(n.sms_url === null || n.sms_url.length > 0).toBe(true);
    }
    const types = new Set(snap.numbers.map((n) => n.type));
    expect(types).toEqual(new Set(['local', 'toll-free', 'mobile']));
    const ivr = snap.numbers.find((n) => n.friendly_name === 'Legacy IVR')!;
    expect(ivr).toMatchObject({ trunk_sid: null, voice_url: 'https://hooks.acme.example/twilio/voice/ivr', sms_url: 'https://hooks.acme.example/twilio/sms' });

    for (const trunk of snap.trunks) {
      const onTrunk = snap.numbers.filter((n) => n.trunk_sid === trunk.sid).map((n) => ({ sid: n.sid, phone_number: n.phone_number }));
      expect(trunk.phone_numbers).toEqual(onTrunk);
      expect(trunk.domain_name).toMatch(/\.pstn\.twilio\.com$/);
      expect(trunk.origination_urls.length).toBeGreaterThan(0);
      expect(trunk.credential_list_sids.length).toBeGreaterThan(0);
      expect(trunk.auth_type).toBe('CREDENTIAL_LIST');
      expect(trunk.date_created).not.toBeNull();
    }
    expect(snap.credential_lists.flatMap((c) => c.usernames).sort()).toEqual(
      t.credential_lists!.flatMap((c) => (c.credentials ?? []).map((x) => x.username)).sort(),
    );
    const passwords = t.credential_lists!.flatMap((c) => (c.credentials ?? []).map((x) => x.password));
    for (const pw of passwords) expect(JSON.stringify(snap)).not.toContain(pw);

    // Requests grow with lists, not numbers: numbers + trunks + 3 per trunk + credential lists + 1 per list.
    const expected = 1 + 1 + 3 * snap.trunks.length + 1 + snap.credential_lists.length;
    expect(stats.requests).toBe(expected);
    expect(sb.requests()).toHaveLength(expected);
    expect(sb.requests().every((r) => r.method === 'GET' && r.query.PageSize === '1000')).toBe(true);
    expect(pages).toHaveLength(expected);
  });

  it('follows every page (absolute v1 next_page_url included) with a small page size', async () => {
    const reference = await (await createTwilio(twilioCreds(sb), fastOptions().options)).fetchSnapshot();
    sb.clearRequests();
    const { options, stats } = fastOptions({ pageSize: 4 });
    const snap = await (await createTwilio(twilioCreds(sb), options)).fetchSnapshot();
    expect(snap).toEqual(reference);
    const trunkPages = requestsTo(sb, 'GET', /^\/twilio\/v1\/Trunks\/TK\w+\/PhoneNumbers$/).filter((r) => r.query.PageToken);
    expect(trunkPages.length).toBeGreaterThan(0);
    const numberPages = requestsTo(sb, 'GET', IPN).length;
    expect(numberPages).toBeGreaterThanOrEqual(Math.ceil(reference.numbers.length / 4));
    expect(numberPages).toBeLessThanOrEqual(Math.ceil(reference.numbers.length / 4) + 1);
    expect(stats.requests).toBe(sb.requests().length);
  });

  it('survives a 429 with Retry-After (honoured), a 500 and a dropped connection', async () => {
    sb.faults.add({ match: 'GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 429, retry_after: 2, times: 1 });
    sb.faults.add({ match: 'GET /twilio/v1/Trunks', status: 500, times: 1 });
    sb.faults.add({ match: 'GET /twilio/v1/Trunks/*/OriginationUrls', drop: true, times: 1 });
    const { options, delays, retries, stats } = fastOptions();
    const snap = await (await createTwilio(twilioCreds(sb), options)).fetchSnapshot();
    expect(snap.numbers).toHaveLength(scenario.twilio.incoming_phone_numbers!.length);
    expect(delays).toContain(2000);
    expect(retries.map((r) => r.reason).sort()).toEqual(['HTTP 429 (rate limited)', 'HTTP 500', expect.stringMatching(/connection|dropped/)].sort());
    expect(retries.find((r) => r.status === 429)).toMatchObject({ provider: 'twilio', operation: 'listing incoming phone numbers', attempt: 1 });
    expect(stats.retries).toBe(3);
    expect(stats.requests).toBe(sb.requests().length);
  });

  it('caps a long Retry-After', async () => {
    sb.faults.add({ match: 'GET /twilio/v1/Trunks', status: 429, retry_after: 3600, times: 1 });
    const { options, delays } = fastOptions({ maxRetryAfterMs: 1234 });
    await (await createTwilio(twilioCreds(sb), options)).fetchSnapshot();
    expect(delays).toEqual([1234]);
  });

  it('gives up after the bounded attempts with a ProviderError naming operation and status', async () => {
    sb.faults.add({ match: 'GET /twilio/v1/Trunks', status: 500 });
    const { options } = fastOptions({ maxAttempts: 3 });
    const err = await (await createTwilio(twilioCreds(sb), options)).fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'twilio', status: 500, exitCode: 5 });
    expect((err as Error).message).toMatch(/^twilio: listing trunks failed after 3 attempts: 500 /);
    expect(requestsTo(sb, 'GET', /^\/twilio\/v1\/Trunks$/)).toHaveLength(3);
  });

  it('rejects a wrong auth token with 401, once, and no secret in the error', async () => {
    const wrong = 'wrong-token-0123456789abcdef';
    const creds = twilioCreds(sb, { password: wrong, hint: 'TWILIO_AUTH_TOKEN / the twilio section of workspaces.json' });
    const { options } = fastOptions();
    const err = await (await createTwilio(creds, options)).findNumber('+14155550101').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 401 });
    expect((err as Error).message).toMatch(/^twilio: looking up \+14155550101 failed: 401 .*\(check TWILIO_AUTH_TOKEN \/ the twilio section of workspaces\.json\)$/);
    const all = everythingIn(err);
    for (const secret of [wrong, sb.credentials.twilio.authToken, Buffer.from(`${creds.accountSid}:${wrong}`).toString('base64')]) expect(all).not.toContain(secret);
    expect(sb.requests()).toHaveLength(1);
  });

  it('authenticates with an API key (SK… / secret) too', async () => {
    const { apiKeySid, apiKeySecret } = sb.credentials.twilio;
    if (!apiKeySid || !apiKeySecret) return;
    const twilio = await createTwilio(twilioCreds(sb, { username: apiKeySid, password: apiKeySecret }), fastOptions().options);
    expect(await twilio.findNumber('+14155550101')).toMatchObject({ phone_number: '+14155550101' });
    expect(twilio.apiCredentials()).toEqual({ carrier: 'twilio', accountSid: sb.credentials.twilio.accountSid, apiKey: apiKeySid, apiSecret: apiKeySecret });
  });

  it('hands its API credentials (account SID and auth token) to a platform that imports through them', async () => {
    const twilio = await createTwilio(twilioCreds(sb), fastOptions().options);
    const { accountSid, authToken } = sb.credentials.twilio;
    expect(twilio.apiCredentials()).toEqual({ carrier: 'twilio', accountSid, authToken });
    expect(sb.requests()).toHaveLength(0);
  });

  it('finds a number with one filtered request, null when absent', async () => {
    const twilio = await createTwilio(twilioCreds(sb), fastOptions().options);
    expect(await twilio.findNumber('+14155550101')).toMatchObject({ phone_number: '+14155550101', type: 'local' });
    expect(await twilio.findNumber('+19998887777')).toBeNull();
    const lookups = requestsTo(sb, 'GET', IPN);
    expect(lookups.map((r) => r.query.PhoneNumber)).toEqual(['+14155550101', '+19998887777']);
  });

  it('searches, buys, attaches, updates, detaches and releases', async () => {
    const twilio = await createTwilio(twilioCreds(sb), fastOptions().options);
    const trunkSid = scenario.twilio.trunks![0]!.sid!;

    const found = await twilio.searchAvailable({ country: 'US', areaCode: 415, limit: 3, voice: true });
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(3);
    expect(found[0]!.capabilities.voice).toBe(true);
    const tollFree = await twilio.searchAvailable({ country: 'US', tollFree: true, limit: 2 });
    expect(tollFree.every((n) => /^\+1(800|833|844|855|866|877|888)/.test(n.phone_number))).toBe(true);

    const phone = found[0]!.phone_number;
    const bought = await twilio.purchase({ phoneNumber: phone, friendlyName: 'phone-dir test' });
    expect(bought).toMatchObject({ phone_number: phone, friendly_name: 'phone-dir test', trunk_sid: null });
    expect(bought.sid).toMatch(/^PN/);
    expect(bought.date_created).not.toBeNull();

    await twilio.trunks!.attach(trunkSid, bought.sid);
    await twilio.trunks!.attach(trunkSid, bought.sid); // again: already there → done
    const trunk = await twilio.trunks!.fetchTrunk(trunkSid);
    expect(trunk!.phone_numbers).toContainEqual({ sid: bought.sid, phone_number: phone });
    expect((await twilio.findNumber(phone))!.trunk_sid).toBe(trunkSid);

    const renamed = await twilio.updateNumber(bought.sid, { friendlyName: 'renamed', smsUrl: 'https://example.com/sms' });
    expect(renamed).toMatchObject({ friendly_name: 'renamed', sms_url: 'https://example.com/sms' });

    expect(await twilio.trunks!.detach(trunkSid, bought.sid)).toBe(true);
    expect(await twilio.trunks!.detach(trunkSid, bought.sid)).toBe(false);
    expect((await twilio.trunks!.fetchTrunk(trunkSid))!.phone_numbers.map((p) => p.sid)).not.toContain(bought.sid);

    expect(await twilio.release(bought.sid)).toBe(true);
    expect(await twilio.release(bought.sid)).toBe(false);
    expect(await twilio.findNumber(phone)).toBeNull();
    expect(await twilio.trunks!.fetchTrunk('TK00000000000000000000000000000000')).toBeNull();

    const purchases = requestsTo(sb, 'POST', IPN);
    expect(purchases).toHaveLength(1);
    expect(purchases[0]!.body).toMatchObject({ PhoneNumber: phone, FriendlyName: 'phone-dir test' });
  });

  it('does not retry a purchase after a 500 (one POST), checks, and fails', async () => {
    sb.faults.add({ match: 'POST /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 500 });
    const twilio = await createTwilio(twilioCreds(sb), fastOptions().options);
    const [candidate] = await twilio.searchAvailable({ country: 'US', areaCode: 650, limit: 1 });
    const err = await twilio.purchase({ phoneNumber: candidate!.phone_number }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 500 });
    expect((err as Error).message).toMatch(/^twilio: buying \+1650\d+ failed: 500/);
    expect(requestsTo(sb, 'POST', IPN)).toHaveLength(1);
    expect(requestsTo(sb, 'GET', IPN).map((r) => r.query.PhoneNumber)).toEqual([candidate!.phone_number]);
  });

  it('returns the number when a purchase that timed out did land', async () => {
    // The POST is processed after 400 ms, long after the client gave up (150 ms); the first lookup
    // answers 503 with Retry-After 0.6 s, so the second one sees the finished purchase.
    sb.faults.add({ match: 'POST /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', latency_ms: 400, times: 1 });
    sb.faults.add({ match: 'GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 503, retry_after: 0.6, times: 1 });
    const { options } = fastOptions({ timeoutMs: 150, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    const twilio = await createTwilio(twilioCreds(sb), options);
    const [candidate] = await twilio.searchAvailable({ country: 'US', areaCode: 212, limit: 1 });
    const bought = await twilio.purchase({ phoneNumber: candidate!.phone_number });
    expect(bought.phone_number).toBe(candidate!.phone_number);
    expect(requestsTo(sb, 'POST', IPN)).toHaveLength(1);
    await twilio.release(bought.sid);
  });

  it('404 on a specific resource is recognisable', async () => {
    const twilio = await createTwilio(twilioCreds(sb), fastOptions().options);
    const err = await twilio.updateNumber('PN00000000000000000000000000000000', { friendlyName: 'x' }).catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect(err).toMatchObject({ status: 404, exitCode: 5 });
  });
});

describe('twilio provider: base URL with a path prefix', () => {
  let sb: SandboxHandle;
  let proxy: Server;
  const seen: string[] = [];
  beforeAll(async () => {
    sb = await startSandbox({ scenario: generateScenario({ numbers: 60, workspaces: ['staging'] }) });
    const target = new URL(sb.url);
    // A carrier-style API living under /carrier/api/laml: forwards to the sandbox's /twilio.
    proxy = createServer((req, res) => {
      seen.push(req.url ?? '');
      const path = (req.url ?? '').replace(/^\/carrier\/api\/laml/, '/twilio');
      const fwd = httpRequest({ host: target.hostname, port: target.port, path, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(fwd);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await sb.close();
  });

  it('keeps the prefix for every request, pagination links included', async () => {
    const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/carrier/api/laml`;
    const twilio = await createTwilio(twilioCreds(sb, { baseUrl: base }), fastOptions({ pageSize: 10 }).options);
    const snap = await twilio.fetchSnapshot();
    expect(snap.numbers).toHaveLength(60);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((u) => u.startsWith('/carrier/api/laml/2010-04-01/') || u.startsWith('/carrier/api/laml/v1/Trunks'))).toBe(true);
    expect(seen.some((u) => u.startsWith('/carrier/api/laml/v1/Trunks/') && u.includes('PageToken='))).toBe(true);
    expect(seen.some((u) => u.startsWith('/carrier/api/laml/2010-04-01/') && u.includes('PageToken='))).toBe(true);
  });
});
