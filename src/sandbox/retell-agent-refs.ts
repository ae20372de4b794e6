import type { AgentRef, RetellWorkspace } from './state.js';
import { badRequest } from './retell-context.js';

type ListKey = 'inbound_agents' | 'outbound_agents' | 'inbound_sms_agents' | 'outbound_sms_agents';

/**
 * Reads one of the weighted agent lists from a request body: undefined = not given, null = unbind.
 * Every agent must exist in the workspace (voice agents for calls, chat agents for SMS) and the
 * weights of a non-empty list must add up to 1.
 */
export function readAgentList(ws: RetellWorkspace, body: Record<string, unknown>, key: ListKey): AgentRef[] | null | undefined {
  let v = body[key];
  // The deprecated single-id request fields are still accepted, as the vendor document lists them.
  const legacy = key === 'inbound_agents' ? 'inbound_agent' : key === 'outbound_agents' ? 'outbound_agent' : undefined;
  if (v === undefined && legacy && body[`${legacy}_id`] !== undefined) {
    const id = body[`${legacy}_id`];
    const version = body[`${legacy}_version`];
    v = id === null ? null : [{ agent_id: id, weight: 1, ...(version !== undefined && version !== null ? { agent_version: version } : {}) }];
  }
  if (v === undefined || v === null) return v;
  if (!Array.isArray(v)) throw badRequest(`${key} must be a list of {agent_id, weight, agent_version?}`);
  const channel = key.includes('sms') ? 'chat' : 'voice';
  const seen = new Set<string>();
  const refs = v.map((item, i): AgentRef => {
    const at = `${key}[${i}]`;
    if (typeof item !== 'object' || item === null) throw badRequest(`${at} must be an object`);
    const { agent_id, weight, agent_version } = item as Record<string, unknown>;
    if (typeof agent_id !== 'string' || agent_id === '') throw badRequest(`${at}.agent_id must be a non-empty string`);
    if (typeof weight !== 'number' || !(weight > 0 && weight <= 1)) throw badRequest(`${at}.weight must be a number in (0, 1]`);
    if (seen.has(agent_id)) throw badRequest(`${at}: agent ${agent_id} is listed twice`);
    seen.add(agent_id);
    const agent = ws.agents.get(agent_id);
    if (!agent || agent.channel !== channel) throw badRequest(`${at}: ${channel} agent ${agent_id} not found in this workspace`);
    if (agent_version !== undefined) {
      const ok =
        (typeof agent_version === 'number' && Number.isInteger(agent_version) && agent_version >= 0 && agent_version <= agent.version) ||
        (typeof agent_version === 'string' && (agent_version === 'latest' || agent_version === 'latest_published' || agent_version in agent.tags));
      if (!ok) throw badRequest(`${at}.agent_version ${JSON.stringify(agent_version)} does not exist for agent ${agent_id}`);
    }
    return { agent_id, weight, ...(agent_version !== undefined ? { agent_version: agent_version as number | string } : {}) };
  });
  const sum = refs.reduce((s, r) => s + r.weight, 0);
  if (refs.length > 0 && Math.abs(sum - 1) > 1e-6) throw badRequest(`${key}: weights must add up to 1 (got ${sum})`);
  return refs;
}
