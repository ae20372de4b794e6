import type { Capabilities } from './model.js';
import type { PhoneNumberType } from './phone.js';

/** What Twilio says, already mapped from the wire by the adapter (ISO dates, nulls for empties). */
export interface TwilioNumberSnapshot {
  sid: string;
  phone_number: string;
  friendly_name: string | null;
  capabilities: Capabilities;
  /** Twilio's own `type` when it sends one. */
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

/** Usernames only: Twilio never returns SIP passwords and phone-dir never stores them. */
export interface CredentialListSnapshot { sid: string; friendly_name: string | null; usernames: string[] }

export interface TwilioSnapshot {
  numbers: TwilioNumberSnapshot[];
  trunks: TrunkSnapshot[];
  credential_lists: CredentialListSnapshot[];
}

export interface RetellAgentRef { agent_id: string; weight: number }

export interface RetellNumberSnapshot {
  phone_number: string;
  phone_number_type: 'retell-twilio' | 'retell-telnyx' | 'custom';
  nickname: string | null;
  /** From `inbound_agents`, or from the deprecated `inbound_agent_id` as one agent of weight 1. */
  inbound_agents: RetellAgentRef[];
  outbound_agents: RetellAgentRef[];
  termination_uri: string | null;
  auth_username: string | null;
  inbound_webhook_url: string | null;
  last_modified: string | null;
}

export interface RetellAgentSnapshot { agent_id: string; agent_name: string | null; channel: string }

export interface RetellSnapshot {
  workspace: string;
  numbers: RetellNumberSnapshot[];
  agents: RetellAgentSnapshot[];
}

export interface AvailableNumber { phone_number: string; friendly_name: string | null; capabilities: Capabilities; region: string | null; locality: string | null }

/** A number a provider listed that is not a valid E.164 number: sync skips it rather than write it. */
export interface SkippedNumber { source: string; phone_number: string }

/**
 * The snapshots without the numbers `isValid` rejects (validate's own E.164 rule), so that a provider's bad
 * entry (`" +1415…"`, `"+1415555"`, `"__proto__"`) never reaches a file that the next command cannot read.
 */
export function withoutInvalidNumbers(
  twilio: TwilioSnapshot | null,
  retell: RetellSnapshot[],
  isValid: (phone: string) => boolean,
): { twilio: TwilioSnapshot | null; retell: RetellSnapshot[]; skipped: SkippedNumber[] } {
  const skipped: SkippedNumber[] = [];
  const keep = <T extends { phone_number: string }>(source: string, numbers: T[]): T[] =>
    numbers.filter((n) => {
      const ok = typeof n.phone_number === 'string' && isValid(n.phone_number);
      if (!ok) skipped.push({ source, phone_number: String(n.phone_number) });
      return ok;
    });
  return {
    twilio: twilio && { ...twilio, numbers: keep('twilio', twilio.numbers) },
    retell: retell.map((snap) => ({ ...snap, numbers: keep(snap.workspace, snap.numbers) })),
    skipped,
  };
}
