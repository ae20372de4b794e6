import { mulberry32 } from '../../src/sandbox/prng.js';

/** A small seeded PRNG (mulberry32), so a failing sequence replays exactly from its seed. */
export class Random {
  private readonly nextFloat: () => number;

  constructor(seed: number) {
    this.nextFloat = mulberry32(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextFloat();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One element, or undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.next() * items.length)];
  }

  /** One key, chosen with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let ticket = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [key, weight] of entries) {
      ticket -= weight;
      if (ticket < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

/**
 * The seed from the environment variable; `random` draws a fresh one (printed by the caller, so it can be
 * replayed). Unset, the fixed `fallback`: the suite CI runs must not pass or fail by luck of the draw.
 */
export function seedFrom(variable: string, fallback: number): number {
  const given = process.env[variable];
  if (given === undefined || given === '') return fallback;
  if (given !== 'random') {
    const seed = Number(given);
    if (!Number.isInteger(seed)) throw new Error(`${variable} must be an integer, got ${JSON.stringify(given)}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 4_294_967_296);
}
