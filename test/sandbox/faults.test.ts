import { APIConnectionError, InternalServerError, RateLimitError } from 'retell-sdk';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { api2010, call, elapsed, rejection, retellClient, twilioAuth, twilioClient } from './helpers.js';

const LIST = 'GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json';

let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => h.close());
afterEach(() => {
  h.faults.clear();
  h.faults.setLatency(0);
  h.clearRequests();
});

describe('429 with Retry-After', () => {
  it('retell-sdk waits Retry-After seconds and then succeeds', async () => {
    h.faults.add({ match: 'GET /retell/v2/list-phone-numbers', status: 429, retry_after: 1, times: 1 });
    const { ms, value } = await elapsed(() => retellClient(h, 'staging', { maxRetries: 1 }).phoneNumber.list({ limit: 1 }));
    expect(value.items).toHaveLength(1);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(h.requests().map((e) => e.status)).toEqual([429, 200]);
    expect(h.requests()[0]?.fault).toMatch(/^f\d+$/);
  });

  it('twilio surfaces 429 as RestException 20429 and autoRetry retries it', async () => {
    h.faults.add({ match: LIST, status: 429, retry_after: 1, times: 2 });
    const raw = await call(h, 'GET', `${api2010(h)}/IncomingPhoneNumbers.json`, { auth: twilioAuth(h) });
    expect([raw.status, raw.headers.get('retry-after')]).toEqual([429, '1']);
    const e = (await rejection(twilioClient(h).incomingPhoneNumbers.list({ limit: 1 }))) as InstanceType<typeof twilio.RestException>;
    expect([e.status, e.code]).toEqual([429, 20429]);
    expect(h.faults.list()).toHaveLength(0);
    h.faults.add({ match: LIST, status: 429, times: 2 });
    const ok = await twilioClient(h, { autoRetry: true }).incomingPhoneNumbers.list({ limit: 1 });
    expect(ok).toHaveLength(1);
    expect(h.requests().slice(-3).map((x) => x.status)).toEqual([429, 429, 200]);
  });
});

describe('5xx', () => {
  it('twilio does not retry a 503 even with autoRetry', async () => {
    h.faults.add({ match: LIST, status: 503, times: 1 });
    const e = (await rejection(twilioClient(h, { autoRetry: true }).incomingPhoneNumbers.list({ limit: 1 }))) as InstanceType<typeof twilio.RestException>;
    expect([e.status, e.code]).toEqual([503, 20503]);
    expect(h.requests()).toHaveLength(1);
  });

  it('retell-sdk retries 500s; `times` stops the fault after N matches', async () => {
    const fault = h.faults.add({ service: 'retell', status: 500, times: 2 });
    const r = await retellClient(h, 'staging', { maxRetries: 2 }).phoneNumber.retrieve('+14155550101');
    expect(r.phone_number).toBe('+14155550101');
    expect(h.requests().map((e) => [e.status, e.fault])).toEqual([[500, fault.id], [500, fault.id], [200, undefined]]);
    expect(h.faults.list()).toEqual([]);
    h.faults.add({ service: 'retell', status: 502 });
    expect(await rejection(retellClient(h).phoneNumber.retrieve('+14155550101'))).toBeInstanceOf(InternalServerError);
    expect(await rejection(retellClient(h).agent.list())).toBeInstanceOf(InternalServerError);
    expect(h.faults.list()[0]).toMatchObject({ hits: 2, remaining: null });
  });

  it('matches by method and path glob only', async () => {
    h.faults.add({ match: 'POST /retell/**', status: 429 });
    await retellClient(h).phoneNumber.list();
    expect(await rejection(retellClient(h).agent.list())).toBeInstanceOf(RateLimitError);
    h.faults.clear();
    h.faults.add({ match: '/twilio/v1/Trunks/*/PhoneNumbers', status: 500 });
    await twilioClient(h).trunking.v1.trunks.list();
    const tk = [...h.state.twilio.trunks.keys()][0] as string;
    expect(await rejection(twilioClient(h).trunking.v1.trunks(tk).phoneNumbers.list())).toBeInstanceOf(twilio.RestException);
  });
});

describe('latency', () => {
  it('delays matching requests by latency_ms and answers normally', async () => {
    h.faults.add({ match: LIST, latency_ms: 200, times: 1 });
    const slow = await elapsed(() => twilioClient(h).incomingPhoneNumbers.list({ limit: 1 }));
    expect(slow.ms).toBeGreaterThanOrEqual(195);
    expect(slow.value).toHaveLength(1);
    const fast = await elapsed(() => twilioClient(h).incomingPhoneNumbers.list({ limit: 1 }));
    expect(fast.ms).toBeLessThan(150);
  });

  it('global latency applies to both services (control endpoint too)', async () => {
    const set = await call(h, 'PUT', '/__sandbox/latency', { json: { latency_ms: 120 } });
    expect(set.body).toEqual({ latency_ms: 120 });
    const tw = await elapsed(() => twilioClient(h).trunking.v1.trunks.list());
    const rt = await elapsed(() => retellClient(h).agent.list());
    expect(Math.min(tw.ms, rt.ms)).toBeGreaterThanOrEqual(115);
    const health = await elapsed(() => call(h, 'GET', '/__sandbox/health'));
    expect(health.ms).toBeLessThan(100);
  });

  it('a client timeout shorter than the latency fails as a timeout', async () => {
    h.faults.add({ service: 'retell', latency_ms: 400, times: 1 });
    const e = await rejection(retellClient(h, 'staging', { timeout: 100, maxRetries: 0 }).phoneNumber.list());
    expect(e).toBeInstanceOf(APIConnectionError);
  });
});

describe('dropped connections', () => {
  it('twilio rejects with a network error, not a RestException', async () => {
    h.faults.add({ match: LIST, drop: true, times: 1 });
    const e = (await rejection(twilioClient(h).incomingPhoneNumbers.list({ limit: 1 }))) as Error & { code?: string };
    expect(e).not.toBeInstanceOf(twilio.RestException);
    expect(e.code ?? e.message).toMatch(/ECONNRESET|socket hang up/i);
    expect(h.requests()[0]).toMatchObject({ status: 0, fault: expect.any(String) });
    expect(await twilioClient(h).incomingPhoneNumbers.list({ limit: 1 })).toHaveLength(1);
  });

  it('retell-sdk raises APIConnectionError, and recovers by retrying', async () => {
    h.faults.add({ service: 'retell', drop: true, times: 1 });
    expect(await rejection(retellClient(h, 'staging', { maxRetries: 0 }).phoneNumber.list())).toBeInstanceOf(APIConnectionError);
    h.faults.add({ service: 'retell', drop: true, times: 1 });
    const ok = await retellClient(h, 'staging', { maxRetries: 1 }).phoneNumber.list({ limit: 2 });
    expect(ok.items).toHaveLength(2);
  });
});

describe('control endpoints and scenario faults', () => {
  it('adds, lists and clears faults over HTTP', async () => {
    const added = await call(h, 'POST', '/__sandbox/faults', { json: { match: LIST, status: 503, times: 2 } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: expect.any(String), status: 503, remaining: 2 });
    await call(h, 'GET', `${api2010(h)}/IncomingPhoneNumbers.json`, { auth: twilioAuth(h) });
    const listed = await call(h, 'GET', '/__sandbox/faults');
    expect(listed.body).toMatchObject({ faults: [{ remaining: 1, hits: 1 }], latency_ms: 0 });
    expect((await call(h, 'DELETE', '/__sandbox/faults')).status).toBe(204);
    expect((await call(h, 'GET', `${api2010(h)}/IncomingPhoneNumbers.json`, { auth: twilioAuth(h) })).status).toBe(200);
    const many = await call(h, 'POST', '/__sandbox/faults', { json: [{ service: 'retell', status: 500 }, { service: 'twilio', latency_ms: 1 }] });
    const ids = (many.body as { faults: { id: string }[] }).faults.map((f) => f.id);
    expect((await call(h, 'DELETE', `/__sandbox/faults/${ids[0]}`)).status).toBe(204);
    expect((await call(h, 'DELETE', `/__sandbox/faults/${ids[0]}`)).status).toBe(404);
    expect(h.faults.list().map((f) => f.id)).toEqual([ids[1]]);
  });

  it('rejects invalid faults with 400', async () => {
    for (const bad of [{ match: 'GET no-slash', status: 500 }, { status: 200 }, { service: 'stripe', status: 500 }, { match: '/twilio/**' }]) {
      const r = await call(h, 'POST', '/__sandbox/faults', { json: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect(() => h.faults.add({ status: 500, times: 0 })).toThrow(/times/);
  });

  it('loads faults from the scenario', async () => {
    const s = defaultScenario();
    s.faults = [{ match: 'GET /retell/v2/list-phone-numbers', status: 503, times: 1 }];
    const withFaults = await startSandbox({ scenario: s });
    try {
      expect(await rejection(retellClient(withFaults).phoneNumber.list())).toBeInstanceOf(InternalServerError);
      expect((await retellClient(withFaults).phoneNumber.list()).items.length).toBeGreaterThan(0);
    } finally {
      await withFaults.close();
    }
  });
});

describe('hold', () => {
  it('answers from the state at arrival and sends the answer only on release', async () => {
    const fault = h.faults.add({ match: LIST, hold: true, times: 1 });
    const pending = twilioClient(h).incomingPhoneNumbers.list({ limit: 1000 });
    await h.faults.whenHeld(fault.id);
    const before = h.state.twilio.numbers.size;
    const first = [...h.state.twilio.numbers.values()][0]!;
    h.state.twilio.numbers.delete(first.sid);
    try {
      h.faults.release(fault.id);
      const listed = await pending;
      expect(listed).toHaveLength(before);
      expect(listed.map((n) => n.phoneNumber)).toContain(first.phoneNumber);
      expect(await twilioClient(h).incomingPhoneNumbers.list({ limit: 1000 })).toHaveLength(before - 1);
    } finally {
      h.state.twilio.numbers.set(first.sid, first);
    }
  });

  it('with commit_after_ms, the fault answers at once and the late run waits for the release', async () => {
    const friendly = 'late rename';
    const first = [...h.state.twilio.numbers.values()][0]!;
    const original = first.friendlyName;
    const fault = h.faults.add({ match: 'POST /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers/*', status: 503, commit_after_ms: 0, hold: true, times: 1 });
    try {
      await expect(twilioClient(h).incomingPhoneNumbers(first.sid).update({ friendlyName: friendly })).rejects.toMatchObject({ status: 503 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(h.state.twilio.numbers.get(first.sid)!.friendlyName).toBe(original);
      h.faults.release(fault.id);
      await expect.poll(() => h.state.twilio.numbers.get(first.sid)!.friendlyName).toBe(friendly);
    } finally {
      h.state.twilio.numbers.get(first.sid)!.friendlyName = original;
    }
  });
});
