import Retell from 'retell-sdk';
import twilio from 'twilio';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { rewriteTwilioUrl } from '../../src/providers/twilio/redirect.js';

/**
 * phone-dir's URL rewrite on a plain twilio.RequestClient. The shipped client (src/providers/twilio/redirect.ts)
 * forces autoRetry off; these tests also exercise the SDK's own retry, so they keep its options as given.
 */
export class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string, opts?: RequestClient.RequestClientOptions) {
    super(opts);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: this.redirect(opts.uri) });
  }

  redirect(uri: string): string {
    return rewriteTwilioUrl(uri, this.baseUrl);
  }
}

export function createRedirectingRequestClient(baseUrl: string, opts?: RequestClient.RequestClientOptions): RedirectingRequestClient {
  return new RedirectingRequestClient(baseUrl, opts);
}

export function twilioClient(h: SandboxHandle, opts: { apiKey?: boolean; autoRetry?: boolean; maxRetries?: number; timeout?: number } = {}) {
  const c = h.credentials.twilio;
  const httpClient = createRedirectingRequestClient(h.twilioBaseUrl, {
    timeout: opts.timeout ?? 10_000,
    ...(opts.autoRetry ? { autoRetry: true, maxRetries: opts.maxRetries ?? 3 } : {}),
  });
  return opts.apiKey
    ? twilio(c.apiKeySid, c.apiKeySecret, { accountSid: c.accountSid, httpClient })
    : twilio(c.accountSid, c.authToken, { httpClient });
}

export function retellClient(h: SandboxHandle, ws = 'staging', opts: { maxRetries?: number; timeout?: number; apiKey?: string } = {}) {
  return new Retell({ apiKey: opts.apiKey ?? (h.credentials.retell[ws] as string), baseURL: h.retellBaseUrl, maxRetries: opts.maxRetries ?? 0, timeout: opts.timeout ?? 10_000 });
}

export const basicAuth = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
export const twilioAuth = (h: SandboxHandle) => basicAuth(h.credentials.twilio.accountSid, h.credentials.twilio.authToken);
export const retellAuth = (h: SandboxHandle, ws = 'staging') => `Bearer ${h.credentials.retell[ws]}`;

export interface RawResponse { status: number; headers: Headers; body: unknown; text: string }

/** A plain HTTP call, for wire-level assertions the SDKs hide. */
export async function call(
  h: SandboxHandle,
  method: string,
  path: string,
  opts: { auth?: string; form?: Record<string, string>; json?: unknown } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (opts.auth) headers.authorization = opts.auth;
  let body: string | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${h.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Path helpers on the sandbox (with the /twilio prefix). */
export const api2010 = (h: SandboxHandle) => `/twilio/2010-04-01/Accounts/${h.credentials.twilio.accountSid}`;

export async function elapsed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Resolves with the rejection of `p` (fails if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

/** twilio's each(): its d.ts says it returns void, so completion is observed through the typed `done` option. */
export function drain(each: (opts: { done: (err?: Error) => void }) => void): Promise<void> {
  return new Promise((resolve, reject) => each({ done: (err?: Error) => (err ? reject(err) : resolve()) }));
}
