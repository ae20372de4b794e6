import { createHash } from 'node:crypto';

/** Deterministic Twilio-style SID: prefix + 32 lowercase hex digits derived from `seed`. */
export function makeSid(prefix: string, seed: string): string {
  return prefix + createHash('md5').update(`${prefix}:${seed}`).digest('hex');
}

/** Api 2010 timestamps: RFC 2822 with a numeric zone, e.g. "Thu, 30 Jul 2015 23:19:04 +0000". */
export function rfc2822(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** Trunking v1 timestamps: ISO 8601 without milliseconds, e.g. "2015-01-02T11:23:45Z". */
export function iso8601(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
