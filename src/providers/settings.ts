import { createStats, RetryPolicy, type RequestStats } from './retry.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_MS, type ProviderOptions } from './types.js';

export interface ResolvedSettings {
  policy: RetryPolicy;
  stats: RequestStats;
  timeoutMs: number;
  pageSize: number;
  concurrency: number;
  credentialHint: string | undefined;
}

/** Fills in defaults; one RetryPolicy per provider object, counting into the shared stats. */
export function resolveSettings(opts: ProviderOptions = {}): ResolvedSettings {
  const stats = opts.stats ?? createStats();
  const policy = new RetryPolicy(
    {
      ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
      ...(opts.baseDelayMs !== undefined ? { baseDelayMs: opts.baseDelayMs } : {}),
      ...(opts.maxDelayMs !== undefined ? { maxDelayMs: opts.maxDelayMs } : {}),
      ...(opts.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: opts.maxRetryAfterMs } : {}),
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    },
    stats,
  );
  return {
    policy,
    stats,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    pageSize: Math.min(1000, Math.max(1, opts.pageSize ?? DEFAULT_PAGE_SIZE)),
    concurrency: Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY),
    credentialHint: opts.credentialHint,
  };
}
