import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)/gy;

/**
 * Parses a duration into milliseconds: `30s`, `500ms`, `2m`, `1h`, `1d`, compounds such as `1h30m`, decimals
 * (`1.5s`), or a bare number of seconds (`90`). Throws a UsageError (exit 2) naming the bad value.
 */
export function parseDuration(input: string): number {
  const bad = (why: string): UsageError =>
    new UsageError(`Invalid duration ${JSON.stringify(input)}: ${why}`, 'use a number with a unit: 500ms, 30s, 2m, 1h, 1d (a bare number means seconds)');
  if (typeof input !== 'string') throw bad('not a string');
  const s = input.trim().toLowerCase();
  if (s === '') throw bad('empty');
  if (/^(\d+(\.\d+)?|\.\d+)$/.test(s)) return finish(Number(s) * 1000, bad);
  let total = 0;
  let pos = 0;
  PART.lastIndex = 0;
  for (;;) {
    while (s[pos] === ' ') pos++;
    if (pos === s.length) break;
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) throw bad(`unexpected ${JSON.stringify(s.slice(pos))}`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = PART.lastIndex;
  }
  return finish(total, bad);
}

function finish(ms: number, bad: (why: string) => UsageError): number {
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) throw bad('too large');
  return Math.round(ms);
}

/** Formats milliseconds compactly (`1h30m`, `45s`, `250ms`), the inverse of parseDuration for whole units. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  return parts.join('');
}
