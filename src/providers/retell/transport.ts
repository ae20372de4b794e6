import type { Retell } from 'retell-sdk';
import { toProviderError } from '../errors.js';
import { classifyNetworkError, classifyStatus, countRequest, type RequestStats, type RetryPolicy } from '../retry.js';

/**
 * Retell transport: Bearer auth, base URL, per-attempt timeout, SDK retries off (`maxRetries: 0`), and
 * phone-dir's retry policy around each SDK call. Every SDK call here is exactly one HTTP request (the
 * list loops are ours), so retrying a call retries one request. A counting `fetch` sees every attempt.
 */

export const RETELL_API = 'https://api.retellai.com';

export interface RetellTransport {
  readonly client: Retell;
  call<T>(operation: string, fn: (client: Retell) => Promise<T>, options?: CallOptions): Promise<T>;
}

export interface CallOptions {
  /** false for non-idempotent calls (import): sent again only when the failure proves nothing happened. */
  retryable?: boolean;
  /** Receives the number of attempts made (to tell "gone after my own retried delete" apart). */
  track?: { attempts: number };
}

export interface RetellTransportOptions {
  timeoutMs: number;
  policy: RetryPolicy;
  stats: RequestStats;
  credentialHint?: string;
}

export interface RetellCredentials { apiKey: string; baseUrl: string | null }

export async function createRetellTransport(creds: RetellCredentials, options: RetellTransportOptions): Promise<RetellTransport> {
  const { default: RetellClient } = await import('retell-sdk');
  const { policy, stats } = options;
  const countingFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    countRequest(stats, 'retell');
    return fetch(input, init);
  };
  const client = new RetellClient({
    apiKey: creds.apiKey,
    // Explicit, so a stray RETELL_BASE_URL in the environment cannot redirect requests behind the config's back.
    baseURL: creds.baseUrl ?? RETELL_API,
    maxRetries: 0,
    timeout: options.timeoutMs,
    fetch: countingFetch,
    // The SDK's logger writes to the console; phone-dir owns stdout/stderr.
    logLevel: 'off',
  });
  return {
    client,
    async call<T>(operation: string, fn: (client: Retell) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
      let attempts = 0;
      try {
        return await policy.execute(
          { provider: 'retell', operation, retryable: callOptions.retryable !== false },
          (n) => {
            attempts = n;
            if (callOptions.track) callOptions.track.attempts = n;
            return fn(client);
          },
          (outcome) => {
            if (outcome.ok) return null;
            const e = outcome.error as { status?: unknown; headers?: unknown };
            return typeof e?.status === 'number' ? classifyStatus(e.status, e.headers, policy.now()) : classifyNetworkError(outcome.error);
          },
        );
      } catch (err) {
        throw toProviderError('retell', operation, err, {
          attempts,
          ...(options.credentialHint ? { credentialHint: options.credentialHint } : {}),
        });
      }
    },
  };
}
