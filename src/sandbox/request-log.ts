import type { RequestLogEntry } from './types.js';

const SECRET_KEY = /password|secret|token/i;

/** Parsed request body for the log, with secret-looking fields replaced by "***". */
export function loggableBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (/json/i.test(contentType ?? '')) {
    try {
      return redact(JSON.parse(raw));
    } catch {
      return raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType ?? '')) {
    return redact(Object.fromEntries(new URLSearchParams(raw)));
  }
  return undefined;
}

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) ? '***' : redact(x)]));
  }
  return v;
}

/** Bounded in-memory log of emulated requests (oldest dropped first). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly limit = 20_000) {}

  push(e: RequestLogEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
