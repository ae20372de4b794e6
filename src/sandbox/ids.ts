import { createHash } from 'node:crypto';

/** Deterministic Twilio-style SID: prefix + 32 lowercase hex digits derived from `seed`. */
export function makeSid(prefix: string, seed: string): string {
  return prefix + createHash('md5').update(`${prefix}:${seed}`).digest('hex');
}

/** Deterministic SignalWire-style SID: a version-4-shaped UUID derived from `seed`. */
export function makeUuid(seed: string): string {
  const h = createHash('md5').update(`uuid:${seed}`).digest('hex');
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Api 2010 timestamps: RFC 2822 with a numeric zone, e.g. "Thu, 30 Jul 2015 23:19:04 +0000". */
export function rfc2822(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** Trunking v1 timestamps: ISO 8601 without milliseconds, e.g. "2015-01-02T11:23:45Z". */
export function iso8601(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The SID of a SignalWire scenario number given without one. */
export function signalwireNumberSid(projectId: string, e164: string): string {
  return makeUuid(`signalwire:${projectId}:${e164}`);
}
