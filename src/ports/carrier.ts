import type { AvailableNumber, CarrierNumberSnapshot, CarrierSnapshot, TrunkSnapshot } from '../core/snapshot.js';
import type { OnPage } from './paging.js';

/** What a carrier can do, as data: commands and rules ask this, never the carrier's name. */
export interface CarrierCapabilities {
  /** Elastic SIP trunks (list, attach, origination URLs, credential lists). Without them a pool names its termination URI. */
  trunks: boolean;
}

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

export interface UpdateCarrierNumberOptions {
  voiceUrl?: string | null;
  smsUrl?: string | null;
  friendlyName?: string;
}

/** Trunk operations of a carrier whose capabilities include `trunks`. */
export interface CarrierTrunks {
  /** One trunk with its phone numbers, origination URLs and credential lists; null when it does not exist. */
  fetchTrunk(sid: string): Promise<TrunkSnapshot | null>;
  /** Associates a number (by its carrier SID) with a trunk. Already attached counts as done. */
  attach(trunkSid: string, numberSid: string): Promise<void>;
  /** Removes a number from a trunk. Returns false when it was not on the trunk. */
  detach(trunkSid: string, numberSid: string): Promise<boolean>;
}

/**
 * The carrier account's own API credentials, for a voice platform that imports numbers through the
 * carrier's API rather than over SIP (Vapi's `twilio` provider). Secrets: registered, never written.
 */
export interface CarrierApiCredentials {
  /** The carrier's name: the platform picks its import method by it. */
  carrier: string;
  accountSid: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
}

/**
 * Where numbers are bought and held. Contract for every method: failures throw a ProviderError (exit 5)
 * whose one-line message names the carrier, the operation and the HTTP status and never a secret; 429/5xx,
 * dropped connections and timeouts are retried by phone-dir's one retry policy; a purchase is never sent
 * twice blindly (after an ambiguous failure the adapter looks the number up first).
 */
export interface Carrier {
  readonly name: string;
  readonly capabilities: CarrierCapabilities;
  /** Every number (and, with trunks, every trunk and credential list), sorted; requests grow with pages, not numbers. */
  fetchSnapshot(onPage?: OnPage): Promise<CarrierSnapshot>;
  /** The number with this E.164 (one filtered request), or null. */
  findNumber(e164: string): Promise<CarrierNumberSnapshot | null>;
  /** Numbers for sale, voice-capable. One request. */
  searchAvailable(options: SearchAvailableOptions): Promise<AvailableNumber[]>;
  purchase(options: PurchaseOptions): Promise<CarrierNumberSnapshot>;
  /** Updates voice/SMS URLs or friendly name (idempotent, so retried). */
  updateNumber(sid: string, changes: UpdateCarrierNumberOptions): Promise<CarrierNumberSnapshot>;
  /** Releases a number from the account. Returns false when it did not exist. Irreversible. */
  release(sid: string): Promise<boolean>;
  /** Present exactly when `capabilities.trunks`. */
  readonly trunks?: CarrierTrunks;
  /** For platforms that import through the carrier's API; null when the carrier offers none. */
  apiCredentials(): CarrierApiCredentials | null;
}
