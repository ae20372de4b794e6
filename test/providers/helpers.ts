import type { RetellCredentials } from '../../src/providers/retell/transport.js';
import { createTwilioCompatibleCarrier, type TwilioCompatibleCredentials } from '../../src/providers/twilio/carrier.js';
import { createStats, type RetryInfo } from '../../src/providers/retry.js';
import type { ProviderOptions } from '../../src/providers/types.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';

export function twilioCreds(sb: SandboxHandle, over: Partial<TwilioCompatibleCredentials> = {}): TwilioCompatibleCredentials {
  const { accountSid, authToken } = sb.credentials.twilio;
  return { accountSid, username: accountSid, password: authToken, baseUrl: sb.twilioBaseUrl, hint: 'TWILIO_AUTH_TOKEN / the twilio section of workspaces.json', ...over };
}

/** The Twilio carrier (trunks included) over these credentials. */
export function createTwilio(credentials: TwilioCompatibleCredentials, options: ProviderOptions) {
  return createTwilioCompatibleCarrier({ name: 'twilio', label: 'Twilio', trunks: true, credentials, options });
}

export function retellCreds(sb: SandboxHandle, workspace: string, over: Partial<RetellCredentials> = {}): RetellCredentials {
  return { apiKey: sb.credentials.retell[workspace]!, baseUrl: sb.retellBaseUrl, ...over };
}

/**
 * Options for fast tests: real HTTP, but waits are recorded and shortened to at most 20 ms so a
 * Retry-After of seconds is observable without spending it.
 */
export function fastOptions(over: ProviderOptions = {}) {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const stats = createStats();
  const options: ProviderOptions = {
    stats,
    baseDelayMs: 5,
    maxDelayMs: 20,
    timeoutMs: 5_000,
    onRetry: (info) => retries.push(info),
    sleep: (ms) => {
      delays.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
    },
    ...over,
  };
  return { options, delays, retries, stats };
}

/** Sandbox log entries whose path (prefix included) matches. */
export function requestsTo(sb: SandboxHandle, method: string, pathPattern: RegExp) {
  return sb.requests().filter((r) => r.method === method && pathPattern.test(r.path));
}

/** Everything an error exposes, for "no secret anywhere" checks. */
export function everythingIn(err: unknown): string {
  const e = err as Error;
  return JSON.stringify({ ...(e as object), message: e.message, stack: e.stack, name: e.name });
}
