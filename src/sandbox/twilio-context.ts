import type { TwilioState } from './state.js';
import { twilioBadRequest } from './twilio-errors.js';
import type { RequestContext } from './types.js';

/**
 * What differs between the accounts the 2010 handlers serve: Twilio's own, or a SignalWire project's
 * LaML API (same wire format under /api/laml, UUID SIDs).
 */
export interface Api2010Account {
  sid: string;
  /** The account's path as its links spell it: `/2010-04-01/Accounts/AC…` or `/api/laml/2010-04-01/Accounts/<uuid>`. */
  path: string;
  /** A new number's SID (PN… at Twilio, a UUID at SignalWire); `seed` makes it unique. */
  numberSid(seed: string): string;
  origin: 'twilio' | 'signalwire';
}

export interface TwilioCtx extends RequestContext {
  tw: TwilioState;
  account: Api2010Account;
  form: URLSearchParams;
  now: Date;
}

/** Form/query value with the '+' of an unencoded E.164 restored (form decoding turns it into a space). */
export function phoneParam(params: URLSearchParams, name: string): string | null {
  const v = params.get(name);
  if (v === null) return null;
  return /^ \d/.test(v) ? `+${v.slice(1)}` : v.trim();
}

export function boolParam(params: URLSearchParams, name: string): boolean | undefined {
  const v = params.get(name);
  if (v === null) return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw twilioBadRequest(`Invalid ${name}: ${v}. Must be true or false`);
}

export function methodParam(params: URLSearchParams, name: string): 'GET' | 'POST' | undefined {
  const v = params.get(name);
  if (v === null) return undefined;
  const up = v.toUpperCase();
  if (up !== 'GET' && up !== 'POST') throw twilioBadRequest(`Invalid ${name}: ${v}. Must be GET or POST`);
  return up;
}

export function requiredParam(params: URLSearchParams, name: string): string {
  const v = params.get(name);
  if (v === null || v === '') throw twilioBadRequest(`Missing required parameter ${name} in the post body`);
  return v;
}
