/** Deep equality where a missing key and null mean the same (hand-written files may omit nulls). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameValue(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // No key set is built: validate calls this for every record of every view.
  for (const k in ao) if (!sameValue(ao[k], bo[k])) return false;
  for (const k in bo) if (!(k in ao) && bo[k] !== undefined && bo[k] !== null) return false;
  return true;
}

export interface Difference { path: string[]; a: unknown; b: unknown }

/** The leaves where two values differ, with both values (objects recursed, arrays compared whole). */
export function differences(a: unknown, b: unknown, path: string[] = []): Difference[] {
  if (sameValue(a, b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return sameValue(a, b) ? [] : [{ path, a, b }];
  const out: Difference[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out.push(...differences(a[k], b[k], [...path, k]));
  return out;
}

/** Dotted paths of the leaves where two values differ (objects recursed, arrays compared whole). */
export function differingFields(a: unknown, b: unknown, prefix = ''): string[] {
  return differences(a, b, prefix ? [prefix] : []).map((d) => d.path.join('.') || '(value)');
}
