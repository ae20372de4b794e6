import { AsyncLocalStorage } from 'node:async_hooks';
import type { Twilio } from 'twilio';
import { toProviderError } from '../errors.js';
import { classifyNetworkError, classifyStatus, countRequest, type RequestStats, type RetryPolicy } from '../retry.js';
import { effectiveTwilioBaseUrl, loadRedirectingRequestClient, type RequestOptions } from './redirect.js';

/** What the transport needs to reach one Twilio-compatible account. */
export type TransportCredentials = {
  accountSid: string;
  /** Basic auth user: the account SID, an API key SID, or a SignalWire project id. */
  username: string;
  password: string;
  /** null: the real Twilio. */
  baseUrl: string | null;
};

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
  /** The carrier's registry name: in retry info, request stats and error messages. */
  name: string;
  timeoutMs: number;
  policy: RetryPolicy;
  stats: RequestStats;
  credentialHint?: string;
}

/**
 * SignalWire answers some errors (401 among them) in its own REST shape, `{errors: [{code, message}]}`,
 * where twilio's RestException reads `message` and `code` at the top: without this its error says only
 * "HTTP 401". Twilio's own bodies pass unchanged.
 */
export function withTwilioErrorFields<R extends { statusCode: number; body: unknown }>(response: R): R {
  if (response.statusCode < 400) return response;
  let body: unknown = response.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return response;
    }
  }
  if (!body || typeof body !== 'object' || 'message' in body) return response;
  const first: unknown = Array.isArray((body as { errors?: unknown }).errors) ? (body as { errors: unknown[] }).errors[0] : undefined;
  if (!first || typeof first !== 'object') return response;
  const { message, code } = first as { message?: unknown; code?: unknown };
  if (typeof message !== 'string') return response;
  return { ...response, body: { message, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), status: response.statusCode } };
}

const ACCOUNT_SID_PLACEHOLDER = 'AC00000000000000000000000000000000';

export async function createTwilioTransport(creds: TransportCredentials, options: TwilioTransportOptions): Promise<TwilioTransport> {
  const [{ default: twilio }, Redirecting] = await Promise.all([import('twilio'), loadRedirectingRequestClient()]);
  const storage = new AsyncLocalStorage<CallState>();
  const { policy, stats, name } = options;

  class RetryingRequestClient extends Redirecting {
    override request<TData>(opts: RequestOptions<TData>) {
      const state = storage.getStore();
      // Never let TWILIO_LOG_LEVEL=debug print requests to stdout (it would corrupt --json output).
      const send = { ...opts, logLevel: undefined };
      return policy.execute(
        { provider: name, operation: state?.operation ?? `${opts.method.toUpperCase()} request`, retryable: state ? state.retryable : opts.method === 'get' },
        (n) => {
          if (state) state.attempts = n;
          countRequest(stats, name);
          return super.request<TData>(send).then(withTwilioErrorFields);
        },
        (outcome) => (outcome.ok ? classifyStatus(outcome.value.statusCode, outcome.value.headers, policy.now()) : classifyNetworkError(outcome.error)),
      );
    }
  }

  const httpClient = new RetryingRequestClient(effectiveTwilioBaseUrl(creds.baseUrl), { timeout: options.timeoutMs });
  // twilio's constructor refuses an account SID that does not start with AC (SignalWire's project ids are
  // UUIDs); the resources read the field only when first touched, so the real one is set right after.
  const client = twilio(creds.username, creds.password, { accountSid: ACCOUNT_SID_PLACEHOLDER, httpClient, autoRetry: false, timeout: options.timeoutMs });
  client.accountSid = creds.accountSid;

  return {
    client,
    async call<T>(operation: string, fn: (client: Twilio) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
      const state: CallState = { operation, retryable: callOptions.retryable !== false, attempts: 0 };
      try {
        return await storage.run(state, () => fn(client));
      } catch (err) {
        if (callOptions.track) callOptions.track.attempts = state.attempts;
        throw toProviderError(name, operation, err, {
          attempts: state.attempts,
          ...(options.credentialHint ? { credentialHint: options.credentialHint } : {}),
        });
      }
    },
  };
}
