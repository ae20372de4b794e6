import type { AvailableEntry, Capabilities, TwilioState } from './state.js';

/**
 * Numbers for sale. Besides the scenario's explicit list, a deterministic generator offers
 * +1 NPA 555 XXXX (XXXX 0100..9999) for every area code, and the same pattern for toll-free prefixes.
 * A number is for sale unless the account currently owns it.
 */

export const TOLL_FREE_PREFIXES = [800, 833, 844, 855, 866, 877, 888];
const CANADA = new Set([204, 226, 236, 249, 250, 289, 306, 343, 403, 416, 418, 431, 437, 438, 450, 506, 514, 519, 579, 581, 587, 604, 613, 647, 705, 709, 778, 780, 807, 819, 867, 873, 902, 905]);

interface Place { locality: string; region: string; postal: string; lat: string; lng: string; lata: string; rate: string }
const PLACES: Record<number, Place> = {
  415: { locality: 'San Francisco', region: 'CA', postal: '94105', lat: '37.774900', lng: '-122.419400', lata: '722', rate: 'SNFC CNTRL' },
  650: { locality: 'San Mateo', region: 'CA', postal: '94401', lat: '37.563000', lng: '-122.325500', lata: '722', rate: 'SN MATEO' },
  212: { locality: 'New York', region: 'NY', postal: '10001', lat: '40.712800', lng: '-74.006000', lata: '132', rate: 'NWYRCYZN01' },
  646: { locality: 'New York', region: 'NY', postal: '10011', lat: '40.741100', lng: '-73.989700', lata: '132', rate: 'NWYRCYZN03' },
  917: { locality: 'New York', region: 'NY', postal: '10018', lat: '40.755000', lng: '-73.993000', lata: '132', rate: 'NWYRCYZN05' },
  310: { locality: 'Los Angeles', region: 'CA', postal: '90024', lat: '34.052200', lng: '-118.243700', lata: '730', rate: 'LSAN DA 01' },
  312: { locality: 'Chicago', region: 'IL', postal: '60601', lat: '41.878100', lng: '-87.629800', lata: '358', rate: 'CHICAGO' },
  512: { locality: 'Austin', region: 'TX', postal: '78701', lat: '30.267200', lng: '-97.743100', lata: '558', rate: 'AUSTIN' },
  416: { locality: 'Toronto', region: 'ON', postal: 'M5H', lat: '43.653200', lng: '-79.383200', lata: '888', rate: 'TORONTO' },
  604: { locality: 'Vancouver', region: 'BC', postal: 'V6B', lat: '49.282700', lng: '-123.120700', lata: '888', rate: 'VANCOUVER' },
};

export function isoCountryOf(e164: string): string | null {
  if (!e164.startsWith('+1')) return null;
  return CANADA.has(Number(e164.slice(2, 5))) ? 'CA' : 'US';
}

export const DEFAULT_AREA_CODES = [415, 650, 212, 646, 310, 312, 512];
const CANADA_DEFAULT = [416, 604];

export interface AvailableQuery {
  country: string;
  kind: 'local' | 'toll-free';
  areaCode?: number;
  contains?: string;
  caps: Partial<Capabilities>;
  inRegion?: string;
  inLocality?: string;
  inPostalCode?: string;
  limit: number;
}

export interface AvailableNumber extends AvailableEntry { capabilities: Capabilities; place: Place | undefined }

export function capabilitiesFor(e164: string, type: 'local' | 'toll-free' | 'mobile'): Capabilities {
  if (type === 'toll-free') return { voice: true, sms: true, mms: false, fax: false };
  // Every number ending in 9 is voice-only, so SmsEnabled/MmsEnabled filters have something to filter.
  const voiceOnly = e164.endsWith('9');
  return { voice: true, sms: !voiceOnly, mms: !voiceOnly, fax: false };
}

function describe(entry: AvailableEntry): AvailableNumber {
  const npa = Number(entry.phoneNumber.slice(2, 5));
  const place = entry.type === 'local' && entry.phoneNumber.startsWith('+1') ? PLACES[npa] : undefined;
  return {
    ...entry,
    locality: entry.locality ?? place?.locality ?? null,
    region: entry.region ?? place?.region ?? null,
    postalCode: entry.postalCode ?? place?.postal ?? null,
    capabilities: capabilitiesFor(entry.phoneNumber, entry.type),
    place,
  };
}

function generated(npa: number, xxxx: number, type: 'local' | 'toll-free'): AvailableEntry {
  return { phoneNumber: `+1${npa}555${String(xxxx).padStart(4, '0')}`, type, locality: null, region: null, postalCode: null };
}

const KEYPAD: Record<string, string> = { a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5', m: '6', n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9' };

/** Twilio's Contains: digits, vanity letters (keypad) and '*' for any one digit; a leading '+' anchors. */
export function containsMatcher(pattern: string): ((e164: string) => boolean) | undefined {
  const p = pattern.trim().toLowerCase();
  const anchored = p.startsWith('+');
  const chars = [...p.replace(/^\+/, '')];
  if (chars.length < 2) return undefined;
  let body = '';
  for (const c of chars) {
    const digit = c === '*' ? '\\d' : /\d/.test(c) ? c : KEYPAD[c];
    if (digit === undefined) return undefined;
    body += digit;
  }
  const re = new RegExp(anchored ? `^${body}` : body);
  return (e164) => re.test(e164.slice(1));
}

function accepts(q: AvailableQuery, n: AvailableNumber, contains?: (e164: string) => boolean): boolean {
  if (contains && !contains(n.phoneNumber)) return false;
  for (const k of ['voice', 'sms', 'mms', 'fax'] as const) {
    const want = q.caps[k];
    if (want !== undefined && n.capabilities[k] !== want) return false;
  }
  if (q.inRegion && n.region !== q.inRegion) return false;
  if (q.inLocality && n.locality?.toLowerCase() !== q.inLocality.toLowerCase()) return false;
  if (q.inPostalCode && n.postalCode !== q.inPostalCode) return false;
  return true;
}

function prefixesFor(tw: TwilioState, q: AvailableQuery): number[] {
  if (q.kind === 'toll-free') return q.areaCode === undefined ? TOLL_FREE_PREFIXES : TOLL_FREE_PREFIXES.filter((p) => p === q.areaCode);
  const inCountry = (npa: number) => (q.country === 'CA') === CANADA.has(npa) && !TOLL_FREE_PREFIXES.includes(npa);
  if (q.areaCode !== undefined) return inCountry(q.areaCode) ? [q.areaCode] : [];
  return (q.country === 'CA' ? CANADA_DEFAULT : tw.available.areaCodes).filter(inCountry);
}

export function searchAvailable(tw: TwilioState, q: AvailableQuery): AvailableNumber[] {
  if (q.country !== 'US' && q.country !== 'CA') return [];
  const contains = q.contains ? containsMatcher(q.contains) : undefined;
  const out: AvailableNumber[] = [];
  const seen = new Set<string>();
  const offer = (entry: AvailableEntry) => {
    if (out.length >= q.limit || seen.has(entry.phoneNumber) || tw.findByPhone(entry.phoneNumber)) return;
    const n = describe(entry);
    if (q.areaCode !== undefined && Number(n.phoneNumber.slice(2, 5)) !== q.areaCode) return;
    if (accepts(q, n, contains)) {
      seen.add(n.phoneNumber);
      out.push(n);
    }
  };
  for (const e of tw.available.explicit) if (e.type === q.kind) offer(e);
  if (!tw.available.generate) return out;
  for (const npa of prefixesFor(tw, q)) {
    for (let x = 100; x <= 9999 && out.length < q.limit; x++) offer(generated(npa, x, q.kind));
  }
  return out;
}

/** The offer for `e164` if it is for sale right now. */
export function findAvailable(tw: TwilioState, e164: string): AvailableNumber | undefined {
  if (tw.findByPhone(e164)) return undefined;
  const explicit = tw.available.explicit.find((e) => e.phoneNumber === e164);
  if (explicit) return describe(explicit);
  if (!tw.available.generate) return undefined;
  const m = /^\+1([2-9]\d\d)555(\d{4})$/.exec(e164);
  if (!m || Number(m[2]) < 100) return undefined;
  const npa = Number(m[1]);
  return describe(generated(npa, Number(m[2]), TOLL_FREE_PREFIXES.includes(npa) ? 'toll-free' : 'local'));
}
