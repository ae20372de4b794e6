import type { AgentLegs, LegAgent } from '../core/query.js';
import { isSingleAgent } from '../core/query.js';
import type { AssignmentType } from '../core/model.js';
import { safeText } from './safe-text.js';

function agentName(w: LegAgent): string {
  return safeText(w.agent_path ?? w.agent_id);
}

function legText(list: LegAgent[]): string {
  if (list.length === 1) return agentName(list[0]!);
  return list.map((w) => `${agentName(w)} ${Math.round(w.weight * 100)}%`).join(', ');
}

/**
 * One line naming every agent of a binding: `agents/sales (inbound-outbound)` when one agent takes every leg,
 * else both sides, `in: agents/sales; out: agents/booking` (weighted sides with their shares). Plain text.
 */
export function agentLabel(legs: AgentLegs, type: AssignmentType, primary: string | null): string {
  if (type === 'unassigned') return 'unassigned';
  if (isSingleAgent(legs)) {
    const only = legs.inbound_agents[0] ?? legs.outbound_agents[0];
    return `${primary ? safeText(primary) : only ? agentName(only) : '?'} (${type})`;
  }
  const sides = [['in', legs.inbound_agents], ['out', legs.outbound_agents]] as const;
  return sides.filter(([, list]) => list.length > 0).map(([label, list]) => `${label}: ${legText(list)}`).join('; ');
}
