import type { RequestContext } from './types.js';
import { invalid } from './vapi-context.js';

export const VAPI_DEFAULT_LIMIT = 100;
export const VAPI_MAX_LIMIT = 1000;

const BOUNDS = ['createdAtGt', 'createdAtLt', 'createdAtGe', 'createdAtLe', 'updatedAtGt', 'updatedAtLt', 'updatedAtGe', 'updatedAtLe'] as const;
const ALLOWED = new Set<string>(['limit', ...BOUNDS]);

interface Stamped { id: string; createdAt: number; updatedAt: number }

/**
 * Vapi's array lists (GET /phone-number, /assistant, /credential): `limit` (default 100, at most 1000) and
 * createdAt/updatedAt bounds; newest first (createdAt descending, then id). There is no cursor: clients
 * page with createdAtLt/Le of the oldest item they have.
 */
export function listPage<T extends Stamped>(c: RequestContext, items: Iterable<T>): T[] {
  const problems: string[] = [];
  for (const key of c.query.keys()) if (!ALLOWED.has(key)) problems.push(`property ${key} should not exist`);
  const raw = c.query.get('limit');
  const limit = raw === null ? VAPI_DEFAULT_LIMIT : Number(raw);
  if (raw !== null && (raw.trim() === '' || !Number.isFinite(limit))) problems.push('limit must be a number conforming to the specified constraints');
  else if (limit < 0) problems.push('limit must not be less than 0');
  else if (limit > VAPI_MAX_LIMIT) problems.push(`limit must not be greater than ${VAPI_MAX_LIMIT}`);
  const bounds: [typeof BOUNDS[number], number][] = [];
  for (const key of BOUNDS) {
    const v = c.query.get(key);
    if (v === null) continue;
    const t = Date.parse(v);
    if (!/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(t)) problems.push(`${key} must be a valid ISO 8601 date string`);
    else bounds.push([key, t]);
  }
  if (problems.length) throw invalid(problems);
  const keep = (item: T) =>
    bounds.every(([key, t]) => {
      const v = key.startsWith('created') ? item.createdAt : item.updatedAt;
      if (key.endsWith('Gt')) return v > t;
      if (key.endsWith('Lt')) return v < t;
      if (key.endsWith('Ge')) return v >= t;
      return v <= t;
    });
  const matching = [...items].filter(keep);
  matching.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return matching.slice(0, Math.floor(limit));
}
