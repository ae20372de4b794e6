import type { VersionedMap } from './versioned-map.js';

/** What the emulated Vapi organisations hold. Secrets (Twilio tokens, SIP passwords) are kept but never rendered. */

export type VapiProvider = 'twilio' | 'vonage' | 'vapi' | 'telnyx' | 'byo-phone-number';
export const VAPI_PROVIDERS: readonly VapiProvider[] = ['twilio', 'vonage', 'vapi', 'telnyx', 'byo-phone-number'];

export type VapiCredentialProvider = 'byo-sip-trunk' | 'vonage' | 'telnyx';

export interface VapiGateway { ip: string; port?: number; inboundEnabled?: boolean; outboundEnabled?: boolean }

export interface VapiCredential {
  id: string;
  provider: VapiCredentialProvider;
  name: string | null;
  gateways: VapiGateway[];
  authUsername: string | null;
  authPassword: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface VapiAssistant { id: string; name: string; createdAt: number; updatedAt: number }

export interface VapiNumber {
  id: string;
  provider: VapiProvider;
  /** E.164; null for a SIP-URI-only Vapi number. */
  number: string | null;
  name: string | null;
  assistantId: string | null;
  credentialId: string | null;
  twilioAccountSid: string | null;
  /** Accepted on import, never returned. */
  twilioSecret: { authToken?: string; apiKey?: string; apiSecret?: string } | null;
  serverUrl: string | null;
  sipUri: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface VapiOrg {
  /** The phone-dir workspace the org stands for (request log, snippets). */
  name: string;
  /** For people, e.g. "Support (Vapi)". */
  label: string;
  apiKey: string;
  orgId: string;
  numbers: VersionedMap<string, VapiNumber>;
  assistants: VersionedMap<string, VapiAssistant>;
  credentials: VersionedMap<string, VapiCredential>;
}
