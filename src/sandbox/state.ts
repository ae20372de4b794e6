import type { VapiOrg } from './vapi-state.js';
import { VersionedMap } from './versioned-map.js';

export type HttpMethodGP = 'GET' | 'POST';
export interface Capabilities { voice: boolean; sms: boolean; mms: boolean; fax: boolean }
export type NumberType = 'local' | 'toll-free' | 'mobile';

export interface IncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: Capabilities;
  type: NumberType;
  /** `signalwire` for a SignalWire project's own numbers (its LaML API says so). */
  origin: 'twilio' | 'hosted' | 'signalwire';
  trunkSid: string | null;
  voiceUrl: string | null;
  voiceMethod: HttpMethodGP;
  voiceFallbackUrl: string | null;
  voiceFallbackMethod: HttpMethodGP;
  voiceApplicationSid: string;
  smsUrl: string;
  smsMethod: HttpMethodGP;
  smsFallbackUrl: string;
  smsFallbackMethod: HttpMethodGP;
  smsApplicationSid: string;
  statusCallback: string;
  statusCallbackMethod: HttpMethodGP;
  dateCreated: Date;
  dateUpdated: Date;
}

/** A new IncomingPhoneNumber with Twilio's defaults for everything not given (mixed "" / null, as on the wire). */
export function newIncomingNumber(init: Pick<IncomingNumber, 'sid' | 'phoneNumber' | 'friendlyName' | 'capabilities' | 'type' | 'dateCreated'> & Partial<IncomingNumber>): IncomingNumber {
  return {
    origin: 'twilio',
    trunkSid: null,
    voiceUrl: null,
    voiceMethod: 'POST',
    voiceFallbackUrl: null,
    voiceFallbackMethod: 'POST',
    voiceApplicationSid: '',
    smsUrl: '',
    smsMethod: 'POST',
    smsFallbackUrl: '',
    smsFallbackMethod: 'POST',
    smsApplicationSid: '',
    statusCallback: '',
    statusCallbackMethod: 'POST',
    dateUpdated: init.dateCreated,
    ...init,
  };
}

export interface Credential { sid: string; username: string; password: string; dateCreated: Date; dateUpdated: Date }
export interface CredentialList {
  sid: string;
  friendlyName: string;
  credentials: VersionedMap<string, Credential>;
  dateCreated: Date;
  dateUpdated: Date;
}
export interface OriginationUrl {
  sid: string;
  sipUrl: string;
  friendlyName: string;
  weight: number;
  priority: number;
  enabled: boolean;
  dateCreated: Date;
  dateUpdated: Date;
}
export interface Trunk {
  sid: string;
  friendlyName: string;
  domainName: string;
  secure: boolean;
  originationUrls: VersionedMap<string, OriginationUrl>;
  /** Account credential lists associated with the trunk (key: CL sid). */
  credentialLists: VersionedMap<string, { sid: string; dateCreated: Date }>;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface AvailableEntry {
  phoneNumber: string;
  type: 'local' | 'toll-free';
  locality: string | null;
  region: string | null;
  postalCode: string | null;
}
export interface AvailableConfig { generate: boolean; areaCodes: number[]; explicit: AvailableEntry[] }

export class TwilioState {
  readonly numbers = new VersionedMap<string, IncomingNumber>();
  readonly trunks = new VersionedMap<string, Trunk>();
  readonly credentialLists = new VersionedMap<string, CredentialList>();
  private phoneIndex: { version: number; bySid: Map<string, string> } | undefined;

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
    readonly apiKeys: Map<string, string>,
    readonly available: AvailableConfig,
  ) {}

  /** The IncomingPhoneNumber that owns `e164`, if the account has it. */
  findByPhone(e164: string): IncomingNumber | undefined {
    if (!this.phoneIndex || this.phoneIndex.version !== this.numbers.version) {
      const bySid = new Map<string, string>();
      for (const n of this.numbers.values()) bySid.set(n.phoneNumber, n.sid);
      this.phoneIndex = { version: this.numbers.version, bySid };
    }
    const sid = this.phoneIndex.bySid.get(e164);
    return sid === undefined ? undefined : this.numbers.get(sid);
  }
}

export interface AgentRef { agent_id: string; weight: number; agent_version?: number | string }

export interface Agent {
  agentId: string;
  agentName: string;
  channel: 'voice' | 'chat';
  version: number;
  isPublished: boolean;
  tags: Record<string, { version?: number }>;
  lastModification: number;
}

export interface RetellNumber {
  phoneNumber: string;
  type: 'custom' | 'retell-twilio' | 'retell-telnyx';
  nickname: string | null;
  inboundAgents: AgentRef[] | null;
  outboundAgents: AgentRef[] | null;
  inboundSmsAgents: AgentRef[] | null;
  outboundSmsAgents: AgentRef[] | null;
  inboundWebhookUrl: string | null;
  inboundSmsWebhookUrl: string | null;
  allowedInboundCountries: string[] | null;
  allowedOutboundCountries: string[] | null;
  fallbackNumber: string | null;
  sip: { terminationUri: string; authUsername: string | null; authPassword: string | null; transport: string } | null;
  /** Serve inbound_agent_id/outbound_agent_id instead of the weighted lists (deprecated API shape). */
  legacyAgentFields: boolean;
  lastModification: number;
}

export interface RetellWorkspace {
  name: string;
  apiKey: string;
  agents: VersionedMap<string, Agent>;
  numbers: VersionedMap<string, RetellNumber>;
}

/** A SignalWire project: its numbers live in a TwilioState (the LaML API is Twilio's 2010 API), without trunks. */
export interface SignalwireProject {
  spaceUrl: string;
  /** The project id is the LaML account SID; the API token its Basic auth password. */
  account: TwilioState;
}

export class SandboxState {
  readonly retell = new Map<string, RetellWorkspace>();
  /** Present when the scenario has a `signalwire` section. */
  signalwire: SignalwireProject | null = null;
  /** Vapi organisations by workspace name. */
  readonly vapi = new Map<string, VapiOrg>();

  constructor(
    readonly twilio: TwilioState,
    public retellMissingStatus: 404 | 422 = 422,
  ) {}

  workspaceByKey(apiKey: string): RetellWorkspace | undefined {
    for (const ws of this.retell.values()) if (ws.apiKey === apiKey) return ws;
    return undefined;
  }

  vapiOrgByKey(apiKey: string): VapiOrg | undefined {
    for (const org of this.vapi.values()) if (org.apiKey === apiKey) return org;
    return undefined;
  }
}
