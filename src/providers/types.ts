import type { RequestStats, RetryInfo } from './retry.js';

/** Transport settings shared by every adapter. */
export interface ProviderOptions {
  /** Per-attempt HTTP timeout (default 30 s; env PHONE_DIR_HTTP_TIMEOUT_MS via createProviders). */
  timeoutMs?: number;
  /** Attempts in total per HTTP request (default 4; env PHONE_DIR_MAX_ATTEMPTS via createProviders). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Cap on a server's Retry-After (default 30 s). */
  maxRetryAfterMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Concurrent list calls within one snapshot (default 4). */
  concurrency?: number;
  /** Page size of full listings (default 1000, the maximum both APIs accept). */
  pageSize?: number;
  /** Shared request counters; one is created when omitted. */
  stats?: RequestStats;
  /** Shown with 401/403 errors: where the credentials come from. */
  credentialHint?: string;
  /** Test seams for the retry policy. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_CONCURRENCY = 4;
