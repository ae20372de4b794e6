import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * Rewrites every absolute Twilio URL (https://api.twilio.com/…, https://trunking.twilio.com/…, and
 * the absolute meta.next_page_url of v1 lists) onto `baseUrl`, keeping the path and query and any
 * path prefix of baseUrl. Pass it as the client's `httpClient`; client-level timeout/autoRetry options
 * are then ignored by twilio, so give them here.
 */
export class RedirectingRequestClient extends twilio.RequestClient {
  private readonly origin: string;
  private readonly prefix: string;

  constructor(baseUrl: string, opts?: RequestClient.RequestClientOptions) {
    super(opts);
    const base = new URL(baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: this.redirect(opts.uri) });
  }

  redirect(uri: string): string {
    const u = new URL(uri);
    return `${this.origin}${this.prefix}${u.pathname}${u.search}`;
  }
}

export function createRedirectingRequestClient(baseUrl: string, opts?: RequestClient.RequestClientOptions): RedirectingRequestClient {
  return new RedirectingRequestClient(baseUrl, opts);
}
