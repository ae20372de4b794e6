import { describe, expect, it } from 'vitest';
import { isVoiceAgent, mapAgentRefs, mapRetellAgent, mapRetellNumber } from '../../src/providers/retell/map.js';

const base = {
  phone_number: '+14155550101',
  phone_number_pretty: '(415) 555-0101',
  phone_number_type: 'custom',
  area_code: 415,
  nickname: 'front desk',
  inbound_webhook_url: null,
  sip_outbound_trunk_config: { termination_uri: 'retell-demo.pstn.twilio.com', auth_username: 'retell_user', transport: 'TCP' },
  last_modification_timestamp: 1703413636133,
};

describe('retell mapping', () => {
  it('maps the current shape (weighted agent lists)', () => {
    const n = mapRetellNumber({
      ...base,
      inbound_agents: [
        { agent_id: 'agent_a', agent_version: 3, weight: 0.7 },
        { agent_id: 'agent_b', weight: 0.3 },
      ],
      outbound_agents: [{ agent_id: 'agent_a', agent_version: 'latest', weight: 1 }],
    });
    expect(n).toEqual({
      phone_number: '+14155550101',
      platform_ids: {},
      provider: 'custom',
      provider_is_platform: false,
      import_method: 'sip-trunk',
      nickname: 'front desk',
      inbound_agents: [
        { agent_id: 'agent_a', weight: 0.7 },
        { agent_id: 'agent_b', weight: 0.3 },
      ],
      outbound_agents: [{ agent_id: 'agent_a', weight: 1 }],
      termination_uri: 'retell-demo.pstn.twilio.com',
      auth_username: 'retell_user',
      inbound_webhook_url: null,
      last_modified: '2023-12-24T10:27:16Z',
    });
  });

  it('maps the deprecated single-id shape as one agent of weight 1', () => {
    const n = mapRetellNumber({ ...base, inbound_agent_id: 'agent_legacy', outbound_agent_id: null });
    expect(n.inbound_agents).toEqual([{ agent_id: 'agent_legacy', weight: 1 }]);
    expect(n.outbound_agents).toEqual([]);
  });

  it('prefers non-empty lists; falls back to the single id when the list is empty or null', () => {
    expect(mapAgentRefs([{ agent_id: 'a', weight: 1 }], 'legacy')).toEqual([{ agent_id: 'a', weight: 1 }]);
    expect(mapAgentRefs([], 'legacy')).toEqual([{ agent_id: 'legacy', weight: 1 }]);
    expect(mapAgentRefs(null, 'legacy')).toEqual([{ agent_id: 'legacy', weight: 1 }]);
    expect(mapAgentRefs(null, '')).toEqual([]);
    expect(mapAgentRefs(undefined, undefined)).toEqual([]);
    // A weight missing from the wire: split evenly.
    expect(mapAgentRefs([{ agent_id: 'a' }, { agent_id: 'b' }], null)).toEqual([
      { agent_id: 'a', weight: 0.5 },
      { agent_id: 'b', weight: 0.5 },
    ]);
  });

  it('handles numbers without SIP config, nickname or timestamp', () => {
    const n = mapRetellNumber({ phone_number: '+13125550178', phone_number_type: 'retell-telnyx', sip_outbound_trunk_config: null, nickname: '' });
    expect(n).toMatchObject({ provider: 'retell-telnyx', provider_is_platform: true, import_method: 'direct-purchase', nickname: null, termination_uri: null, auth_username: null, last_modified: null, inbound_agents: [], outbound_agents: [] });
    expect(mapRetellNumber({ phone_number: '+1', phone_number_type: 'something-new' })).toMatchObject({ provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk' });
  });

  it('maps agents and keeps voice agents only', () => {
    expect(isVoiceAgent({ agent_id: 'a', channel: 'voice' })).toBe(true);
    expect(isVoiceAgent({ agent_id: 'a' })).toBe(true);
    expect(isVoiceAgent({ agent_id: 'a', channel: 'chat' })).toBe(false);
    expect(mapRetellAgent({ agent_id: 'a', agent_name: null })).toEqual({ agent_id: 'a', agent_name: null });
    expect(mapRetellAgent({ agent_id: 'a', agent_name: 'Front', channel: 'voice' })).toEqual({ agent_id: 'a', agent_name: 'Front' });
  });
});
