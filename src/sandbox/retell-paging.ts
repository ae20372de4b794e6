import { scan } from './paging.js';
import { badRequest } from './retell-context.js';
import type { RequestContext } from './types.js';

export const RETELL_DEFAULT_LIMIT = 50;
export const RETELL_MAX_LIMIT = 1000;

/**
 * Retell v2 lists: ?limit (default 50, max 1000 per the vendor document), ?sort_order (default
 * descending), ?pagination_key = the last key of the previous page. Items are ordered by their key
 * (phone number / agent id); the real key format is opaque, so clients must only echo it back.
 */
export function readCursor<V>(
  c: RequestContext,
  keys: readonly string[],
  get: (k: string) => V | undefined,
  accept?: (v: V) => boolean,
): { page: V[]; has_more: boolean; pagination_key?: string } {
  const rawLimit = c.query.get('limit');
  const limit = rawLimit === null ? RETELL_DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > RETELL_MAX_LIMIT) {
    throw badRequest(`limit must be an integer between 1 and ${RETELL_MAX_LIMIT}`);
  }
  const order = c.query.get('sort_order') ?? 'descending';
  if (order !== 'ascending' && order !== 'descending') throw badRequest('sort_order must be ascending or descending');
  const after = c.query.get('pagination_key') || undefined;
  const r = scan({ keys, get, size: limit, direction: order === 'ascending' ? 'asc' : 'desc', ...(after ? { after } : {}), ...(accept ? { accept } : {}) });
  const last = r.keys[r.keys.length - 1];
  return { page: r.items, has_more: r.more, ...(r.more && last !== undefined ? { pagination_key: last } : {}) };
}
