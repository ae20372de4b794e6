import type { AgentRef, PlatformAgentSnapshot, PlatformNumberSnapshot, PlatformSnapshot } from '../core/snapshot.js';
import type { CarrierApiCredentials } from './carrier.js';
import type { DeleteResult, OnPage } from './paging.js';

/** What a voice platform can do, as data: the pool, number commands and validate ask this, never the platform's name. */
export interface PlatformCapabilities {
  /** A number can carry an agent for outbound calls (false: inbound binding only, so `--type` must be inbound-only). */
  outboundBinding: boolean;
  /** A side can carry several weighted agents. */
  weightedAgents: boolean;
  /** How the platform's API addresses a number: by E.164, or by its own id (phone-dir records it). */
  numberAddress: 'e164' | 'id';
  /** Agent ids look like this (for telling an id from a path in arguments). */
  agentIdPattern: RegExp;
  /**
   * Carriers whose numbers the platform imports through the carrier's own API (given the carrier's
   * credentials) rather than over SIP; absent: SIP imports only.
   */
  carrierApiImports?: readonly string[];
}

/** A number as phone-dir knows it, enough for any platform to find it. */
export interface NumberRef {
  phone_number: string;
  /** The platform's ids phone-dir has recorded for it (PlatformNumberSnapshot.platform_ids), if any. */
  platform_ids?: Record<string, string>;
}

export interface ImportNumberOptions {
  phone_number: string;
  /** The SIP address the platform dials for this number (a trunk's domain, a SIP domain). */
  termination_uri: string;
  sip_auth_username?: string;
  sip_auth_password?: string;
  /** Set when the number's carrier lets platforms import through its API (then SIP details may be unused). */
  carrier_credentials?: CarrierApiCredentials | null;
  inbound_agents?: AgentRef[];
  outbound_agents?: AgentRef[];
  nickname?: string;
}

export interface UpdateBindingOptions {
  /** Replaces the inbound agents; [] unbinds. */
  inbound_agents?: AgentRef[];
  /** Replaces the outbound agents; only for platforms with outbound binding. */
  outbound_agents?: AgentRef[];
  nickname?: string | null;
}

/**
 * One workspace (account, organisation) of a voice platform. Same error contract as {@link Carrier}:
 * ProviderError (exit 5) naming the platform, operation and status; imports are never sent twice blindly.
 */
export interface VoicePlatform {
  readonly name: string;
  readonly workspace: string;
  readonly capabilities: PlatformCapabilities;
  /** Every number with its bindings and every voice agent, all pages, sorted (numbers by E.164, agents by id). */
  fetchSnapshot(onPage?: OnPage): Promise<PlatformSnapshot>;
  /** Every voice agent, all pages, sorted by id. */
  listAgents(onPage?: OnPage): Promise<PlatformAgentSnapshot[]>;
  /** One number, or null when the workspace does not have it. */
  getNumber(ref: NumberRef): Promise<PlatformNumberSnapshot | null>;
  importNumber(options: ImportNumberOptions): Promise<PlatformNumberSnapshot>;
  /** Replaces bindings and/or nickname (idempotent, retried). A not-found ProviderError for an unknown number. */
  updateNumber(ref: NumberRef, changes: UpdateBindingOptions): Promise<PlatformNumberSnapshot>;
  /** Removes the number from the workspace (unlinking its agents); `not-found` when it was already gone. */
  deleteNumber(ref: NumberRef): Promise<DeleteResult>;
}
