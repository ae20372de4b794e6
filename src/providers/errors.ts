import { ProviderError } from '../core/errors.js';
import { redact } from '../core/secrets.js';
import { classifyNetworkError, isTimeoutError, type ProviderName } from './retry.js';

/**
 * A failed provider call (exit 5). Built only from an error's status, code and message: SDK errors
 * (axios especially) carry the request config with the Authorization header, so they are never
 * stringified or kept as `cause`.
 */
export class ProviderCallError extends ProviderError {
  readonly operation: string;
  /** The resource does not exist (Twilio 404; Retell 404, or 422 "cannot find …"). */
  readonly notFound: boolean;
  /** The request may have taken effect although it failed (timeout, dropped connection, 5xx). */
  readonly ambiguous: boolean;
  /** Vendor error code (Twilio's 20003…) or network code (ECONNRESET…). */
  readonly code: string | number | undefined;
  constructor(provider: ProviderName, operation: string, message: string, details: { status?: number; notFound?: boolean; ambiguous?: boolean; code?: string | number; hint?: string }) {
    super(provider, message, details.status, details.hint);
    this.operation = operation;
    this.notFound = details.notFound ?? false;
    this.ambiguous = details.ambiguous ?? false;
    this.code = details.code;
  }
}

export interface ErrorContext {
  /** Where the credentials come from, for 401/403: e.g. "TWILIO_AUTH_TOKEN / the twilio section of workspaces.json". */
  credentialHint?: string;
  /** Attempts made, when more than one. */
  attempts?: number;
}

interface Extracted { status?: number; code?: string | number; detail: string; network: boolean }

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Pulls status, code and a short detail out of twilio / retell-sdk / Vapi / axios / fetch errors, nothing else. */
function extract(err: unknown): Extracted {
  if (!err || typeof err !== 'object') return { detail: String(err), network: false };
  const e = err as Record<string, unknown>;
  const vapi = vapiStatus(e);
  if (vapi) return vapi;
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status !== undefined) {
    // Retell APIError: `error` is the parsed body, `message` is "<status> <body.message>".
    const body = e.error && typeof e.error === 'object' ? (e.error as Record<string, unknown>) : undefined;
    const detail =
      str(e.detail) ?? // TwilioServiceException (RFC 9457)
      str(body?.message) ??
      str(body?.error_message) ??
      str(e.title) ??
      // Retell prefixes the status ("401 …"); twilio's fallback is "[HTTP 500] Failed to execute request".
      str(typeof e.message === 'string' ? e.message.replace(new RegExp(`^(\\[HTTP ${status}\\]|${status})\\s*`), '') : undefined) ??
      `HTTP ${status}`;
    const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined;
    return { status, ...(code !== undefined ? { code } : {}), detail, network: false };
  }
  const network = classifyNetworkError(err);
  let code: string | undefined;
  const messages: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const c = cur as Record<string, unknown>;
    if (!code && typeof c.code === 'string') code = c.code;
    const m = str(c.message);
    if (m && !messages.includes(m)) messages.push(m);
    cur = c.cause;
  }
  const detail = network ? `${network.reason}${messages.length ? `: ${messages.join(': ')}` : ''}` : messages.join(': ') || String(err);
  return { ...(code !== undefined ? { code } : {}), detail, network: network !== null };
}

/**
 * @vapi-ai/server-sdk's VapiError: `statusCode` and the parsed `body` ({message, error, statusCode}, message a
 * list for validation failures). Its `message` embeds the whole body as JSON, so the detail is built from the body.
 */
function vapiStatus(e: Record<string, unknown>): Extracted | undefined {
  if (typeof e.statusCode !== 'number' || !('body' in e) || typeof e.status === 'number') return undefined;
  const body = e.body && typeof e.body === 'object' ? (e.body as Record<string, unknown>) : undefined;
  const message = Array.isArray(body?.message) ? body.message.filter((m) => typeof m === 'string').join('; ') : str(body?.message);
  const detail = str(message) ?? (typeof e.body === 'string' ? str(e.body.slice(0, 200)) : undefined) ?? `HTTP ${e.statusCode}`;
  return { status: e.statusCode, detail, network: false };
}

const RETELL_NOT_FOUND = /not found|cannot find|can't find|does not exist|no such|unknown phone number/i;

function oneLine(text: string, max = 300): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Any error from a provider call → ProviderCallError with a one-line, redacted message naming provider, operation and status. */
export function toProviderError(provider: ProviderName, operation: string, err: unknown, ctx: ErrorContext = {}): ProviderCallError {
  if (err instanceof ProviderCallError) return err;
  const x = extract(err);
  const notFound = x.status === 404 || (provider === 'retell' && x.status === 422 && RETELL_NOT_FOUND.test(x.detail));
  const ambiguous = x.network || x.status === 408 || (x.status !== undefined && x.status >= 500);
  let hint = '';
  if (x.status === 401 || x.status === 403) {
    hint = ` (check ${ctx.credentialHint ?? `the ${provider} credentials in workspaces.json`})`;
  } else if (x.status === 429) {
    hint = ' (rate limited; try again later)';
  }
  const status = x.status !== undefined ? `${x.status} ` : '';
  const code = x.status !== undefined && x.code !== undefined ? ` [${x.code}]` : '';
  const attempts = ctx.attempts && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  const message = redact(oneLine(`${provider}: ${operation} failed${attempts}: ${status}${x.detail}${code}${hint}`));
  return new ProviderCallError(provider, operation, message, {
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(x.code !== undefined ? { code: x.code } : {}),
    notFound,
    ambiguous,
  });
}

/** True when the provider said the resource does not exist (use to turn a lookup into null). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ProviderCallError && err.notFound;
}

/**
 * Runs a delete that is retried: `true` when it removed the thing, `false` when it was not there. A not-found
 * after our own retried attempt means an earlier attempt of this very call did it, so that still counts as removed.
 */
export async function deleted(run: (track: { attempts: number }) => Promise<unknown>): Promise<boolean> {
  const track = { attempts: 0 };
  try {
    await run(track);
    return true;
  } catch (err) {
    if (isNotFound(err)) return track.attempts > 1;
    throw err;
  }
}

/** True when a failed write may nevertheless have landed (timeout, dropped connection, 5xx): check before retrying. */
export function isAmbiguous(err: unknown): boolean {
  if (err instanceof ProviderCallError) return err.ambiguous;
  return isTimeoutError(err) || classifyNetworkError(err) !== null;
}
