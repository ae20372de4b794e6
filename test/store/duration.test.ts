// Tests for src/core/duration.ts (kept beside the lock tests that use --lock-timeout durations).
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { expectUsageError } from '../helpers/errors.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['90', 90_000],
    ['0', 0],
    ['1.5s', 1500],
    ['0.25', 250],
    ['1h30m', 5_400_000],
    ['1m 30s', 90_000],
    [' 2M ', 120_000],
    ['10MS', 10],
  ])('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '   ', 'abc', '10x', '-5s', 's', '5 s s', '1.2.3s', '5sec', '1e3', 'Infinity', 'ms5'])('rejects %j with a usage error naming it', (input) => {
    expectUsageError(() => parseDuration(input), JSON.stringify(input));
  });

  it('rejects absurdly large values', () => {
    expect(() => parseDuration('99999999999999999999d')).toThrow(/too large/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [30_000, '30s'],
    [5_400_000, '1h30m'],
    [90_061_001, '1d1h1m1s1ms'],
  ])('%d → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
