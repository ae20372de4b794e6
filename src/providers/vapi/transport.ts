import type { PhoneNumbersClient } from '@vapi-ai/server-sdk/phoneNumbers';
import { toProviderError } from '../errors.js';
import { classifyNetworkError, classifyStatus, countRequest, type RequestStats, type RetryPolicy } from '../retry.js';

/**
 * Vapi transport over the official client's cheap subpath (`@vapi-ai/server-sdk/phoneNumbers`, ~0.1 s;
 * the root costs 1–1.5 s and `/assistants` 0.75–1 s). Bearer auth, base URL, per-attempt timeout, SDK
 * retries off (`maxRetries: 0`) and phone-dir's retry policy around each SDK call; every call is one HTTP
 * request. A counting `fetch` sees every attempt.
 *
 * Assistants and credentials: the SDK's assistants client is the expensive subpath and 2.0.1 has no
 * credentials client at all, but GET /assistant and /credential take exactly the phone-number list's
 * parameters (limit, createdAt/updatedAt bounds) and POST /credential is a JSON create like POST
 * /phone-number. So they go through PhoneNumbersClient instances whose `fetch` moves the request from
 * /phone-number to their resource: the SDK's auth, headers, error types and timeout, at no extra load cost.
 */

export const VAPI_API = 'https://api.vapi.ai';

export type VapiResource = 'phone-number' | 'assistant' | 'credential';

export interface VapiClients {
  numbers: PhoneNumbersClient;
  assistants: PhoneNumbersClient;
  credentials: PhoneNumbersClient;
}

export interface CallOptions {
  /** false for non-idempotent calls (create): sent again only when the failure proves nothing happened. */
  retryable?: boolean;
  /** Receives the number of attempts made (to tell "gone after my own retried delete" apart). */
  track?: { attempts: number };
}

export interface VapiTransport {
  call<T>(operation: string, fn: (clients: VapiClients) => Promise<T>, options?: CallOptions): Promise<T>;
}

export interface VapiTransportOptions {
  apiKey: string;
  baseUrl: string | null;
  timeoutMs: number;
  policy: RetryPolicy;
  stats: RequestStats;
  credentialHint?: string;
}

/** `…/phone-number` or `…/phone-number/{id}` (query kept) → the same under `/<resource>`. */
export function moveToResource(url: string, resource: VapiResource): string {
  if (resource === 'phone-number') return url;
  const u = new URL(url);
  u.pathname = u.pathname.replace(/\/phone-number(\/[^/]*)?$/, `/${resource}$1`);
  return u.toString();
}

export async function createVapiTransport(options: VapiTransportOptions): Promise<VapiTransport> {
  const { PhoneNumbersClient } = await import('@vapi-ai/server-sdk/phoneNumbers');
  const { policy, stats } = options;
  const client = (resource: VapiResource) =>
    new PhoneNumbersClient({
      token: options.apiKey,
      baseUrl: options.baseUrl ?? VAPI_API,
      maxRetries: 0,
      timeoutInSeconds: options.timeoutMs / 1000,
      logging: { silent: true },
      fetch: (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        countRequest(stats, 'vapi');
        return fetch(typeof input === 'string' ? moveToResource(input, resource) : input, init);
      },
    });
  const clients: VapiClients = { numbers: client('phone-number'), assistants: client('assistant'), credentials: client('credential') };
  return {
    async call<T>(operation: string, fn: (c: VapiClients) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
      let attempts = 0;
      try {
        return await policy.execute(
          { provider: 'vapi', operation, retryable: callOptions.retryable !== false },
          (n) => {
            attempts = n;
            if (callOptions.track) callOptions.track.attempts = n;
            return fn(clients);
          },
          (outcome) => {
            if (outcome.ok) return null;
            const e = outcome.error as { statusCode?: unknown; rawResponse?: { headers?: unknown } };
            return typeof e?.statusCode === 'number' ? classifyStatus(e.statusCode, e.rawResponse?.headers, policy.now()) : classifyNetworkError(outcome.error);
          },
        );
      } catch (err) {
        throw toProviderError('vapi', operation, err, {
          attempts,
          ...(options.credentialHint ? { credentialHint: options.credentialHint } : {}),
        });
      }
    },
  };
}
