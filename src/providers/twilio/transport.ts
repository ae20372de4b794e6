import { AsyncLocalStorage } from 'node:async_hooks';
import type { Twilio } from 'twilio';
import type { TwilioCredentials } from './credentials.js';
import { toProviderError } from '../errors.js';
import { classifyNetworkError, classifyStatus, countRequest, type RequestStats, type RetryPolicy } from '../retry.js';
import { effectiveTwilioBaseUrl, loadRedirectingRequestClient, type RequestOptions } from './redirect.js';

/**
 * Twilio transport: auth, base-URL redirect, per-attempt timeout, and phone-dir's retry policy applied
 * to every HTTP request the SDK makes (each page of a list is retried on its own, so a failure on page 3
 * does not restart the listing). The operation being run travels in an AsyncLocalStorage so the retry
 * hook and error messages can name it, and so a purchase can be marked non-retryable.
 */

interface CallState {
  operation: string;
  retryable: boolean;
  attempts: number;
}

export interface TwilioTransport {
  readonly client: Twilio;
  /** Runs `fn` (SDK calls) as one named operation; every error becomes a ProviderCallError. */
  call<T>(operation: string, fn: (client: Twilio) => Promise<T>, options?: CallOptions): Promise<T>;
}

export interface CallOptions {
  /** false for non-idempotent calls (purchase): sent again only when the failure proves nothing happened. */
  retryable?: boolean;
  /** Receives the number of attempts of the last HTTP request (to tell "gone after my own retried delete" apart). */
  track?: { attempts: number };
}

export interface TwilioTransportOptions {
  timeoutMs: number;
  policy: RetryPolicy;
  stats: RequestStats;
  credentialHint?: string;
}

export async function createTwilioTransport(creds: TwilioCredentials, options: TwilioTransportOptions): Promise<TwilioTransport> {
  const [{ default: twilio }, Redirecting] = await Promise.all([import('twilio'), loadRedirectingRequestClient()]);
  const storage = new AsyncLocalStorage<CallState>();
  const { policy, stats } = options;

  class RetryingRequestClient extends Redirecting {
    override request<TData>(opts: RequestOptions<TData>) {
      const state = storage.getStore();
      // Never let TWILIO_LOG_LEVEL=debug print requests to stdout (it would corrupt --json output).
      const send = { ...opts, logLevel: undefined };
      return policy.execute(
        { provider: 'twilio', operation: state?.operation ?? `${opts.method.toUpperCase()} request`, retryable: state ? state.retryable : opts.method === 'get' },
        (n) => {
          if (state) state.attempts = n;
          countRequest(stats, 'twilio');
          return super.request<TData>(send);
        },
        (outcome) => (outcome.ok ? classifyStatus(outcome.value.statusCode, outcome.value.headers, policy.now()) : classifyNetworkError(outcome.error)),
      );
    }
  }

  const httpClient = new RetryingRequestClient(effectiveTwilioBaseUrl(creds.baseUrl), { timeout: options.timeoutMs });
  const client = twilio(creds.username, creds.password, { accountSid: creds.accountSid, httpClient, autoRetry: false, timeout: options.timeoutMs });

  return {
    client,
    async call<T>(operation: string, fn: (client: Twilio) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
      const state: CallState = { operation, retryable: callOptions.retryable !== false, attempts: 0 };
      try {
        return await storage.run(state, () => fn(client));
      } catch (err) {
        if (callOptions.track) callOptions.track.attempts = state.attempts;
        throw toProviderError('twilio', operation, err, {
          attempts: state.attempts,
          ...(options.credentialHint ? { credentialHint: options.credentialHint } : {}),
        });
      }
    },
  };
}
