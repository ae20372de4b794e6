import { createHash } from 'node:crypto';
import { areaCodeOf, prettyFormat } from './phone-format.js';
import type { Agent, AgentRef, RetellNumber } from './state.js';

const copy = (refs: AgentRef[] | null) => (refs ? refs.map((r) => ({ ...r })) : null);

/** PhoneNumberResponse. Numbers flagged legacyAgentFields get the deprecated single-id fields instead of the lists. */
export function renderRetellNumber(n: RetellNumber) {
  const agents = n.legacyAgentFields
    ? {
        inbound_agent_id: n.inboundAgents?.[0]?.agent_id ?? null,
        outbound_agent_id: n.outboundAgents?.[0]?.agent_id ?? null,
        inbound_agent_version: numericVersion(n.inboundAgents?.[0]),
        outbound_agent_version: numericVersion(n.outboundAgents?.[0]),
      }
    : { inbound_agents: copy(n.inboundAgents), outbound_agents: copy(n.outboundAgents) };
  const area = areaCodeOf(n.phoneNumber);
  return {
    phone_number: n.phoneNumber,
    phone_number_pretty: prettyFormat(n.phoneNumber),
    phone_number_type: n.type,
    ...(area !== undefined ? { area_code: area } : {}),
    nickname: n.nickname,
    ...agents,
    inbound_sms_agents: copy(n.inboundSmsAgents),
    outbound_sms_agents: copy(n.outboundSmsAgents),
    inbound_webhook_url: n.inboundWebhookUrl,
    inbound_sms_webhook_url: n.inboundSmsWebhookUrl,
    allowed_inbound_country_list: n.allowedInboundCountries,
    allowed_outbound_country_list: n.allowedOutboundCountries,
    fallback_number: n.fallbackNumber,
    // The password is accepted on import/update but never returned.
    sip_outbound_trunk_config: n.sip
      ? { termination_uri: n.sip.terminationUri, auth_username: n.sip.authUsername, transport: n.sip.transport }
      : null,
    last_modification_timestamp: n.lastModification,
  };
}

function numericVersion(ref: AgentRef | undefined): number | null {
  return typeof ref?.agent_version === 'number' ? ref.agent_version : null;
}

/** Item of POST /v2/list-agents: a summary without version. */
export function renderAgentSummary(a: Agent) {
  return {
    agent_id: a.agentId,
    agent_name: a.agentName,
    channel: a.channel,
    tags: Object.fromEntries(Object.entries(a.tags).map(([k, v]) => [k, { ...v }])),
    user_modified_timestamp: a.lastModification,
  };
}

/** AgentResponse (GET /get-agent/{id}), reduced to the fields that matter for sync. */
export function renderAgent(a: Agent, version: number) {
  return {
    agent_id: a.agentId,
    version,
    is_published: a.isPublished && version === a.version,
    agent_name: a.agentName,
    response_engine: { type: 'retell-llm', llm_id: `llm_${createHash('md5').update(a.agentId).digest('hex').slice(0, 24)}`, version },
    voice_id: '11labs-Adrian',
    language: 'en-US',
    webhook_url: null,
    last_modification_timestamp: a.lastModification,
  };
}
