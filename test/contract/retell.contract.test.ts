import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { call, retellAuth, type RawResponse } from '../sandbox/helpers.js';
import { checkResponse } from './spec.js';

let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => h.close());

async function conform(method: string, path: string, expectedStatus: number, opts: Parameters<typeof call>[3] = {}, sandbox = h): Promise<RawResponse> {
  const res = await call(sandbox, method, path, { auth: retellAuth(sandbox), ...opts });
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(expectedStatus);
  const check = checkResponse(method, path.split('?')[0] as string, res.status, res.body);
  expect(check.errors, `${method} ${path}`).toEqual([]);
  return res;
}

type Obj = Record<string, unknown>;
const body = (r: RawResponse) => r.body as Obj;
const STG_CUSTSVC = 'agent_stg_custsvc_4f2a9c';
const STG_SALES = 'agent_stg_sales_7c3e1a';

describe('phone numbers', () => {
  it('lists v2 pages: {items, has_more, pagination_key}, descending by default', async () => {
    const first = await conform('GET', '/retell/v2/list-phone-numbers?limit=5', 200);
    expect(body(first)).toMatchObject({ has_more: true, pagination_key: expect.any(String) });
    const items = body(first).items as Obj[];
    expect(items).toHaveLength(5);
    const phones = items.map((i) => i.phone_number as string);
    expect([...phones].sort().reverse()).toEqual(phones);
    const all: string[] = [...phones];
    let key = body(first).pagination_key as string | undefined;
    while (key) {
      const page = await conform('GET', `/retell/v2/list-phone-numbers?limit=5&pagination_key=${encodeURIComponent(key)}`, 200);
      all.push(...(body(page).items as Obj[]).map((i) => i.phone_number as string));
      key = body(page).has_more ? (body(page).pagination_key as string) : undefined;
      if (!body(page).has_more) expect(body(page).pagination_key).toBeUndefined();
    }
    expect(all).toHaveLength(h.state.retell.get('staging')?.numbers.size as number);
    expect(new Set(all).size).toBe(all.length);
    const asc = await conform('GET', '/retell/v2/list-phone-numbers?limit=1000&sort_order=ascending', 200);
    expect((body(asc).items as Obj[]).map((i) => i.phone_number)).toEqual([...all].sort());
  });

  it('gets numbers in the current and in the deprecated single-id shape', async () => {
    const cur = await conform('GET', '/retell/get-phone-number/+14155550107', 200);
    expect(body(cur)).toMatchObject({
      phone_number: '+14155550107', phone_number_type: 'custom', phone_number_pretty: '+1 (415) 555-0107', area_code: 415,
      inbound_agents: [{ agent_id: STG_CUSTSVC, agent_version: 7, weight: 0.7 }, { agent_id: 'agent_stg_support1_91ab04', agent_version: 3, weight: 0.3 }],
      sip_outbound_trunk_config: { termination_uri: 'acme-main.pstn.twilio.com', auth_username: 'retell_user', transport: 'TCP' },
    });
    expect(cur.text).not.toMatch(/password/);
    const legacy = await conform('GET', '/retell/get-phone-number/%2B14155550108', 200);
    expect(body(legacy)).toMatchObject({ inbound_agent_id: 'agent_stg_afterhrs_b2c4d6', outbound_agent_id: null, inbound_agent_version: 1 });
    expect(body(legacy)).not.toHaveProperty('inbound_agents');
    const bought = await conform('GET', '/retell/get-phone-number/+14155550177', 200);
    expect(body(bought)).toMatchObject({ phone_number_type: 'retell-twilio', sip_outbound_trunk_config: null });
  });

  it('imports (201), updates (200) and deletes (204, empty body)', async () => {
    const imported = await conform('POST', '/retell/import-phone-number', 201, {
      json: {
        phone_number: '+12125550192', termination_uri: 'acme-backup.pstn.twilio.com', sip_trunk_auth_username: 'retell_backup',
        sip_trunk_auth_password: 'secret-pass', inbound_agents: [{ agent_id: STG_CUSTSVC, weight: 1 }], nickname: 'contract',
      },
    });
    expect(body(imported)).toMatchObject({ nickname: 'contract', sip_outbound_trunk_config: { termination_uri: 'acme-backup.pstn.twilio.com', auth_username: 'retell_backup' } });
    expect(imported.text).not.toContain('secret-pass');
    const updated = await conform('PATCH', '/retell/update-phone-number/+12125550192', 200, {
      json: { outbound_agents: [{ agent_id: STG_SALES, agent_version: 4, weight: 1 }], nickname: 'renamed', auth_username: 'retell_user', termination_uri: 'acme-main.pstn.twilio.com' },
    });
    expect(body(updated)).toMatchObject({
      nickname: 'renamed', outbound_agents: [{ agent_id: STG_SALES, agent_version: 4, weight: 1 }],
      sip_outbound_trunk_config: { termination_uri: 'acme-main.pstn.twilio.com', auth_username: 'retell_user' },
    });
    const dup = await conform('POST', '/retell/import-phone-number', 400, { json: { phone_number: '+12125550192', termination_uri: 'acme-main.pstn.twilio.com' } });
    expect(body(dup)).toEqual({ status: 'error', message: expect.stringMatching(/already exists/) });
    const del = await conform('DELETE', '/retell/delete-phone-number/+12125550192', 204);
    expect(del.text).toBe('');
    await conform('GET', '/retell/get-phone-number/+12125550192', 422);
  });

  it('buys through Retell (201, retell-twilio / retell-telnyx)', async () => {
    const tw = await conform('POST', '/retell/create-phone-number', 201, { json: { area_code: 415, nickname: 'bought', inbound_agents: [{ agent_id: STG_SALES, weight: 1 }] } });
    expect(body(tw)).toMatchObject({ phone_number_type: 'retell-twilio', area_code: 415, sip_outbound_trunk_config: null });
    const tx = await conform('POST', '/retell/create-phone-number', 201, { json: { toll_free: true, number_provider: 'telnyx' } });
    expect(body(tx)).toMatchObject({ phone_number_type: 'retell-telnyx', area_code: 888 });
    expect(h.state.twilio.findByPhone(body(tw).phone_number as string)).toBeUndefined();
  });

  it('rejects invalid agent assignments with 400', async () => {
    const bad = [
      { inbound_agents: [{ agent_id: 'agent_nope', weight: 1 }] },
      { inbound_agents: [{ agent_id: STG_CUSTSVC, weight: 0.5 }] },
      { inbound_agents: [{ agent_id: STG_CUSTSVC, weight: 0.5 }, { agent_id: STG_CUSTSVC, weight: 0.5 }] },
      { inbound_agents: [{ agent_id: 'agent_stg_chat_webwidget_0d1e2f', weight: 1 }] },
      { inbound_agents: [{ agent_id: STG_CUSTSVC, weight: 1, agent_version: 99 }] },
      { outbound_agents: 'agent_stg_sales_7c3e1a' },
      { termination_uri: 'x.pstn.twilio.com', phone: 'retell-twilio' },
    ];
    for (const json of bad) {
      const target = 'phone' in json ? '+14155550177' : '+14155550105';
      const { phone: _phone, ...patch } = json as Obj;
      const r = await conform('PATCH', `/retell/update-phone-number/${target}`, 400, { json: patch });
      expect(body(r).status).toBe('error');
    }
    expect(h.state.retell.get('staging')?.numbers.get('+14155550105')?.inboundAgents).toBeNull();
    await conform('POST', '/retell/import-phone-number', 400, { json: { phone_number: '+14155550193' } });
    await conform('GET', '/retell/v2/list-phone-numbers?limit=1001', 400);
    await conform('GET', '/retell/v2/list-phone-numbers?sort_order=sideways', 400);
  });

  it('answers 422 for unknown numbers on get, update and delete', async () => {
    for (const [method, path] of [['GET', '/retell/get-phone-number/+19995550100'], ['PATCH', '/retell/update-phone-number/+19995550100'], ['DELETE', '/retell/delete-phone-number/+19995550100']] as const) {
      const r = await conform(method, path, 422, method === 'PATCH' ? { json: { nickname: 'x' } } : {});
      expect(body(r).message).toMatch(/Cannot find requested asset/);
    }
  });

  it('keeps numbers per workspace', async () => {
    const prod = await conform('GET', '/retell/get-phone-number/+14155550101', 200, { auth: retellAuth(h, 'production') });
    const stg = await conform('GET', '/retell/get-phone-number/+14155550101', 200);
    expect((body(prod).inbound_agents as Obj[])[0]?.agent_id).toBe('agent_prd_custsvc_8b1d3e');
    expect((body(stg).inbound_agents as Obj[])[0]?.agent_id).toBe(STG_CUSTSVC);
    await conform('GET', '/retell/get-phone-number/+14155550103', 422, { auth: retellAuth(h, 'production') });
  });
});

describe('agents', () => {
  it('lists summaries with POST /v2/list-agents, honouring filter_criteria.channel', async () => {
    const all = await conform('POST', '/retell/v2/list-agents?limit=100', 200, { json: {} });
    const items = body(all).items as Obj[];
    expect(items).toHaveLength(6);
    expect(items.every((i) => !('version' in i))).toBe(true);
    const voice = await conform('POST', '/retell/v2/list-agents?limit=100', 200, { json: { filter_criteria: { channel: { type: 'string', op: 'eq', value: 'voice' } } } });
    expect((body(voice).items as Obj[]).map((i) => i.channel)).toEqual(Array(5).fill('voice'));
    const paged = await conform('POST', '/retell/v2/list-agents?limit=4&sort_order=ascending', 200, { json: {} });
    expect(body(paged)).toMatchObject({ has_more: true });
    await conform('POST', '/retell/v2/list-agents', 400, { json: { filter_criteria: { channel: { type: 'string', op: 'like', value: 'voice' } } } });
  });

  it('gets an agent (latest or a given version) and 422 for unknown ones', async () => {
    const a = await conform('GET', `/retell/get-agent/${STG_CUSTSVC}`, 200);
    expect(body(a)).toMatchObject({ agent_id: STG_CUSTSVC, agent_name: 'Customer Service Agent', version: 7, is_published: true });
    const v3 = await conform('GET', `/retell/get-agent/${STG_CUSTSVC}?version=3`, 200);
    expect(body(v3).version).toBe(3);
    await conform('GET', `/retell/get-agent/${STG_CUSTSVC}?version=8`, 422);
    await conform('GET', '/retell/get-agent/agent_nope', 422);
  });
});

describe('auth and faults', () => {
  it('answers 401 with the Retell error body for a bad key', async () => {
    const r = await conform('GET', '/retell/v2/list-phone-numbers', 401, { auth: 'Bearer nope' });
    expect(body(r)).toEqual({ status: 'error', message: 'API key is missing or invalid.' });
    await conform('POST', '/retell/v2/list-agents', 401, { auth: undefined, json: {} });
  });

  it('answers injected 429 and 5xx with the Retell error body', async () => {
    for (const status of [429, 500, 503]) {
      h.faults.add({ service: 'retell', status, retry_after: 1, times: 1 });
      const r = await conform('GET', '/retell/get-phone-number/+14155550101', status);
      expect(body(r).status).toBe('error');
      expect(r.headers.get('retry-after')).toBe('1');
    }
  });

  it('can answer 404 for unknown resources (scenario retell.missing_resource_status)', async () => {
    const s = defaultScenario();
    s.retell.missing_resource_status = 404;
    const h404 = await startSandbox({ scenario: s });
    try {
      const r = await conform('GET', '/retell/get-phone-number/+19995550100', 404, {}, h404);
      expect(body(r).status).toBe('error');
    } finally {
      await h404.close();
    }
  });
});
