import type { RetellWorkspace, SandboxState } from './state.js';
import { json, ReplyError, type Reply, type RequestContext } from './types.js';

export interface RetellCtx extends RequestContext {
  state: SandboxState;
  ws: RetellWorkspace;
  body: Record<string, unknown>;
  now: number;
}

/** Retell's error body (components.responses.* in its OpenAPI document). */
export function retellError(status: number, message: string, headers?: Record<string, string>): Reply {
  return json(status, { status: 'error', message }, headers);
}

export function badRequest(message: string): ReplyError {
  return new ReplyError(retellError(400, message));
}

/** Unknown phone number or agent. The vendor document answers 422 ("Cannot find requested asset…"). */
export function missing(c: RetellCtx, what: string): ReplyError {
  return new ReplyError(retellError(c.state.retellMissingStatus, `Cannot find requested asset under given api key: ${what}`));
}

export function optString(body: Record<string, unknown>, key: string, nullable = false): string | null | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string${nullable ? ' or null' : ''}`);
  return v;
}

export function optBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${key} must be a boolean literal`);
  return v;
}

export function optCountries(body: Record<string, unknown>, key: string): string[] | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && /^[A-Z]{2}$/.test(x))) {
    throw badRequest(`${key} must be a list of ISO 3166-1 alpha-2 country codes`);
  }
  return v as string[];
}

export function optTransport(body: Record<string, unknown>): string | undefined {
  const v = optString(body, 'transport', true);
  if (v === undefined || v === null) return undefined;
  const up = v.toUpperCase();
  if (!['TCP', 'UDP', 'TLS'].includes(up)) throw badRequest('transport must be one of TCP, UDP, TLS');
  return up;
}
