/** A counting semaphore: `limit(fn)` runs fn when fewer than `max` limited calls are in flight. Do not nest. */
export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  const slots = Math.max(1, Math.floor(max));
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < slots) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing call hands its slot over
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
