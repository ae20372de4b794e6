import type { RequestContext } from './types.js';
import { invalid } from './vapi-context.js';
import type { VersionedMap } from './versioned-map.js';

export const VAPI_DEFAULT_LIMIT = 100;
export const VAPI_MAX_LIMIT = 1000;

const BOUNDS = ['createdAtGt', 'createdAtLt', 'createdAtGe', 'createdAtLe', 'updatedAtGt', 'updatedAtLt', 'updatedAtGe', 'updatedAtLe'] as const;
type Bound = (typeof BOUNDS)[number];

interface Stamped { id: string; createdAt: number; updatedAt: number }

const newestFirst = new WeakMap<object, { version: number; items: Stamped[] }>();

/** The map's items, createdAt descending then id; re-sorted only after the map changed. */
function sorted<T extends Stamped>(map: VersionedMap<string, T>): T[] {
  const hit = newestFirst.get(map);
  if (hit && hit.version === map.version) return hit.items as T[];
  const items = [...map.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  newestFirst.set(map, { version: map.version, items });
  return items;
}

/** Reads `limit` and the createdAt/updatedAt bounds; every problem (and any other parameter) is one 400 message. */
function readQuery(c: RequestContext, extra: readonly string[], problems: string[]): { limit: number; bounds: [Bound, number][] } {
  const allowed = new Set<string>(['limit', ...BOUNDS, ...extra]);
  for (const key of c.query.keys()) if (!allowed.has(key)) problems.push(`property ${key} should not exist`);
  const raw = c.query.get('limit');
  const limit = raw === null ? VAPI_DEFAULT_LIMIT : Number(raw);
  if (raw !== null && (raw.trim() === '' || !Number.isFinite(limit))) problems.push('limit must be a number conforming to the specified constraints');
  else if (limit < 0) problems.push('limit must not be less than 0');
  else if (limit > VAPI_MAX_LIMIT) problems.push(`limit must not be greater than ${VAPI_MAX_LIMIT}`);
  const bounds: [Bound, number][] = [];
  for (const key of BOUNDS) {
    const v = c.query.get(key);
    if (v === null) continue;
    const t = Date.parse(v);
    if (!/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(t)) problems.push(`${key} must be a valid ISO 8601 date string`);
    else bounds.push([key, t]);
  }
  return { limit: Math.floor(limit), bounds };
}

function within(item: Stamped, bounds: [Bound, number][]): boolean {
  return bounds.every(([key, t]) => {
    const v = key.startsWith('created') ? item.createdAt : item.updatedAt;
    if (key.endsWith('Gt')) return v > t;
    if (key.endsWith('Lt')) return v < t;
    if (key.endsWith('Ge')) return v >= t;
    return v <= t;
  });
}

/** First index (newest first) whose createdAt is at most `t`. */
function firstAtOrBefore(items: Stamped[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as Stamped).createdAt > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Vapi's array lists (GET /phone-number, /assistant, /credential): `limit` (default 100, at most 1000) and
 * createdAt/updatedAt bounds; newest first (createdAt descending, then id). There is no cursor: clients
 * page with createdAtLt/Le of the oldest item they have.
 */
export function listPage<T extends Stamped>(c: RequestContext, map: VersionedMap<string, T>): T[] {
  const problems: string[] = [];
  const { limit, bounds } = readQuery(c, [], problems);
  if (problems.length) throw invalid(problems);
  const items = sorted(map);
  const upper = bounds.filter(([k]) => k === 'createdAtLe' || k === 'createdAtLt').map(([k, t]) => (k === 'createdAtLt' ? t - 1 : t));
  const out: T[] = [];
  for (let i = upper.length ? firstAtOrBefore(items, Math.min(...upper)) : 0; i < items.length && out.length < limit; i++) {
    const item = items[i] as T;
    if (within(item, bounds)) out.push(item);
  }
  return out;
}

/** GET /v2/phone-number: `page` (1-based), `sortOrder` ASC|DESC, `sortBy` createdAt, `search` over name, number and SIP URI. */
export function paginated<T extends Stamped>(c: RequestContext, map: VersionedMap<string, T>, text: (t: T) => string) {
  const problems: string[] = [];
  const { limit, bounds } = readQuery(c, ['page', 'sortOrder', 'sortBy', 'search'], problems);
  const page = c.query.get('page') === null ? 1 : Number(c.query.get('page'));
  if (!Number.isInteger(page) || page < 1) problems.push('page must not be less than 1');
  const order = c.query.get('sortOrder') ?? 'DESC';
  if (order !== 'ASC' && order !== 'DESC') problems.push('sortOrder must be one of the following values: ASC, DESC');
  const sortBy = c.query.get('sortBy') ?? 'createdAt';
  if (sortBy !== 'createdAt') problems.push('sortBy must be createdAt for phone numbers');
  if (problems.length) throw invalid(problems);
  const search = c.query.get('search')?.toLowerCase();
  const matching = sorted(map).filter((t) => within(t, bounds) && (!search || text(t).toLowerCase().includes(search)));
  if (order === 'ASC') matching.reverse();
  const size = Math.max(limit, 1);
  const totalPages = Math.ceil(matching.length / size);
  return {
    items: matching.slice((page - 1) * size, page * size),
    metadata: { itemsPerPage: size, totalItems: matching.length, currentPage: page, totalPages, hasNextPage: page < totalPages, sortOrder: order },
  };
}
