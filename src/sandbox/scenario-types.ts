import { z } from 'zod';

/** The scenario document: what the emulated Twilio account and Retell workspaces contain at start-up. */

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +14155550101');
const sid = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `expected a ${prefix} SID (${prefix} + 32 hex digits)`);
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date');

export const capabilitiesSchema = z.strictObject({
  voice: z.boolean().optional(),
  sms: z.boolean().optional(),
  mms: z.boolean().optional(),
  fax: z.boolean().optional(),
});

export const incomingNumberSchema = z.strictObject({
  sid: sid('PN').optional(),
  phone_number: e164,
  friendly_name: z.string().optional(),
  capabilities: capabilitiesSchema.optional(),
  type: z.enum(['local', 'toll-free', 'mobile']).optional(),
  trunk_sid: sid('TK').nullable().optional(),
  voice_url: z.string().nullable().optional(),
  sms_url: z.string().optional(),
  date_created: isoDate.optional(),
  origin: z.enum(['twilio', 'hosted']).optional(),
});

export const credentialListSchema = z.strictObject({
  sid: sid('CL').optional(),
  friendly_name: z.string().min(1),
  date_created: isoDate.optional(),
  credentials: z
    .array(z.strictObject({ sid: sid('CR').optional(), username: z.string().min(1).max(32), password: z.string().min(1) }))
    .optional(),
});

export const trunkSchema = z.strictObject({
  sid: sid('TK').optional(),
  friendly_name: z.string(),
  domain_name: z.string().regex(/^[a-z0-9-]+\.pstn\.twilio\.com$/, 'expected <name>.pstn.twilio.com'),
  date_created: isoDate.optional(),
  secure: z.boolean().optional(),
  origination_urls: z
    .array(
      z.strictObject({
        sid: sid('OU').optional(),
        sip_url: z.string().startsWith('sip:'),
        friendly_name: z.string().optional(),
        weight: z.number().int().min(1).max(65535).optional(),
        priority: z.number().int().min(0).max(65535).optional(),
        enabled: z.boolean().optional(),
      }),
    )
    .optional(),
  /** SIDs of account credential lists associated with the trunk. */
  credential_lists: z.array(sid('CL')).optional(),
});

export const availableNumberSchema = z.strictObject({
  phone_number: e164,
  type: z.enum(['local', 'toll-free']).optional(),
  locality: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  postal_code: z.string().nullable().optional(),
});

export const twilioScenarioSchema = z.strictObject({
  account_sid: sid('AC'),
  auth_token: z.string().min(1),
  api_keys: z.array(z.strictObject({ sid: sid('SK'), secret: z.string().min(1) })).optional(),
  credential_lists: z.array(credentialListSchema).optional(),
  trunks: z.array(trunkSchema).optional(),
  incoming_phone_numbers: z.array(incomingNumberSchema).optional(),
  available_phone_numbers: z
    .strictObject({
      /** false: only `numbers` are for sale; true (default): also the deterministic +1 NPA 555 XXXX generator. */
      generate: z.boolean().optional(),
      /** Area codes searched when a Local search gives no AreaCode. */
      area_codes: z.array(z.number().int().min(200).max(999)).optional(),
      numbers: z.array(availableNumberSchema).optional(),
    })
    .optional(),
});

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a UUID (SignalWire SIDs are UUIDs)');

/** A SignalWire number: a Twilio 2010 IncomingPhoneNumber without trunk, with a UUID sid. */
export const signalwireNumberSchema = incomingNumberSchema.omit({ sid: true, trunk_sid: true, origin: true }).extend({ sid: uuid.optional() });

/** A SignalWire project served through its Compatibility (LaML) API. */
export const signalwireScenarioSchema = z.strictObject({
  space_url: z.string().regex(/^[a-z0-9-]+\.signalwire\.com$/, 'expected <space>.signalwire.com'),
  project_id: uuid,
  api_token: z.string().min(1),
  incoming_phone_numbers: z.array(signalwireNumberSchema).optional(),
  available_phone_numbers: twilioScenarioSchema.shape.available_phone_numbers,
});

export const agentWeightSchema = z.strictObject({
  agent_id: z.string().min(1),
  weight: z.number().gt(0).lte(1),
  agent_version: z.union([z.number().int().min(0), z.string().min(1)]).optional(),
});

export const agentSchema = z.strictObject({
  agent_id: z.string().min(1),
  agent_name: z.string(),
  channel: z.enum(['voice', 'chat']).optional(),
  version: z.number().int().min(0).optional(),
  is_published: z.boolean().optional(),
  tags: z.record(z.string(), z.strictObject({ version: z.number().int().optional() })).optional(),
  last_modification_timestamp: z.number().int().optional(),
});

const agentList = z.array(agentWeightSchema).nullable().optional();

export const retellNumberSchema = z.strictObject({
  phone_number: e164,
  phone_number_type: z.enum(['custom', 'retell-twilio', 'retell-telnyx']).optional(),
  nickname: z.string().nullable().optional(),
  inbound_agents: agentList,
  outbound_agents: agentList,
  inbound_sms_agents: agentList,
  outbound_sms_agents: agentList,
  inbound_webhook_url: z.string().nullable().optional(),
  termination_uri: z.string().optional(),
  auth_username: z.string().optional(),
  transport: z.enum(['TCP', 'UDP', 'TLS']).optional(),
  allowed_inbound_country_list: z.array(z.string().length(2)).nullable().optional(),
  allowed_outbound_country_list: z.array(z.string().length(2)).nullable().optional(),
  fallback_number: z.string().nullable().optional(),
  /** Serve this number in the deprecated single-id shape (inbound_agent_id / outbound_agent_id). */
  legacy_agent_fields: z.boolean().optional(),
  last_modification_timestamp: z.number().int().optional(),
});

export const workspaceSchema = z.strictObject({
  api_key: z.string().min(1),
  agents: z.array(agentSchema).optional(),
  phone_numbers: z.array(retellNumberSchema).optional(),
});

const vapiUuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'expected a UUID');

export const vapiAssistantSchema = z.strictObject({
  id: vapiUuid,
  name: z.string().min(1),
  created_at: isoDate.optional(),
});

export const vapiCredentialSchema = z.strictObject({
  id: vapiUuid,
  provider: z.enum(['byo-sip-trunk', 'vonage', 'telnyx']),
  name: z.string().optional(),
  /** byo-sip-trunk: the SIP hosts Vapi sends calls to (a SignalWire space's SIP domain…). */
  gateways: z.array(z.strictObject({ ip: z.string().min(1), port: z.number().int().min(1).max(65535).optional() })).optional(),
  auth_username: z.string().optional(),
  auth_password: z.string().optional(),
  created_at: isoDate.optional(),
});

export const vapiNumberSchema = z.strictObject({
  id: vapiUuid.optional(),
  provider: z.enum(['twilio', 'vonage', 'vapi', 'telnyx', 'byo-phone-number']),
  /** E.164; a `vapi` number may have only a sip_uri. */
  number: e164.optional(),
  name: z.string().optional(),
  assistant_id: vapiUuid.optional(),
  credential_id: vapiUuid.optional(),
  twilio_account_sid: sid('AC').optional(),
  twilio_auth_token: z.string().optional(),
  server_url: z.string().optional(),
  sip_uri: z.string().optional(),
  created_at: isoDate.optional(),
  updated_at: isoDate.optional(),
});

export const vapiOrgSchema = z.strictObject({
  api_key: z.string().min(1),
  org_id: vapiUuid.optional(),
  /** The workspace's name for people (the printed workspaces.json's "name"). */
  name: z.string().optional(),
  assistants: z.array(vapiAssistantSchema).optional(),
  credentials: z.array(vapiCredentialSchema).optional(),
  phone_numbers: z.array(vapiNumberSchema).optional(),
});

export const faultSpecSchema = z.strictObject({
  match: z.string().optional(),
  service: z.enum(['twilio', 'retell', 'signalwire', 'vapi']).optional(),
  status: z.number().int().min(400).max(599).optional(),
  retry_after: z.number().min(0).optional(),
  latency_ms: z.number().int().min(0).optional(),
  drop: z.boolean().optional(),
  /** With drop or status: the request is still carried out, this many ms after the client got the fault (a sale that lands late). */
  commit_after_ms: z.number().int().min(0).optional(),
  /** Answer from the state at arrival, but send the answer only once the fault is released (race tests). With commit_after_ms: the answer goes at once, and the late run waits for the release. */
  hold: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
});

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  twilio: twilioScenarioSchema,
  /** Optional: a SignalWire project beside the Twilio account. */
  signalwire: signalwireScenarioSchema.optional(),
  retell: z.strictObject({
    /** Status for an unknown phone number / agent. The vendor document says 422; 404 is allowed for tests. */
    missing_resource_status: z.union([z.literal(404), z.literal(422)]).optional(),
    workspaces: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'workspace names are letters, digits, - and _'), workspaceSchema),
  }),
  /** Vapi organisations, keyed by the phone-dir workspace they stand for. */
  vapi: z.strictObject({
    workspaces: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'workspace names are letters, digits, - and _'), vapiOrgSchema),
  }).optional(),
  faults: z.array(faultSpecSchema).optional(),
  /** Delay every emulated request by this many milliseconds. */
  latency_ms: z.number().int().min(0).optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type TwilioScenario = z.infer<typeof twilioScenarioSchema>;
export type IncomingNumberSpec = z.infer<typeof incomingNumberSchema>;
export type SignalwireScenario = z.infer<typeof signalwireScenarioSchema>;
export type SignalwireNumberSpec = z.infer<typeof signalwireNumberSchema>;
export type TrunkSpec = z.infer<typeof trunkSchema>;
export type CredentialListSpec = z.infer<typeof credentialListSchema>;
export type RetellWorkspaceSpec = z.infer<typeof workspaceSchema>;
export type RetellNumberSpec = z.infer<typeof retellNumberSchema>;
export type AgentSpec = z.infer<typeof agentSchema>;
export type AgentWeight = z.infer<typeof agentWeightSchema>;
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type VapiOrgSpec = z.infer<typeof vapiOrgSchema>;
export type VapiNumberSpec = z.infer<typeof vapiNumberSchema>;
