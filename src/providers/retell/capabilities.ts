import type { PlatformCapabilities } from '../../ports/voice-platform.js';

/** What Retell can do: both sides, weighted agents, numbers addressed by E.164. */
export const RETELL_CAPABILITIES: PlatformCapabilities = {
  outboundBinding: true,
  weightedAgents: true,
  numberAddress: 'e164',
  agentIdPattern: /^agent_[A-Za-z0-9_]+$/,
};
