import { badRequest, missing, type RetellCtx } from './retell-context.js';
import { readCursor } from './retell-paging.js';
import { renderAgent, renderAgentSummary } from './retell-render.js';
import type { Router } from './router.js';
import type { Agent } from './state.js';
import { json } from './types.js';
import { sortedKeys } from './versioned-map.js';

export function registerRetellAgents(r: Router<RetellCtx>): void {
  // Voice and chat agents come back together; filter_criteria narrows them (retell-sdk 5.66 AgentListParams).
  r.on('POST', '/v2/list-agents', (c) => {
    const accept = agentFilter(c.body.filter_criteria);
    const { page, has_more, pagination_key } = readCursor(c, sortedKeys(c.ws.agents), (k) => c.ws.agents.get(k), accept);
    return json(200, { items: page.map(renderAgentSummary), has_more, ...(pagination_key ? { pagination_key } : {}) });
  });
  r.on('GET', '/get-agent/{agent_id}', (c, p) => {
    const agent = p.agent_id === undefined ? undefined : c.ws.agents.get(p.agent_id);
    // Chat agents live behind /get-chat-agent, so get-agent does not know them.
    if (!agent || agent.channel !== 'voice') throw missing(c, `agent ${p.agent_id ?? ''}`);
    const raw = c.query.get('version');
    if (raw === null) return json(200, renderAgent(agent, agent.version));
    const version = Number(raw);
    if (!Number.isInteger(version) || version < 0) throw badRequest('version must be a non-negative integer');
    if (version > agent.version) throw missing(c, `agent ${agent.agentId} version ${version}`);
    return json(200, renderAgent(agent, version));
  });
}

const OPS: Record<string, (a: string, b: string) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  sw: (a, b) => a.startsWith(b),
  ew: (a, b) => a.endsWith(b),
  co: (a, b) => a.includes(b),
};

function agentFilter(criteria: unknown): ((a: Agent) => boolean) | undefined {
  if (criteria === undefined || criteria === null) return undefined;
  if (typeof criteria !== 'object') throw badRequest('filter_criteria must be an object');
  const { channel, query } = criteria as Record<string, unknown>;
  let channelTest: ((a: Agent) => boolean) | undefined;
  if (channel !== undefined) {
    const { op, value } = (channel ?? {}) as Record<string, unknown>;
    const fn = typeof op === 'string' ? OPS[op] : undefined;
    if (!fn || typeof value !== 'string') throw badRequest('filter_criteria.channel must be {type: "string", op: eq|ne|sw|ew|co, value}');
    channelTest = (a) => fn(a.channel, value);
  }
  if (query !== undefined && typeof query !== 'string') throw badRequest('filter_criteria.query must be a string');
  const q = typeof query === 'string' ? query.toLowerCase() : undefined;
  return (a) =>
    (!channelTest || channelTest(a)) &&
    (q === undefined || a.agentName.toLowerCase().includes(q) || a.agentId.toLowerCase().includes(q));
}
