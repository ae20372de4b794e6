/** A Map that counts mutations, so sorted views over it can be cached between list pages. */
export class VersionedMap<K, V> extends Map<K, V> {
  version = 0;

  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}

const sortedCache = new WeakMap<VersionedMap<string, unknown>, { version: number; keys: string[] }>();

/** Keys in ascending code-unit order; recomputed only after the map changed. */
export function sortedKeys(map: VersionedMap<string, unknown>): readonly string[] {
  const hit = sortedCache.get(map);
  if (hit && hit.version === map.version) return hit.keys;
  const keys = [...map.keys()].sort();
  sortedCache.set(map, { version: map.version, keys });
  return keys;
}
