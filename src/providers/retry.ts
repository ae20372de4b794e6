/**
 * The one retry policy for every provider call (Twilio and Retell alike).
 *
 * Each HTTP attempt goes through {@link RetryPolicy.execute}: HTTP 429, 408 and 5xx answers, dropped
 * connections and timeouts are retried with exponential backoff and full jitter, `Retry-After` (and
 * Retell's `retry-after-ms`) is honoured up to a cap, and the number of attempts is bounded. The SDKs'
 * own retries are switched off so attempts never multiply.
 */

/** A carrier's or voice platform's registry name. */
export type ProviderName = string;

export interface RetryInfo {
  provider: ProviderName;
  /** Human name of the operation, e.g. "listing incoming phone numbers". */
  operation: string;
  /** The attempt that just failed (1-based); the next one is `attempt + 1`. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** Why it is retried, e.g. "HTTP 503", "connection reset (ECONNRESET)", "timeout". */
  reason: string;
  status?: number;
}

export interface RetryOptions {
  /** Attempts in total, first one included (default 4). */
  maxAttempts?: number;
  /** Backoff base: the n-th retry waits random(0, min(maxDelayMs, baseDelayMs * 2^(n-1))) (default 200 ms). */
  baseDelayMs?: number;
  /** Backoff cap (default 5 s). */
  maxDelayMs?: number;
  /** A server's `Retry-After` is honoured up to this (default 30 s). */
  maxRetryAfterMs?: number;
  /** Called before each wait; for progress and --debug output. */
  onRetry?: (info: RetryInfo) => void;
  /** Test seams. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export const RETRY_DEFAULTS = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 } as const;

/** A failure worth another attempt. */
export interface TransientFailure {
  reason: string;
  status?: number;
  /** Delay the server asked for (already parsed, not yet capped). */
  retryAfterMs?: number | null;
  /**
   * True when the server cannot have acted on the request (429, connection refused): even a
   * non-idempotent call (purchase, import) may be sent again. Everything else (5xx, timeouts, dropped
   * connections) is ambiguous: the request may have landed.
   */
  notProcessed: boolean;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface CallOptions {
  provider: ProviderName;
  operation: string;
  /** false for non-idempotent calls (purchase, import): retried only when the failure proves nothing happened. */
  retryable?: boolean;
}

/** Request counters shared by every provider of one run; every HTTP attempt counts, each page too. */
export interface RequestStats {
  requests: number;
  retries: number;
  byProvider: Record<ProviderName, number>;
}

export function createStats(): RequestStats {
  return { requests: 0, retries: 0, byProvider: {} };
}

export function countRequest(stats: RequestStats, provider: ProviderName): void {
  stats.requests += 1;
  stats.byProvider[provider] = (stats.byProvider[provider] ?? 0) + 1;
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  readonly now: () => number;

  constructor(options: RetryOptions = {}, private readonly stats?: RequestStats) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts));
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs);
    this.maxRetryAfterMs = Math.max(0, options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs);
    this.onRetry = options.onRetry;
    this.sleep = options.sleep ?? sleepReal;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Wait before retry number `retry` (1 = the first retry). */
  delayFor(retry: number, failure: Pick<TransientFailure, 'retryAfterMs'>): number {
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs !== null) {
      return Math.round(Math.min(Math.max(0, failure.retryAfterMs), this.maxRetryAfterMs));
    }
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (retry - 1));
    return Math.round(this.random() * ceiling);
  }

  /**
   * Runs `attempt` until `inspect` finds nothing to retry, attempts run out, or a non-retryable call meets
   * an ambiguous failure. `inspect` sees both resolved values (a transport may resolve with a 503) and
   * errors; it returns null for success and for permanent failures. The last outcome is returned/thrown.
   */
  async execute<T>(call: CallOptions, attempt: (n: number) => Promise<T>, inspect: (outcome: Outcome<T>) => TransientFailure | null): Promise<T> {
    const retryable = call.retryable !== false;
    for (let n = 1; ; n++) {
      let outcome: Outcome<T>;
      try {
        outcome = { ok: true, value: await attempt(n) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const failure = inspect(outcome);
      if (!failure || n >= this.maxAttempts || !(retryable || failure.notProcessed)) {
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      const delayMs = this.delayFor(n, failure);
      if (this.stats) this.stats.retries += 1;
      this.onRetry?.({
        provider: call.provider,
        operation: call.operation,
        attempt: n,
        maxAttempts: this.maxAttempts,
        delayMs,
        reason: failure.reason,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
      });
      await this.sleep(delayMs);
    }
  }
}

/** Reads one header from a fetch `Headers`, an axios headers object or a plain record (any case). */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: unknown } & Record<string, unknown>;
  if (typeof h.get === 'function') {
    const v = (h.get as (n: string) => unknown).call(headers, name);
    if (v !== null && v !== undefined && v !== false) return String(v);
  }
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(h)) {
    if (key.toLowerCase() === lower && value !== undefined && value !== null) {
      return Array.isArray(value) ? String(value[0]) : String(value);
    }
  }
  return undefined;
}

/** `retry-after-ms` (Retell), else `Retry-After` in seconds or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(headers: unknown, now: number = Date.now()): number | null {
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = readHeader(headers, 'retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** 429, 408 and 5xx are transient; any other status is final. */
export function classifyStatus(status: number, headers: unknown, now?: number): TransientFailure | null {
  if (status === 429) return { reason: 'HTTP 429 (rate limited)', status, retryAfterMs: parseRetryAfter(headers, now), notProcessed: true };
  if (status === 408 || (status >= 500 && status <= 599)) {
    return { reason: `HTTP ${status}`, status, retryAfterMs: parseRetryAfter(headers, now), notProcessed: false };
  }
  return null;
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED', 'ERR_NETWORK',
]);
/** Connection never established: nothing was sent, so even a purchase may be retried. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED']);

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const o = e as { name?: unknown; message?: unknown };
    parts.push(`${typeof o.name === 'string' ? o.name : ''} ${typeof o.message === 'string' ? o.message : ''}`);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(' ');
}

/** True for a per-attempt timeout (axios `timeout of … exceeded`, Retell `APIConnectionTimeoutError`). */
export function isTimeoutError(err: unknown): boolean {
  const text = errorText(err);
  return /APIConnectionTimeoutError|timeout of \d+ ?ms exceeded|timed? ?out/i.test(text) || errorCodes(err).some((c) => c === 'ETIMEDOUT' || c === 'ESOCKETTIMEDOUT' || c === 'UND_ERR_CONNECT_TIMEOUT' || c === 'UND_ERR_HEADERS_TIMEOUT');
}

/** Dropped connections, resets and timeouts are transient; anything else thrown (bugs, DNS failures) is not. */
export function classifyNetworkError(err: unknown): TransientFailure | null {
  const codes = errorCodes(err);
  const text = errorText(err);
  const notSent = codes.find((c) => NOT_SENT_CODES.has(c));
  if (notSent) return { reason: `connection refused (${notSent})`, notProcessed: true };
  if (isTimeoutError(err)) return { reason: 'timeout', notProcessed: false };
  const code = codes.find((c) => NETWORK_CODES.has(c));
  if (code) return { reason: `connection failed (${code})`, notProcessed: false };
  if (/socket hang up|other side closed|fetch failed|APIConnectionError|Connection error|network error/i.test(text)) {
    return { reason: 'connection dropped', notProcessed: false };
  }
  return null;
}
