import type { Capabilities, ImportMethod } from './model.js';
import type { PhoneNumberType } from './phone.js';

/*
 * What the carriers and voice platforms say, already mapped from the wire by their adapters (ISO dates,
 * nulls for empties). These are the canonical snapshot types: reconcile, plan, safety and the pool read
 * only these, whichever vendor an adapter speaks to.
 */

/** One number held at a carrier. */
export interface CarrierNumberSnapshot {
  sid: string;
  phone_number: string;
  friendly_name: string | null;
  capabilities: Capabilities;
  /** The carrier's own number type when it sends one. */
  type: PhoneNumberType | null;
  trunk_sid: string | null;
  voice_url: string | null;
  sms_url: string | null;
  date_created: string | null;
}

export interface OriginationUrlSnapshot { sid: string; sip_url: string; friendly_name: string | null; priority: number; weight: number; enabled: boolean }

export interface TrunkSnapshot {
  sid: string;
  friendly_name: string | null;
  domain_name: string | null;
  auth_type: string | null;
  credential_list_sids: string[];
  origination_urls: OriginationUrlSnapshot[];
  phone_numbers: { sid: string; phone_number: string }[];
  date_created: string | null;
  date_updated: string | null;
}

/** Usernames only: carriers never return SIP passwords and phone-dir never stores them. */
export interface CredentialListSnapshot { sid: string; friendly_name: string | null; usernames: string[] }

/** Everything one carrier account holds. A carrier without trunks lists none. */
export interface CarrierSnapshot {
  /** The carrier's name in the registry: the number's `provider` and the name of its block in the views. */
  carrier: string;
  numbers: CarrierNumberSnapshot[];
  trunks: TrunkSnapshot[];
  credential_lists: CredentialListSnapshot[];
}

/** An agent bound to one side of a number, with its share of the calls. */
export interface AgentRef { agent_id: string; weight: number }

/** One number as a voice-platform workspace has it. */
export interface PlatformNumberSnapshot {
  phone_number: string;
  /**
   * The platform's own ids of the number by field name (`{ vapi_phone_number_id: "…" }`) when it addresses
   * numbers by id: recorded in the views as they are, never asked of the user. Empty for the others.
   */
  platform_ids: Record<string, string>;
  /**
   * Who holds the number, as the platform says: a number it bought itself (`retell-twilio`, `vapi`…)
   * or one from a carrier account phone-dir may also list (`custom` for a SIP import).
   */
  provider: string;
  /** true: the platform's word on `provider` stands (it bought the number); false: a carrier phone-dir lists knows better. */
  provider_is_platform: boolean;
  import_method: ImportMethod;
  nickname: string | null;
  /** Weighted agents; a platform with one agent per side gives one of weight 1. */
  inbound_agents: AgentRef[];
  outbound_agents: AgentRef[];
  termination_uri: string | null;
  auth_username: string | null;
  inbound_webhook_url: string | null;
  last_modified: string | null;
}

export interface PlatformAgentSnapshot { agent_id: string; agent_name: string | null }

/** Everything one voice-platform workspace holds: its numbers and its voice agents. */
export interface PlatformSnapshot {
  workspace: string;
  /** The platform's registry name, recorded in the workspace's numbers.json. */
  platform: string;
  numbers: PlatformNumberSnapshot[];
  agents: PlatformAgentSnapshot[];
}

export interface AvailableNumber { phone_number: string; friendly_name: string | null; capabilities: Capabilities; region: string | null; locality: string | null }

/** A number a provider listed that is not a valid E.164 number: sync skips it rather than write it. */
export interface SkippedNumber { source: string; phone_number: string }

/**
 * The snapshots without the numbers `isValid` rejects (validate's own E.164 rule), so that a provider's bad
 * entry (`" +1415…"`, `"+1415555"`, `"__proto__"`) never reaches a file that the next command cannot read.
 */
export function withoutInvalidNumbers(
  carriers: CarrierSnapshot[],
  platforms: PlatformSnapshot[],
  isValid: (phone: string) => boolean,
): { carriers: CarrierSnapshot[]; platforms: PlatformSnapshot[]; skipped: SkippedNumber[] } {
  const skipped: SkippedNumber[] = [];
  const keep = <T extends { phone_number: string }>(source: string, numbers: T[]): T[] =>
    numbers.filter((n) => {
      const ok = typeof n.phone_number === 'string' && isValid(n.phone_number);
      if (!ok) skipped.push({ source, phone_number: String(n.phone_number) });
      return ok;
    });
  return {
    carriers: carriers.map((snap) => ({ ...snap, numbers: keep(snap.carrier, snap.numbers) })),
    platforms: platforms.map((snap) => ({ ...snap, numbers: keep(snap.workspace, snap.numbers) })),
    skipped,
  };
}
