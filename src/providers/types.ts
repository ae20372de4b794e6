import type {
  AvailableNumber,
  RetellAgentRef,
  RetellNumberSnapshot,
  RetellSnapshot,
  TrunkSnapshot,
  TwilioNumberSnapshot,
  TwilioSnapshot,
} from '../core/snapshot.js';
import type { ProviderName, RequestStats, RetryInfo } from './retry.js';

/** Progress of a paged list: one call per page received. */
export interface PageInfo {
  provider: ProviderName;
  /** What is being listed: "incoming phone numbers", "trunk TK… phone numbers", "phone numbers", "agents"… */
  what: string;
  /** 1-based page number within that list. */
  page: number;
  /** Items on this page. */
  items: number;
  /** Items of that list so far. */
  total: number;
}

export type OnPage = (info: PageInfo) => void;

/** Transport settings shared by both providers. */
export interface ProviderOptions {
  /** Per-attempt HTTP timeout (default 30 s; env PHONE_DIR_HTTP_TIMEOUT_MS via createProviders). */
  timeoutMs?: number;
  /** Attempts in total per HTTP request (default 4; env PHONE_DIR_MAX_ATTEMPTS via createProviders). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Cap on a server's Retry-After (default 30 s). */
  maxRetryAfterMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Concurrent list calls within one snapshot (default 4). */
  concurrency?: number;
  /** Page size of full listings (default 1000, the maximum both APIs accept). */
  pageSize?: number;
  /** Shared request counters; one is created when omitted. */
  stats?: RequestStats;
  /** Shown with 401/403 errors: where the credentials come from. */
  credentialHint?: string;
  /** Test seams for the retry policy. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_CONCURRENCY = 4;

export interface SearchAvailableOptions {
  /** ISO country, e.g. "US". */
  country: string;
  areaCode?: string | number;
  tollFree?: boolean;
  /** At most this many results (one request). */
  limit: number;
  /** Only voice-capable numbers (always true for phone-dir). */
  voice?: true;
  contains?: string;
}

export interface PurchaseOptions {
  phoneNumber: string;
  friendlyName?: string;
  trunkSid?: string;
  voiceUrl?: string;
  smsUrl?: string;
}

export interface UpdateTwilioNumberOptions {
  voiceUrl?: string | null;
  smsUrl?: string | null;
  friendlyName?: string;
  /** A trunk SID to route the number to that trunk; null or "" sends `TrunkSid=` (prefer detachFromTrunk). */
  trunkSid?: string | null;
}

/**
 * Twilio numbers, Elastic SIP trunks and SIP credential lists, mapped to phone-dir's snapshot types.
 *
 * Contract for every method: failures throw {@link ProviderError} (exit 5) whose one-line message names
 * the provider, the operation and the HTTP status and never contains a secret. HTTP 429/5xx, dropped
 * connections and timeouts are retried per request (bounded attempts, backoff with jitter, Retry-After
 * honoured up to a cap); calls marked "not retried" are sent once unless the failure proves nothing
 * happened (429, connection refused). Use `isNotFound(err)` to recognise a 404.
 */
export interface TwilioProvider {
  readonly provider: 'twilio';
  readonly accountSid: string;
  /**
   * Every IncomingPhoneNumber, every trunk with its phone numbers, origination URLs and credential lists,
   * and every SIP credential list with its usernames (never passwords). Requests grow with pages and
   * trunks, never with numbers (page size 1000); independent lists run concurrently with a small bound.
   * Results are sorted (numbers by E.164, others by SID).
   */
  fetchSnapshot(onPage?: OnPage): Promise<TwilioSnapshot>;
  /** The IncomingPhoneNumber with this E.164 number (one filtered list request), or null. */
  findNumber(e164: string): Promise<TwilioNumberSnapshot | null>;
  /** Numbers for sale, voice-capable; Local (or TollFree with `tollFree`). One request. */
  searchAvailable(options: SearchAvailableOptions): Promise<AvailableNumber[]>;
  /**
   * Buys a number. Not retried blindly: after an ambiguous failure (timeout, dropped connection, 5xx) it
   * looks the number up and returns it when the purchase did land; otherwise it throws.
   */
  purchase(options: PurchaseOptions): Promise<TwilioNumberSnapshot>;
  /** Updates voice/SMS URLs, friendly name or trunk of a number (POST; idempotent, so retried). */
  updateNumber(sid: string, changes: UpdateTwilioNumberOptions): Promise<TwilioNumberSnapshot>;
  /** Associates a number (PN SID) with a trunk. Already attached (409/400 "already") counts as done. */
  attachToTrunk(trunkSid: string, numberSid: string): Promise<void>;
  /** Removes a number from a trunk. Returns false when it was not on the trunk (404). */
  detachFromTrunk(trunkSid: string, numberSid: string): Promise<boolean>;
  /** Releases (deletes) a number from the account. Returns false when it did not exist (404). Irreversible. */
  release(sid: string): Promise<boolean>;
  /** One trunk with its phone numbers, origination URLs and credential lists; null when it does not exist. */
  fetchTrunk(sid: string): Promise<TrunkSnapshot | null>;
}

export interface ImportNumberOptions {
  phone_number: string;
  termination_uri: string;
  sip_trunk_auth_username?: string;
  sip_trunk_auth_password?: string;
  inbound_agents?: RetellAgentRef[];
  outbound_agents?: RetellAgentRef[];
  nickname?: string;
}

export interface UpdateRetellNumberOptions {
  /** Replaces the inbound agents; [] unassigns. */
  inbound_agents?: RetellAgentRef[];
  outbound_agents?: RetellAgentRef[];
  nickname?: string | null;
}

/** What deleteNumber did: `not-found` lets a second concurrent delete end with exit 4. */
export type DeleteResult = { status: 'deleted' } | { status: 'not-found' };

/**
 * One Retell workspace's phone numbers and voice agents, mapped to phone-dir's snapshot types.
 * Same error contract as {@link TwilioProvider}.
 */
export interface RetellProvider {
  readonly provider: 'retell';
  readonly workspace: string;
  /** Every phone number (v2 list, 1000 per page) and every voice agent (v2 list-agents), sorted. */
  fetchSnapshot(onPage?: OnPage): Promise<RetellSnapshot>;
  /** One number, or null when the workspace does not have it. */
  getNumber(e164: string): Promise<RetellNumberSnapshot | null>;
  /**
   * Imports a SIP-trunk number. Not retried blindly: after an ambiguous failure it checks with getNumber
   * whether the import landed and returns that number if so; otherwise it throws.
   */
  importNumber(options: ImportNumberOptions): Promise<RetellNumberSnapshot>;
  /** PATCHes agents and/or nickname (idempotent, retried). Throws a not-found ProviderError for an unknown number. */
  updateNumber(e164: string, changes: UpdateRetellNumberOptions): Promise<RetellNumberSnapshot>;
  /** Deletes the number from the workspace; `not-found` when it was already gone. */
  deleteNumber(e164: string): Promise<DeleteResult>;
}

export interface Providers {
  /** The Twilio provider for a workspace (its own `twilio` section, else the top-level one). Loads the SDK. */
  twilio(workspace?: string): Promise<TwilioProvider>;
  /** The Retell provider for a workspace. Loads the SDK. */
  retell(workspace: string): Promise<RetellProvider>;
  /** Every HTTP attempt of every provider made through this object. */
  readonly stats: RequestStats;
}
