import type { Capabilities } from '../../core/model.js';
import type { PhoneNumberType } from '../../core/phone.js';
import type {
  AvailableNumber,
  CredentialListSnapshot,
  OriginationUrlSnapshot,
  TrunkSnapshot,
  CarrierNumberSnapshot,
} from '../../core/snapshot.js';
import { toIso } from '../../core/time.js';

/*
 * Pure mapping from Twilio's wire JSON (snake_case, as the API sends it) to phone-dir's snapshot types.
 * Twilio mixes "" and null for unset values, uses RFC 2822 dates in Api 2010 and ISO 8601 in Trunking
 * v1, and spells AvailablePhoneNumbers capabilities in upper case (MMS/SMS) but lower case elsewhere.
 * Dates may also arrive as Date objects when a record came from an SDK instance (see instanceToWire).
 */

export type WireDate = string | Date | null | undefined;

export interface IncomingNumberWire {
  sid: string;
  phone_number: string;
  friendly_name?: string | null;
  capabilities?: Record<string, unknown> | null;
  type?: string | null;
  trunk_sid?: string | null;
  voice_url?: string | null;
  sms_url?: string | null;
  date_created?: WireDate;
}

export interface TrunkWire {
  sid: string;
  friendly_name?: string | null;
  domain_name?: string | null;
  auth_type?: string | null;
  auth_type_set?: string[] | null;
  date_created?: WireDate;
  date_updated?: WireDate;
}

export interface TrunkNumberWire { sid: string; phone_number: string }

export interface OriginationUrlWire {
  sid: string;
  sip_url: string;
  friendly_name?: string | null;
  priority?: number | string | null;
  weight?: number | string | null;
  enabled?: boolean | string | null;
}

export interface SidWire { sid: string; friendly_name?: string | null }

export interface CredentialWire { sid: string; username: string }

export interface AvailableNumberWire {
  phone_number: string;
  friendly_name?: string | null;
  capabilities?: Record<string, unknown> | null;
  region?: string | null;
  locality?: string | null;
}

/** "" and whitespace-only → null. */
export function emptyToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value.trim() === '' ? null : value;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === 1;
}

/** Reads voice/sms/mms/fax whatever their case (`MMS` on AvailablePhoneNumbers, `mms` elsewhere); missing → false. */
export function mapCapabilities(raw: Record<string, unknown> | null | undefined): Capabilities {
  const lower: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw ?? {})) lower[k.toLowerCase()] = v;
  return { voice: truthy(lower.voice), sms: truthy(lower.sms), mms: truthy(lower.mms), fax: truthy(lower.fax) };
}

/** Twilio's `type` (`local`, `tollFree`/`toll-free`, `mobile`) → phone-dir's; anything else → null. */
export function mapNumberType(raw: string | null | undefined): PhoneNumberType | null {
  const t = (raw ?? '').toLowerCase().replace(/[-_\s]/g, '');
  if (t === 'local') return 'local';
  if (t === 'tollfree') return 'toll-free';
  if (t === 'mobile') return 'mobile';
  return null;
}

export function mapIncomingNumber(w: IncomingNumberWire): CarrierNumberSnapshot {
  return {
    sid: w.sid,
    phone_number: w.phone_number,
    friendly_name: emptyToNull(w.friendly_name),
    capabilities: mapCapabilities(w.capabilities),
    type: mapNumberType(w.type),
    trunk_sid: emptyToNull(w.trunk_sid),
    voice_url: emptyToNull(w.voice_url),
    sms_url: emptyToNull(w.sms_url),
    date_created: toIso(w.date_created),
  };
}

function toInt(v: number | string | null | undefined, fallback: number): number {
  const n = typeof v === 'number' ? v : Number.parseInt(String(v ?? ''), 10);
  return Number.isFinite(n) ? n : fallback;
}

export function mapOriginationUrl(w: OriginationUrlWire): OriginationUrlSnapshot {
  return {
    sid: w.sid,
    sip_url: w.sip_url,
    friendly_name: emptyToNull(w.friendly_name),
    priority: toInt(w.priority, 10),
    weight: toInt(w.weight, 10),
    enabled: w.enabled === undefined || w.enabled === null ? true : truthy(w.enabled),
  };
}

/** `auth_type`, else `auth_type_set` joined, else 'credential' when credential lists are attached, else null. */
export function mapAuthType(w: Pick<TrunkWire, 'auth_type' | 'auth_type_set'>, credentialListSids: readonly string[]): string | null {
  const single = emptyToNull(w.auth_type);
  if (single) return single;
  const set = (w.auth_type_set ?? []).filter((s) => typeof s === 'string' && s.trim() !== '');
  if (set.length) return set.join(',');
  return credentialListSids.length ? 'credential' : null;
}

export interface TrunkChildren {
  phoneNumbers: TrunkNumberWire[];
  originationUrls: OriginationUrlWire[];
  credentialLists: SidWire[];
}

const bySid = (a: { sid: string }, b: { sid: string }) => (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0);
const byNumber = (a: { phone_number: string }, b: { phone_number: string }) => (a.phone_number < b.phone_number ? -1 : a.phone_number > b.phone_number ? 1 : 0);

export function mapTrunk(w: TrunkWire, children: TrunkChildren): TrunkSnapshot {
  const credentialListSids = children.credentialLists.map((c) => c.sid).sort();
  return {
    sid: w.sid,
    friendly_name: emptyToNull(w.friendly_name),
    domain_name: emptyToNull(w.domain_name),
    auth_type: mapAuthType(w, credentialListSids),
    credential_list_sids: credentialListSids,
    origination_urls: children.originationUrls.map(mapOriginationUrl).sort((a, b) => a.priority - b.priority || bySid(a, b)),
    phone_numbers: children.phoneNumbers.map((p) => ({ sid: p.sid, phone_number: p.phone_number })).sort(byNumber),
    date_created: toIso(w.date_created),
    date_updated: toIso(w.date_updated),
  };
}

/** Usernames only, sorted; Twilio never returns passwords. */
export function mapCredentialList(w: SidWire, credentials: CredentialWire[]): CredentialListSnapshot {
  return { sid: w.sid, friendly_name: emptyToNull(w.friendly_name), usernames: credentials.map((c) => c.username).sort() };
}

export function mapAvailableNumber(w: AvailableNumberWire): AvailableNumber {
  return {
    phone_number: w.phone_number,
    friendly_name: emptyToNull(w.friendly_name),
    capabilities: mapCapabilities(w.capabilities),
    region: emptyToNull(w.region),
    locality: emptyToNull(w.locality),
  };
}

export function sortNumbers<T extends { phone_number: string }>(items: T[]): T[] {
  return items.sort(byNumber);
}

export function sortBySid<T extends { sid: string }>(items: T[]): T[] {
  return items.sort(bySid);
}

/**
 * An SDK instance (camelCase, Date fields) back to wire names. twilio-node derives every camelCase
 * property from the snake_case wire name mechanically, and copies nested objects unchanged, so this is
 * exact for the fields mapped here.
 */
export function instanceToWire(instance: { toJSON(): object } | object): Record<string, unknown> {
  const plain = 'toJSON' in instance && typeof instance.toJSON === 'function' ? (instance.toJSON() as object) : instance;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  return out;
}
