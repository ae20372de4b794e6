import { scan } from './paging.js';
import { twilioBadRequest } from './twilio-errors.js';
import { json, type Reply } from './types.js';

export const TRUNKING_ORIGIN = 'https://trunking.twilio.com';
export const API_ORIGIN = 'https://api.twilio.com';

interface TwilioPaging { size: number; page: number; token?: { dir: 'A' | 'B'; key: string; raw: string } }

export function parsePaging(query: URLSearchParams, defaultSize = 50): TwilioPaging {
  const rawSize = query.get('PageSize');
  const size = rawSize === null ? defaultSize : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw twilioBadRequest(`Invalid PageSize: ${rawSize}. PageSize must be an integer between 1 and 1000`);
  }
  const rawPage = query.get('Page');
  const page = rawPage === null ? 0 : Number(rawPage);
  if (!Number.isInteger(page) || page < 0) throw twilioBadRequest(`Invalid Page: ${rawPage}`);
  const rawToken = query.get('PageToken');
  if (rawToken === null || rawToken === '') return { size, page };
  const m = /^P([AB])(.+)$/.exec(rawToken);
  if (!m) throw twilioBadRequest(`Invalid PageToken: ${rawToken}`);
  return { size, page, token: { dir: m[1] as 'A' | 'B', key: m[2] as string, raw: rawToken } };
}

export interface TwilioListOptions<V> {
  /** Path without query, as Twilio spells it (no sandbox prefix). */
  basePath: string;
  key: string;
  query: URLSearchParams;
  /** Filters echoed into every page link, in this order. */
  filters: [string, string][];
  keys: readonly string[];
  get: (key: string) => V | undefined;
  accept?: (v: V) => boolean;
  render: (v: V) => unknown;
}

interface PageData { items: unknown[]; page: number; size: number; next: string | null; prev: string | null; self: string; first: string }

function collect<V>(o: TwilioListOptions<V>, origin: string): PageData {
  const p = parsePaging(o.query);
  const base = { keys: o.keys, get: o.get, size: p.size, ...(o.accept ? { accept: o.accept } : {}) };
  let items: V[];
  let keys: string[];
  let hasNext: boolean;
  let hasPrev: boolean;
  if (p.token?.dir === 'B') {
    const r = scan({ ...base, direction: 'desc', after: p.token.key });
    items = r.items.reverse();
    keys = r.keys.reverse();
    hasPrev = r.more;
    hasNext = true;
  } else {
    const r = p.token
      ? scan({ ...base, direction: 'asc', after: p.token.key })
      : scan({ ...base, direction: 'asc', skip: p.page * p.size });
    ({ items, keys } = r);
    hasNext = r.more;
    hasPrev = p.page > 0;
  }
  const link = (page: number, token?: string) => {
    const q = new URLSearchParams([...o.filters, ['PageSize', String(p.size)], ['Page', String(page)]]);
    if (token) q.set('PageToken', token);
    return `${origin}${o.basePath}?${q.toString()}`;
  };
  const first = keys[0];
  const last = keys[keys.length - 1];
  return {
    items: items.map(o.render),
    page: p.page,
    size: p.size,
    self: link(p.page, p.token?.raw),
    first: link(0),
    next: hasNext && last !== undefined ? link(p.page + 1, `PA${last}`) : null,
    prev: hasPrev && p.page > 0 && first !== undefined ? link(p.page - 1, `PB${first}`) : null,
  };
}

/** Api 2010 envelope; page links are relative to https://api.twilio.com, as Twilio sends them. */
export function list2010<V>(o: TwilioListOptions<V>): Reply {
  const d = collect(o, '');
  const start = d.page * d.size;
  return json(200, {
    first_page_uri: d.first,
    end: Math.max(start, start + d.items.length - 1),
    [o.key]: d.items,
    next_page_uri: d.next,
    page: d.page,
    page_size: d.size,
    previous_page_uri: d.prev,
    start,
    uri: d.self,
  });
}

/** Trunking v1 envelope; `meta` links are absolute URLs on the real host name, as Twilio sends them. */
export function listV1<V>(o: TwilioListOptions<V>): Reply {
  const d = collect(o, TRUNKING_ORIGIN);
  return json(200, {
    [o.key]: d.items,
    meta: {
      first_page_url: d.first,
      key: o.key,
      next_page_url: d.next,
      page: d.page,
      page_size: d.size,
      previous_page_url: d.prev,
      url: d.self,
    },
  });
}
