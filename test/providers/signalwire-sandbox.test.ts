import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import type { Env } from '../../src/providers/entry.js';
import { isNotFound } from '../../src/providers/errors.js';
import type { ProviderOptions } from '../../src/providers/types.js';
import { signalwireCarrier } from '../../src/providers/signalwire/entry.js';
import { envSnippet, generateScenario, startSandbox, workspacesSnippet, type SandboxHandle } from '../../src/sandbox/index.js';
import { everythingIn, fastOptions, requestsTo } from './helpers.js';

const IPN = /^\/signalwire\/api\/laml\/2010-04-01\/Accounts\/[0-9a-f-]{36}\/IncomingPhoneNumbers\.json$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The signalwire section and environment the sandbox prints, resolved by the registry entry as phone-dir does. */
function signalwireFrom(sb: SandboxHandle, options: ProviderOptions, over: { section?: Record<string, unknown>; env?: Env } = {}) {
  const section = { ...(workspacesSnippet(sb).signalwire as Record<string, unknown>), ...over.section };
  const env: Env = { ...envSnippet(sb), PHONE_DIR_SIGNALWIRE_BASE_URL: undefined, ...over.env };
  return signalwireCarrier.create(signalwireCarrier.resolveCredentials(section, 'signalwire', 'workspaces.json', env), options);
}

/** No trunk, SIP or Trunking request ever reached the sandbox. */
function expectNoTrunkRequests(sb: SandboxHandle): void {
  expect(sb.requests().filter((r) => /\/(v1\/Trunks|SIP\/)/.test(r.path) || r.path.startsWith('/twilio/'))).toEqual([]);
}

describe('signalwire carrier against the sandbox (default scenario)', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  afterEach(() => {
    sb.faults.clear();
    sb.clearRequests();
  });

  it('lists the project\'s numbers in one request under /api/laml, without trunks', async () => {
    const { options, stats } = fastOptions();
    const signalwire = await signalwireFrom(sb, options);
    expect(signalwire.name).toBe('signalwire');
    expect(signalwire.capabilities).toEqual({ trunks: false });
    expect(signalwire.trunks).toBeUndefined();
    const pages: string[] = [];
    const snap = await signalwire.fetchSnapshot((p) => pages.push(`${p.provider}:${p.what}#${p.page}:${p.items}`));
    expect(snap.carrier).toBe('signalwire');
    expect(snap.numbers.map((n) => n.phone_number)).toEqual(Array.from({ length: 12 }, (_, i) => `+1628555${String(100 + i).padStart(4, '0')}`));
    for (const n of snap.numbers) {
      expect(n.sid).toMatch(UUID);
      expect(n).toMatchObject({ trunk_sid: null, voice_url: null, sms_url: null, type: 'local' });
      expect(n.capabilities.voice).toBe(true);
      expect(n.date_created).toMatch(/^2024-03-\d\dT10:00:00Z$/);
    }
    expect(snap.numbers[0]!.friendly_name).toBe('SW Main Line');
    expect(snap).toMatchObject({ trunks: [], credential_lists: [] });
    expect(pages).toEqual(['signalwire:incoming phone numbers#1:12']);
    const log = sb.requests();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', status: 200, query: { PageSize: '1000' } });
    expect(log[0]!.path).toMatch(IPN);
    expect(log[0]!.path).toContain(sb.credentials.signalwire!.projectId);
    expect(stats.requests).toBe(1);
    expect(stats.byProvider).toEqual({ signalwire: 1 });
  });

  it('hands the project id and API token to a platform that imports through the carrier\'s API', async () => {
    const signalwire = await signalwireFrom(sb, fastOptions().options);
    const { projectId, apiToken } = sb.credentials.signalwire!;
    expect(signalwire.apiCredentials()).toEqual({ carrier: 'signalwire', accountSid: projectId, authToken: apiToken });
  });

  it('searches, buys, renames and releases, one POST per purchase and no trunk request ever', async () => {
    const signalwire = await signalwireFrom(sb, fastOptions().options);
    const found = await signalwire.searchAvailable({ country: 'US', areaCode: 628, limit: 3, voice: true });
    expect(found).toHaveLength(3);
    expect(found.every((n) => n.phone_number.startsWith('+1628') && n.capabilities.voice)).toBe(true);
    // The project's own numbers are not for sale.
    expect(found.map((n) => n.phone_number)).not.toContain('+16285550100');
    const tollFree = await signalwire.searchAvailable({ country: 'US', tollFree: true, limit: 2 });
    expect(tollFree.every((n) => /^\+18(00|33|44|55|66|77|88)/.test(n.phone_number))).toBe(true);

    const phone = found[0]!.phone_number;
    const bought = await signalwire.purchase({ phoneNumber: phone, friendlyName: 'phone-dir test' });
    expect(bought).toMatchObject({ phone_number: phone, friendly_name: 'phone-dir test', trunk_sid: null });
    expect(bought.sid).toMatch(UUID);
    expect(await signalwire.findNumber(phone)).toEqual(bought);
    expect(sb.state.signalwire!.account.numbers.get(bought.sid)?.origin).toBe('signalwire');

    const renamed = await signalwire.updateNumber(bought.sid, { friendlyName: 'renamed', voiceUrl: 'https://example.com/voice' });
    expect(renamed).toMatchObject({ friendly_name: 'renamed', voice_url: 'https://example.com/voice' });
    expect(await signalwire.release(bought.sid)).toBe(true);
    expect(await signalwire.release(bought.sid)).toBe(false);
    expect(await signalwire.findNumber(phone)).toBeNull();

    const purchases = requestsTo(sb, 'POST', IPN);
    expect(purchases).toHaveLength(1);
    expect(purchases[0]!.body).toMatchObject({ PhoneNumber: phone, FriendlyName: 'phone-dir test' });
    await expect(signalwire.purchase({ phoneNumber: found[1]!.phone_number, trunkSid: 'TK00000000000000000000000000000000' })).rejects.toThrow(/signalwire has no trunks/);
    expect(requestsTo(sb, 'POST', IPN)).toHaveLength(1);
    expectNoTrunkRequests(sb);
  });

  it('never sends a purchase twice: after a 500 it looks the number up once and fails', async () => {
    sb.faults.add({ match: 'POST /signalwire/api/laml/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 500 });
    const signalwire = await signalwireFrom(sb, fastOptions().options);
    const [candidate] = await signalwire.searchAvailable({ country: 'US', areaCode: 628, limit: 1 });
    const err = await signalwire.purchase({ phoneNumber: candidate!.phone_number }).catch((e: unknown) => e);
    expect(err).toMatchObject({ provider: 'signalwire', status: 500 });
    expect((err as Error).message).toMatch(/^signalwire: buying \+1628\d+ failed: 500/);
    expect(requestsTo(sb, 'POST', IPN)).toHaveLength(1);
    expect(requestsTo(sb, 'GET', IPN).map((r) => r.query.PhoneNumber)).toEqual([candidate!.phone_number]);
  });

  it('returns the number when a purchase that timed out did land', async () => {
    // Processed after 400 ms, long after the client gave up (150 ms); the first lookup answers 503 (Retry-After 0.6 s).
    sb.faults.add({ match: 'POST /signalwire/api/laml/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', latency_ms: 400, times: 1 });
    sb.faults.add({ match: 'GET /signalwire/api/laml/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 503, retry_after: 0.6, times: 1 });
    const signalwire = await signalwireFrom(sb, fastOptions({ timeoutMs: 150, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }).options);
    const [candidate] = await signalwire.searchAvailable({ country: 'US', areaCode: 628, limit: 1 });
    const bought = await signalwire.purchase({ phoneNumber: candidate!.phone_number });
    expect(bought.phone_number).toBe(candidate!.phone_number);
    expect(requestsTo(sb, 'POST', IPN)).toHaveLength(1);
    expect(await signalwire.release(bought.sid)).toBe(true);
  });

  it('a wrong API token: 401, once, naming SIGNALWIRE_API_TOKEN and never a token', async () => {
    const wrong = 'PTwrong-token-0123456789abcdef';
    const { options } = fastOptions();
    const signalwire = await signalwireFrom(sb, options, { env: { SIGNALWIRE_API_TOKEN: wrong } });
    const err = await signalwire.fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'signalwire', status: 401, exitCode: 5 });
    expect((err as Error).message).toMatch(
      /^signalwire: listing incoming phone numbers failed: 401 Unauthorized \[unauthorized\] \(check SIGNALWIRE_API_TOKEN \/ SIGNALWIRE_PROJECT_ID \/ the signalwire section of workspaces\.json\)$/,
    );
    const { projectId, apiToken } = sb.credentials.signalwire!;
    const all = everythingIn(err);
    for (const secret of [wrong, apiToken, Buffer.from(`${projectId}:${wrong}`).toString('base64')]) expect(all).not.toContain(secret);
    expect(sb.requests()).toHaveLength(1);
    expect(sb.requests()[0]!.status).toBe(401);
  });

  it('retries a 429 (Retry-After honoured) and a 503, counted under signalwire', async () => {
    sb.faults.add({ service: 'signalwire', match: 'GET /signalwire/api/laml/2010-04-01/Accounts/*/IncomingPhoneNumbers.json', status: 429, retry_after: 2, times: 1 });
    sb.faults.add({ service: 'signalwire', match: 'GET /signalwire/**', status: 503, times: 1 });
    const { options, delays, retries, stats } = fastOptions();
    const snap = await (await signalwireFrom(sb, options)).fetchSnapshot();
    expect(snap.numbers).toHaveLength(12);
    expect(delays[0]).toBe(2000);
    expect(retries.map((r) => [r.provider, r.operation, r.status])).toEqual([
      ['signalwire', 'listing incoming phone numbers', 429],
      ['signalwire', 'listing incoming phone numbers', 503],
    ]);
    expect(stats).toMatchObject({ requests: 3, retries: 2, byProvider: { signalwire: 3 } });
    expect(sb.requests().map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it('gives up after the bounded attempts on a 500 that does not end', async () => {
    sb.faults.add({ match: 'GET /signalwire/**', status: 500 });
    const err = await (await signalwireFrom(sb, fastOptions({ maxAttempts: 3 }).options)).fetchSnapshot().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^signalwire: listing incoming phone numbers failed after 3 attempts: 500 /);
    expect(sb.requests()).toHaveLength(3);
  });

  it('an unknown number SID is a recognisable 404', async () => {
    const signalwire = await signalwireFrom(sb, fastOptions().options);
    const err = await signalwire.updateNumber('00000000-0000-4000-8000-000000000000', { friendlyName: 'x' }).catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect(err).toMatchObject({ provider: 'signalwire', status: 404 });
  });

  it('PHONE_DIR_SIGNALWIRE_BASE_URL replaces the section\'s base_url', async () => {
    const signalwire = await signalwireFrom(sb, fastOptions().options, {
      section: { base_url: 'http://127.0.0.1:9/nothing-listens-here' },
      env: { PHONE_DIR_SIGNALWIRE_BASE_URL: sb.signalwireBaseUrl },
    });
    expect((await signalwire.fetchSnapshot()).numbers).toHaveLength(12);
    expect(sb.requests()).toHaveLength(1);
  });

  it('without PHONE_DIR_SIGNALWIRE_BASE_URL the section\'s base_url is used', async () => {
    const dead = await signalwireFrom(sb, fastOptions({ maxAttempts: 1 }).options, { section: { base_url: 'http://127.0.0.1:9/nothing-listens-here' } });
    const err = await dead.fetchSnapshot().catch((e: unknown) => e);
    expect(err).toMatchObject({ provider: 'signalwire' });
    expect((err as Error).message).toMatch(/^signalwire: listing incoming phone numbers failed: connection/);
    expect(sb.requests()).toHaveLength(0);
  });
});

describe('signalwire carrier: a project of 250 numbers, page size 100', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: generateScenario({ numbers: 5, workspaces: ['staging'], signalwireNumbers: 250 }) });
  });
  afterAll(() => sb.close());

  it('follows next_page_uri (under /api/laml) across page boundaries: 3 requests', async () => {
    const { options, stats } = fastOptions({ pageSize: 100 });
    const pages: number[] = [];
    const snap = await (await signalwireFrom(sb, options)).fetchSnapshot((p) => pages.push(p.items));
    expect(snap.numbers).toHaveLength(250);
    expect(new Set(snap.numbers.map((n) => n.phone_number)).size).toBe(250);
    expect(snap.numbers.map((n) => n.phone_number)).toEqual([...snap.numbers.map((n) => n.phone_number)].sort());
    expect(pages).toEqual([100, 100, 50]);
    const log = sb.requests();
    expect(log).toHaveLength(3);
    expect(stats.requests).toBe(3);
    expect(log.every((r) => IPN.test(r.path) && r.status === 200 && r.query.PageSize === '100')).toBe(true);
    expect(log.map((r) => r.query.Page)).toEqual([undefined, '1', '2']);
    expect(log.slice(1).every((r) => r.query.PageToken?.startsWith('PA'))).toBe(true);
    expectNoTrunkRequests(sb);
  });
});
