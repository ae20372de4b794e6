import type RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * Sending Twilio's requests to another origin (the sandbox, a recording proxy, a Twilio-compatible carrier).
 *
 * The SDK has no base-URL option that survives pagination: Trunking v1 returns `meta.next_page_url` as an
 * absolute https://trunking.twilio.com URL, which the SDK follows verbatim. A `RequestClient` subclass
 * passed as `httpClient` sees every request as an absolute URL, so it rewrites them all in one place.
 */

export function isTwilioHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'twilio.com' || h.endsWith('.twilio.com');
}

/**
 * Whether a configured base URL actually redirects: null, or a bare twilio.com origin such as the
 * `https://api.twilio.com` written in workspaces.example.json, means "the real Twilio" (rewriting
 * trunking.twilio.com to api.twilio.com would break every trunk call).
 */
export function effectiveTwilioBaseUrl(baseUrl: string | null | undefined): string | null {
  if (!baseUrl) return null;
  const u = new URL(baseUrl);
  if (isTwilioHost(u.hostname) && u.protocol === 'https:' && (u.pathname === '/' || u.pathname === '')) return null;
  return baseUrl;
}

/**
 * The part of `prefix` a path already starts with: a carrier that serves the 2010 API under a prefix
 * writes that prefix into its own page links (SignalWire's `next_page_uri` is `/api/laml/2010-04-01/…`),
 * which the SDK joins to https://api.twilio.com. Matched by whole trailing segments of the prefix, so
 * `/sandbox/api/laml` and `/api/laml/2010-04-01/…` share `/api/laml`.
 */
function sharedPrefix(prefix: string, path: string): string {
  const segments = prefix.split('/').filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const tail = `/${segments.slice(i).join('/')}`;
    if (path.startsWith(`${tail}/`)) return tail;
  }
  return '';
}

/**
 * `https://api.twilio.com/2010-04-01/…?q` → `<base origin><base path>/2010-04-01/…?q`; same for
 * trunking.twilio.com and any other *.twilio.com host. A path that already carries the end of the base
 * path (a carrier's own page link) is not prefixed twice. Other hosts are left alone (already redirected).
 */
export function rewriteTwilioUrl(uri: string, baseUrl: string): string {
  const u = new URL(uri);
  if (!isTwilioHost(u.hostname)) return uri;
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = u.pathname.slice(sharedPrefix(prefix, u.pathname).length);
  return `${base.origin}${prefix}${path}${u.search}`;
}

export type RequestClientOptions = RequestClient.RequestClientOptions;
export type RequestOptions<TData = unknown> = RequestClient.RequestOptions<TData>;

/** A twilio.RequestClient that sends every request to `baseUrl` (null: to Twilio itself). */
export interface RedirectingRequestClient extends RequestClient {
  readonly baseUrl: string | null;
}

export type RedirectingRequestClientClass = new (baseUrl: string | null, options?: RequestClientOptions) => RedirectingRequestClient;

let loading: Promise<RedirectingRequestClientClass> | undefined;

/** The class, defined once the twilio SDK is loaded (it is never loaded at import time). */
export function loadRedirectingRequestClient(): Promise<RedirectingRequestClientClass> {
  loading ??= import('twilio').then(({ default: twilio }) => {
    class Redirecting extends twilio.RequestClient implements RedirectingRequestClient {
      readonly baseUrl: string | null;
      constructor(baseUrl: string | null, options?: RequestClientOptions) {
        // SDK-internal retries stay off: phone-dir's retry policy is the only one.
        super({ ...options, autoRetry: false });
        this.baseUrl = baseUrl === null ? null : new URL(baseUrl).toString();
      }
      override request<TData>(opts: RequestOptions<TData>) {
        return super.request<TData>(this.baseUrl === null ? opts : { ...opts, uri: rewriteTwilioUrl(opts.uri, this.baseUrl) });
      }
    }
    return Redirecting;
  });
  return loading;
}

/** `httpClient` for `twilio(sid, token, { httpClient })` that sends every request to `baseUrl`. */
export async function createRedirectingRequestClient(baseUrl: string, options?: RequestClientOptions): Promise<RedirectingRequestClient> {
  const Redirecting = await loadRedirectingRequestClient();
  return new Redirecting(baseUrl, options);
}
