import { capabilitiesFor, DEFAULT_AREA_CODES, TOLL_FREE_PREFIXES } from './available.js';
import { makeSid, signalwireNumberSid } from './ids.js';
import { nationalFormat } from './phone-format.js';
import type { AgentWeight, IncomingNumberSpec, RetellNumberSpec, Scenario, SignalwireScenario, TwilioScenario } from './scenario-types.js';
import {
  SandboxState, TwilioState, newIncomingNumber, type Agent, type AgentRef, type AvailableConfig, type CredentialList, type IncomingNumber, type RetellNumber,
  type RetellWorkspace, type SignalwireProject, type Trunk,
} from './state.js';
import { buildVapi } from './vapi-scenario.js';
import { VersionedMap } from './versioned-map.js';

/** Scenario dates are optional; without one, resources date from this fixed instant (deterministic output). */
export const DEFAULT_DATE = '2024-01-02T17:00:00Z';
const date = (s: string | undefined) => new Date(s ?? DEFAULT_DATE);

const defaultType = (e164: string) => (TOLL_FREE_PREFIXES.includes(Number(e164.slice(2, 5))) ? 'toll-free' : 'local');

function availableConfig(avail: TwilioScenario['available_phone_numbers']): AvailableConfig {
  return {
    generate: avail?.generate ?? true,
    areaCodes: avail?.area_codes ?? DEFAULT_AREA_CODES,
    explicit: (avail?.numbers ?? []).map((n) => ({
      phoneNumber: n.phone_number,
      type: n.type ?? defaultType(n.phone_number),
      locality: n.locality ?? null,
      region: n.region ?? null,
      postalCode: n.postal_code ?? null,
    })),
  };
}

/** The account's numbers; `sidOf` gives the SID of a number the scenario leaves without one. */
function addNumbers(tw: TwilioState, specs: IncomingNumberSpec[], sidOf: (e164: string) => string, origin: IncomingNumber['origin']): void {
  for (const spec of specs) {
    const created = date(spec.date_created);
    const type = spec.type ?? defaultType(spec.phone_number);
    const n = newIncomingNumber({
      sid: spec.sid ?? sidOf(spec.phone_number),
      phoneNumber: spec.phone_number,
      friendlyName: spec.friendly_name ?? nationalFormat(spec.phone_number),
      capabilities: { ...capabilitiesFor(spec.phone_number, type), ...spec.capabilities },
      type,
      origin: spec.origin ?? origin,
      trunkSid: spec.trunk_sid ?? null,
      voiceUrl: spec.voice_url ?? null,
      smsUrl: spec.sms_url ?? '',
      dateCreated: created,
    });
    tw.numbers.set(n.sid, n);
  }
}

/** A SignalWire project: the project id and API token authenticate as an account SID and auth token do. */
function buildSignalwire(s: SignalwireScenario): SignalwireProject {
  const account = new TwilioState(s.project_id, s.api_token, new Map(), availableConfig(s.available_phone_numbers));
  addNumbers(account, s.incoming_phone_numbers ?? [], (e164) => signalwireNumberSid(s.project_id, e164), 'signalwire');
  return { spaceUrl: s.space_url, account };
}

function buildTwilio(s: Scenario): TwilioState {
  const t = s.twilio;
  const tw = new TwilioState(t.account_sid, t.auth_token, new Map((t.api_keys ?? []).map((k) => [k.sid, k.secret])), availableConfig(t.available_phone_numbers));
  for (const spec of t.credential_lists ?? []) {
    const created = date(spec.date_created);
    const cl: CredentialList = { sid: spec.sid ?? makeSid('CL', spec.friendly_name), friendlyName: spec.friendly_name, credentials: new VersionedMap(), dateCreated: created, dateUpdated: created };
    for (const c of spec.credentials ?? []) {
      const sid = c.sid ?? makeSid('CR', `${cl.sid}:${c.username}`);
      cl.credentials.set(sid, { sid, username: c.username, password: c.password, dateCreated: created, dateUpdated: created });
    }
    tw.credentialLists.set(cl.sid, cl);
  }
  for (const spec of t.trunks ?? []) {
    const created = date(spec.date_created);
    const trunk: Trunk = {
      sid: spec.sid ?? makeSid('TK', spec.domain_name),
      friendlyName: spec.friendly_name,
      domainName: spec.domain_name,
      secure: spec.secure ?? false,
      originationUrls: new VersionedMap(),
      credentialLists: new VersionedMap(),
      dateCreated: created,
      dateUpdated: created,
    };
    (spec.origination_urls ?? []).forEach((o, i) => {
      const sid = o.sid ?? makeSid('OU', `${trunk.sid}:${o.sip_url}:${i}`);
      trunk.originationUrls.set(sid, {
        sid, sipUrl: o.sip_url, friendlyName: o.friendly_name ?? spec.friendly_name, weight: o.weight ?? 10, priority: o.priority ?? 10,
        enabled: o.enabled ?? true, dateCreated: created, dateUpdated: created,
      });
    });
    for (const cl of spec.credential_lists ?? []) trunk.credentialLists.set(cl, { sid: cl, dateCreated: created });
    tw.trunks.set(trunk.sid, trunk);
  }
  addNumbers(tw, t.incoming_phone_numbers ?? [], (e164) => makeSid('PN', e164), 'twilio');
  return tw;
}

const refs = (list: AgentWeight[] | null | undefined): AgentRef[] | null => (list ? list.map((r) => ({ ...r })) : null);

/** SIP settings of an imported number default to its trunk's domain and first credential username. */
function sipFor(tw: TwilioState, spec: RetellNumberSpec): RetellNumber['sip'] {
  if ((spec.phone_number_type ?? 'custom') !== 'custom') return null;
  const owned = tw.findByPhone(spec.phone_number);
  const trunk = owned?.trunkSid ? tw.trunks.get(owned.trunkSid) : undefined;
  const firstCl = trunk ? tw.credentialLists.get([...trunk.credentialLists.keys()][0] ?? '') : undefined;
  const firstUser = firstCl ? [...firstCl.credentials.values()][0]?.username : undefined;
  return {
    terminationUri: spec.termination_uri ?? trunk?.domainName ?? '',
    authUsername: spec.auth_username ?? firstUser ?? null,
    authPassword: null,
    transport: spec.transport ?? 'TCP',
  };
}

export function buildState(s: Scenario): SandboxState {
  const tw = buildTwilio(s);
  const state = new SandboxState(tw, s.retell.missing_resource_status ?? 422);
  if (s.signalwire) state.signalwire = buildSignalwire(s.signalwire);
  const baseTs = Date.parse(DEFAULT_DATE);
  for (const [name, w] of Object.entries(s.retell.workspaces)) {
    const ws: RetellWorkspace = { name, apiKey: w.api_key, agents: new VersionedMap(), numbers: new VersionedMap() };
    for (const a of w.agents ?? []) {
      const agent: Agent = {
        agentId: a.agent_id,
        agentName: a.agent_name,
        channel: a.channel ?? 'voice',
        version: a.version ?? 1,
        isPublished: a.is_published ?? true,
        tags: a.tags ?? {},
        lastModification: a.last_modification_timestamp ?? baseTs,
      };
      ws.agents.set(agent.agentId, agent);
    }
    for (const n of w.phone_numbers ?? []) {
      ws.numbers.set(n.phone_number, {
        phoneNumber: n.phone_number,
        type: n.phone_number_type ?? 'custom',
        nickname: n.nickname ?? null,
        inboundAgents: refs(n.inbound_agents),
        outboundAgents: refs(n.outbound_agents),
        inboundSmsAgents: refs(n.inbound_sms_agents),
        outboundSmsAgents: refs(n.outbound_sms_agents),
        inboundWebhookUrl: n.inbound_webhook_url ?? null,
        inboundSmsWebhookUrl: null,
        allowedInboundCountries: n.allowed_inbound_country_list ?? null,
        allowedOutboundCountries: n.allowed_outbound_country_list ?? null,
        fallbackNumber: n.fallback_number ?? null,
        sip: sipFor(tw, n),
        legacyAgentFields: n.legacy_agent_fields ?? false,
        lastModification: n.last_modification_timestamp ?? baseTs,
      });
    }
    state.retell.set(name, ws);
  }
  buildVapi(s, state, DEFAULT_DATE);
  return state;
}
