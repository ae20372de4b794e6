import { describe, expect, it } from 'vitest';
import { toProviderError } from '../../src/providers/errors.js';
import { vapiPlatform } from '../../src/providers/vapi/entry.js';
import { mapVapiAssistant, mapVapiNumber, type VapiCredentialWire, type VapiNumberWire } from '../../src/providers/vapi/map.js';
import { gatewayFor } from '../../src/providers/vapi/platform.js';
import { moveToResource } from '../../src/providers/vapi/transport.js';

const ASSISTANT = '852464d6-3b1f-4e89-80f8-249cf2e56bbe';
const base = (over: Partial<VapiNumberWire>): VapiNumberWire => ({
  id: '2f5d1232-6e73-435b-9e3d-3542bc6e2bb9', provider: 'vapi', number: '+14155550401', createdAt: '2025-03-11T09:00:00.000Z', updatedAt: '2025-03-12T10:11:12.345Z', ...over,
});
const trunk: VapiCredentialWire = {
  id: '6dbae00c-0daf-492b-b7e0-390971151c47', provider: 'byo-sip-trunk', createdAt: '2025-03-04T09:00:00.000Z',
  gateways: [{ ip: 'space.sip.signalwire.com' }], outboundAuthenticationPlan: { authUsername: 'vapi_user' },
};

describe('mapVapiNumber', () => {
  it.each([
    ['twilio', 'twilio', false, 'carrier-api'],
    ['vonage', 'vonage', true, 'carrier-api'],
    ['telnyx', 'telnyx', true, 'carrier-api'],
    ['vapi', 'vapi', true, 'direct-purchase'],
    ['byo-phone-number', 'custom', false, 'sip-trunk'],
    ['some-new-provider', 'some-new-provider', true, 'direct-purchase'],
  ])('%s → provider %s (platform says: %s), %s', (wire, provider, isPlatform, method) => {
    expect(mapVapiNumber(base({ provider: wire }))).toMatchObject({ provider, provider_is_platform: isPlatform, import_method: method });
  });

  it('maps id, name, the one assistant, the server URL and updatedAt in seconds', () => {
    expect(mapVapiNumber(base({ name: 'Booking', assistantId: ASSISTANT, server: { url: 'https://hooks.example/v' } }))).toEqual({
      phone_number: '+14155550401', platform_ids: { vapi_phone_number_id: '2f5d1232-6e73-435b-9e3d-3542bc6e2bb9' }, provider: 'vapi', provider_is_platform: true,
      import_method: 'direct-purchase', nickname: 'Booking', inbound_agents: [{ agent_id: ASSISTANT, weight: 1 }], outbound_agents: [],
      termination_uri: null, auth_username: null, inbound_webhook_url: 'https://hooks.example/v', last_modified: '2025-03-12T10:11:12Z',
    });
  });

  it('no assistant, empty strings and nulls become [] and null', () => {
    expect(mapVapiNumber(base({ assistantId: null, name: ' ', server: { url: '' }, updatedAt: null }))).toMatchObject({ inbound_agents: [], nickname: null, inbound_webhook_url: null, last_modified: null });
    expect(mapVapiNumber(base({ assistantId: '' }))?.inbound_agents).toEqual([]);
  });

  it('a byo number takes termination URI and username from its SIP trunk credential, never from another kind', () => {
    expect(mapVapiNumber(base({ provider: 'byo-phone-number', credentialId: trunk.id }), trunk)).toMatchObject({ termination_uri: 'space.sip.signalwire.com', auth_username: 'vapi_user' });
    expect(mapVapiNumber(base({ provider: 'byo-phone-number' }), null)).toMatchObject({ termination_uri: null, auth_username: null });
    expect(mapVapiNumber(base({ provider: 'byo-phone-number' }), { ...trunk, provider: 'vonage' })).toMatchObject({ termination_uri: null });
    expect(mapVapiNumber(base({ provider: 'vonage' }), trunk)).toMatchObject({ termination_uri: null, auth_username: null });
  });

  it('skips entries without an E.164 number (SIP-URI-only, unchecked byo numbers)', () => {
    expect(mapVapiNumber(base({ number: undefined, sipUri: 'sip:desk@sip.vapi.ai' }))).toBeNull();
    expect(mapVapiNumber(base({ provider: 'byo-phone-number', number: '4155550101' }))).toBeNull();
    expect(mapVapiNumber(base({ number: ' +14155550401' }))).toBeNull();
  });
});

describe('helpers', () => {
  it('maps assistants to agents', () => {
    expect(mapVapiAssistant({ id: ASSISTANT, name: 'Support Assistant', createdAt: 'x' })).toEqual({ agent_id: ASSISTANT, agent_name: 'Support Assistant' });
    expect(mapVapiAssistant({ id: ASSISTANT, createdAt: 'x' })).toEqual({ agent_id: ASSISTANT, agent_name: null });
  });

  it('turns a termination URI into a gateway', () => {
    expect(gatewayFor('space.sip.signalwire.com')).toEqual({ ip: 'space.sip.signalwire.com' });
    expect(gatewayFor('sip:Space.SIP.signalwire.com:5061;transport=tls')).toEqual({ ip: 'space.sip.signalwire.com', port: 5061 });
    expect(gatewayFor('sip:user@trunk.example.com')).toEqual({ ip: 'trunk.example.com' });
  });

  it('moves a phone-number URL to another resource, keeping base path, id and query', () => {
    expect(moveToResource('http://127.0.0.1:9/vapi/phone-number?limit=5&createdAtLe=2025-01-01T00%3A00%3A00.000Z', 'assistant')).toBe('http://127.0.0.1:9/vapi/assistant?limit=5&createdAtLe=2025-01-01T00%3A00%3A00.000Z');
    expect(moveToResource('https://api.vapi.ai/phone-number/abc', 'credential')).toBe('https://api.vapi.ai/credential/abc');
    expect(moveToResource('https://api.vapi.ai/phone-number', 'phone-number')).toBe('https://api.vapi.ai/phone-number');
  });

  it('VapiError: status and the body messages, not the JSON dump in its message', () => {
    const vapiError = Object.assign(new Error('Status code: 400\nBody: {\n  "message": [...]\n}'), {
      name: 'VapiError', statusCode: 400, body: { message: ['number must be a valid phone number in the E.164 format', 'credentialId must be a UUID'], error: 'Bad Request', statusCode: 400 },
    });
    const e = toProviderError('vapi', 'importing +1 in workspace v', vapiError, { credentialHint: 'VAPI_V_API_KEY' });
    expect(e.message).toBe('vapi: importing +1 in workspace v failed: 400 number must be a valid phone number in the E.164 format; credentialId must be a UUID');
    expect(e.status).toBe(400);
    const unauthorized = toProviderError('vapi', 'listing', Object.assign(new Error('x'), { statusCode: 401, body: { message: 'Invalid Key.', error: 'Unauthorized', statusCode: 401 } }), { credentialHint: 'VAPI_V_API_KEY (workspaces.json: v.api_key_env)' });
    expect(unauthorized.message).toBe('vapi: listing failed: 401 Invalid Key. (check VAPI_V_API_KEY (workspaces.json: v.api_key_env))');
    expect(toProviderError('vapi', 'deleting', Object.assign(new Error('x'), { statusCode: 404, body: { message: 'Phone Number not found' } })).notFound).toBe(true);
  });

  it('the registry entry is data and a lazy loader', () => {
    expect(vapiPlatform).toMatchObject({ name: 'vapi', label: 'Vapi', baseUrlEnv: 'PHONE_DIR_VAPI_BASE_URL', numberProviders: ['vapi', 'vonage', 'telnyx'] });
    expect(vapiPlatform.capabilities).toMatchObject({ outboundBinding: false, weightedAgents: false, numberAddress: 'id' });
    expect(vapiPlatform.capabilities.agentIdPattern.test(ASSISTANT)).toBe(true);
    expect(vapiPlatform.capabilities.agentIdPattern.test('agent_stg_sales_7c3e1a')).toBe(false);
  });
});
