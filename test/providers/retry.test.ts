import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  classifyStatus,
  createStats,
  parseRetryAfter,
  RetryPolicy,
  type Outcome,
  type RetryInfo,
  type TransientFailure,
} from '../../src/providers/retry.js';

interface FakeResponse { status: number; headers?: Record<string, string> }

/** A policy with a recording fake clock: no real waiting. */
function policy(options: ConstructorParameters<typeof RetryPolicy>[0] = {}) {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const stats = createStats();
  const p = new RetryPolicy(
    {
      random: () => 0.5,
      now: () => Date.parse('2025-01-01T00:00:00Z'),
      sleep: async (ms) => {
        delays.push(ms);
      },
      onRetry: (info) => retries.push(info),
      ...options,
    },
    stats,
  );
  return { p, delays, retries, stats };
}

/** Inspect for a fake transport that resolves with statuses and rejects with network errors. */
const inspect = (o: Outcome<FakeResponse>): TransientFailure | null =>
  o.ok ? classifyStatus(o.value.status, o.value.headers ?? {}, Date.parse('2025-01-01T00:00:00Z')) : classifyNetworkError(o.error);

function script(steps: (FakeResponse | Error)[]) {
  let i = 0;
  const calls = { n: 0 };
  const fn = async () => {
    calls.n++;
    const step = steps[Math.min(i++, steps.length - 1)]!;
    if (step instanceof Error) throw step;
    return step;
  };
  return { fn, calls };
}

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('RetryPolicy', () => {
  it('honours Retry-After on 429', async () => {
    const { p, delays, retries } = policy();
    const s = script([{ status: 429, headers: { 'Retry-After': '2' } }, { status: 200 }]);
    const res = await p.execute({ provider: 'twilio', operation: 'listing' }, s.fn, inspect);
    expect(res.status).toBe(200);
    expect(s.calls.n).toBe(2);
    expect(delays).toEqual([2000]);
    expect(retries[0]).toMatchObject({ provider: 'twilio', operation: 'listing', attempt: 1, maxAttempts: 4, delayMs: 2000, status: 429 });
  });

  it('caps a long Retry-After', async () => {
    const { p, delays } = policy({ maxRetryAfterMs: 1500 });
    const s = script([{ status: 429, headers: { 'retry-after': '3600' } }, { status: 200 }]);
    await p.execute({ provider: 'retell', operation: 'x' }, s.fn, inspect);
    expect(delays).toEqual([1500]);
  });

  it('reads retry-after-ms and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfter({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'Retry-After': 'Tue, 31 Dec 2024 00:00:05 GMT' }, now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeNull();
    expect(parseRetryAfter({}, now)).toBeNull();
  });

  it('retries 5xx with exponential backoff and full jitter', async () => {
    const { p, delays } = policy({ random: () => 1 });
    const s = script([{ status: 500 }, { status: 502 }, { status: 503 }, { status: 200 }]);
    const res = await p.execute({ provider: 'twilio', operation: 'x' }, s.fn, inspect);
    expect(res.status).toBe(200);
    expect(delays).toEqual([200, 400, 800]);
  });

  it('caps the backoff and jitters within [0, ceiling]', () => {
    const p = new RetryPolicy({ random: () => 1, baseDelayMs: 200, maxDelayMs: 5000 });
    expect(p.delayFor(10, {})).toBe(5000);
    const q = new RetryPolicy({ random: () => 0 });
    expect(q.delayFor(3, {})).toBe(0);
    expect(q.delayFor(3, { retryAfterMs: 700 })).toBe(700);
  });

  it('retries dropped connections and timeouts', async () => {
    const { p } = policy();
    const timeout = Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' });
    const s = script([reset(), timeout, { status: 200 }]);
    expect((await p.execute({ provider: 'twilio', operation: 'x' }, s.fn, inspect)).status).toBe(200);
    expect(s.calls.n).toBe(3);
  });

  it('bounds the attempts and returns the last outcome', async () => {
    const { p, delays, stats } = policy({ maxAttempts: 3 });
    const s = script([{ status: 500 }]);
    const res = await p.execute({ provider: 'twilio', operation: 'x' }, s.fn, inspect);
    expect(res.status).toBe(500);
    expect(s.calls.n).toBe(3);
    expect(delays).toHaveLength(2);
    expect(stats.retries).toBe(2);

    const e = script([reset()]);
    await expect(p.execute({ provider: 'twilio', operation: 'x' }, e.fn, inspect)).rejects.toThrow('socket hang up');
    expect(e.calls.n).toBe(3);
  });

  it('does not retry final statuses or unknown errors', async () => {
    const { p } = policy();
    for (const status of [400, 401, 403, 404, 409, 422]) {
      const s = script([{ status }, { status: 200 }]);
      expect((await p.execute({ provider: 'twilio', operation: 'x' }, s.fn, inspect)).status).toBe(status);
      expect(s.calls.n).toBe(1);
    }
    const bug = script([new TypeError('x is not a function')]);
    await expect(p.execute({ provider: 'twilio', operation: 'x' }, bug.fn, inspect)).rejects.toThrow(TypeError);
    expect(bug.calls.n).toBe(1);
  });

  it('never retries a non-retryable call after an ambiguous failure', async () => {
    const { p } = policy();
    for (const step of [{ status: 500 }, { status: 503 }, reset(), Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' })]) {
      const s = script([step, { status: 200 }]);
      const run = p.execute({ provider: 'retell', operation: 'importing', retryable: false }, s.fn, inspect);
      if (step instanceof Error) await expect(run).rejects.toBe(step);
      else expect((await run).status).toBe((step as FakeResponse).status);
      expect(s.calls.n).toBe(1);
    }
  });

  it('retries a non-retryable call when the failure proves nothing happened (429, connection refused)', async () => {
    const { p } = policy();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const s = script([{ status: 429 }, refused, { status: 201 }]);
    expect((await p.execute({ provider: 'twilio', operation: 'buying', retryable: false }, s.fn, inspect)).status).toBe(201);
    expect(s.calls.n).toBe(3);
  });

  it('classifies network errors from axios, fetch and retell-sdk', () => {
    expect(classifyNetworkError(reset())).toMatchObject({ notProcessed: false });
    expect(classifyNetworkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET', message: 'other side closed' } }))).not.toBeNull();
    expect(classifyNetworkError(Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' }))).not.toBeNull();
    expect(classifyNetworkError(Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' }))?.reason).toBe('timeout');
    expect(classifyNetworkError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }))).toBeNull();
    expect(classifyNetworkError(new Error('boom'))).toBeNull();
  });
});
