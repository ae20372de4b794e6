/**
 * Keyset paging over an ascending key array. Both vendors page with an opaque "continue after this
 * key" token (Twilio PageToken=PA<sid>, Retell pagination_key), which stays correct while items are
 * added or deleted between pages.
 */

/** First index whose key is >= k. */
export function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > k. */
export function upperBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ScanOptions<V> {
  keys: readonly string[];
  get: (key: string) => V | undefined;
  accept?: (v: V) => boolean;
  size: number;
  /** Walk direction over the ascending keys. */
  direction: 'asc' | 'desc';
  /** Start strictly after this key (in walk direction). */
  after?: string;
  /** Skip this many matches first (Twilio's legacy Page without PageToken). */
  skip?: number;
}

export interface ScanResult<V> { items: V[]; keys: string[]; more: boolean }

export function scan<V>(o: ScanOptions<V>): ScanResult<V> {
  const step = o.direction === 'asc' ? 1 : -1;
  let i: number;
  if (o.after === undefined) i = step === 1 ? 0 : o.keys.length - 1;
  else i = step === 1 ? upperBound(o.keys, o.after) : lowerBound(o.keys, o.after) - 1;
  let skip = o.skip ?? 0;
  const items: V[] = [];
  const keys: string[] = [];
  for (; i >= 0 && i < o.keys.length; i += step) {
    const key = o.keys[i] as string;
    const v = o.get(key);
    if (v === undefined || (o.accept && !o.accept(v))) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (items.length === o.size) return { items, keys, more: true };
    items.push(v);
    keys.push(key);
  }
  return { items, keys, more: false };
}
