import Retell, {
  AuthenticationError, BadRequestError, ConflictError, InternalServerError, NotFoundError, PermissionDeniedError, RateLimitError, UnprocessableEntityError,
} from 'retell-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenario, generateScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { rejection, retellClient } from './helpers.js';

const STG = { custsvc: 'agent_stg_custsvc_4f2a9c', sales: 'agent_stg_sales_7c3e1a', support: 'agent_stg_support1_91ab04' };

async function allNumbers(r: Retell, limit: number) {
  const out: Retell.PhoneNumberResponse[] = [];
  let key: string | undefined;
  let pages = 0;
  do {
    const page = await r.phoneNumber.list({ limit, ...(key ? { pagination_key: key } : {}) });
    out.push(...page.items);
    pages++;
    key = page.has_more ? page.pagination_key : undefined;
  } while (key);
  return { out, pages };
}

describe('real retell-sdk client against the default scenario', () => {
  let h: SandboxHandle;
  beforeAll(async () => {
    h = await startSandbox();
  });
  afterAll(async () => h.close());

  it('lists phone numbers across pages and covers every assignment type', async () => {
    const { out, pages } = await allNumbers(retellClient(h), 4);
    expect(out).toHaveLength(18);
    expect(pages).toBe(5);
    expect(new Set(out.map((n) => n.phone_number)).size).toBe(18);
    const byPhone = new Map(out.map((n) => [n.phone_number, n as Retell.PhoneNumberResponse & Record<string, unknown>]));
    expect(byPhone.get('+14155550101')).toMatchObject({ inbound_agents: [{ agent_id: STG.custsvc }], outbound_agents: [{ agent_id: STG.custsvc }] });
    expect(byPhone.get('+14155550103')).toMatchObject({ inbound_agents: [{ agent_id: STG.support }], outbound_agents: [] });
    expect(byPhone.get('+14155550104')).toMatchObject({ inbound_agents: [], outbound_agents: [{ agent_id: 'agent_stg_appts_5e8d21' }] });
    expect(byPhone.get('+14155550105')).toMatchObject({ inbound_agents: null, outbound_agents: null });
    expect(byPhone.get('+14155550106')).toMatchObject({ inbound_agents: [{ agent_id: STG.custsvc }], outbound_agents: [{ agent_id: STG.sales }] });
    expect(byPhone.get('+14155550107')?.inbound_agents?.map((a) => a.weight)).toEqual([0.7, 0.3]);
    // Deprecated single-id shape: not in the 5.66 types, but passed through at runtime.
    expect(byPhone.get('+16505550121')).toMatchObject({ inbound_agent_id: STG.sales, outbound_agent_id: STG.sales, inbound_agent_version: 4 });
    expect(byPhone.get('+16505550121')?.inbound_agents).toBeUndefined();
    expect(byPhone.get('+14155550177')?.phone_number_type).toBe('retell-twilio');
    expect(byPhone.get('+13125550178')?.phone_number_type).toBe('retell-telnyx');
    const prod = await allNumbers(retellClient(h, 'production'), 1000);
    expect(prod.out.length).toBeLessThan(out.length);
  });

  it('lists agents across pages, with and without the channel filter, and retrieves one', async () => {
    const r = retellClient(h);
    const ids: string[] = [];
    let key: string | undefined;
    do {
      const page = await r.agent.list({ limit: 2, ...(key ? { pagination_key: key } : {}) });
      ids.push(...page.items.map((a) => a.agent_id));
      key = page.has_more ? page.pagination_key : undefined;
    } while (key);
    expect(ids).toHaveLength(6);
    const voice = await r.agent.list({ filter_criteria: { channel: { type: 'string', op: 'eq', value: 'voice' } } });
    expect(voice.items.map((a) => a.agent_name).sort()).toEqual(['After Hours Agent', 'Appointment Setter', 'Customer Service Agent', 'Sales Agent', 'Support Tier 1']);
    const chat = await r.agent.list({ filter_criteria: { channel: { type: 'string', op: 'eq', value: 'chat' } } });
    expect(chat.items).toHaveLength(1);
    const agent = await r.agent.retrieve(STG.custsvc);
    expect(agent).toMatchObject({ agent_id: STG.custsvc, version: 7, agent_name: 'Customer Service Agent', response_engine: { type: 'retell-llm' } });
    const prodAgents = await retellClient(h, 'production').agent.list();
    expect(prodAgents.items.map((a) => a.agent_name)).not.toContain('After Hours Agent');
  });

  it('imports, updates and deletes a number; the same E.164 lives independently per workspace', async () => {
    const stg = retellClient(h);
    const prd = retellClient(h, 'production');
    const imported = await stg.phoneNumber.import({
      phone_number: '+14155550193', termination_uri: 'acme-main.pstn.twilio.com', sip_trunk_auth_username: 'retell_user', sip_trunk_auth_password: 'pw',
      inbound_agents: [{ agent_id: STG.custsvc, weight: 1 }],
    });
    expect(imported).toMatchObject({ phone_number: '+14155550193', phone_number_type: 'custom', sip_outbound_trunk_config: { termination_uri: 'acme-main.pstn.twilio.com', auth_username: 'retell_user' } });
    await prd.phoneNumber.import({ phone_number: '+14155550193', termination_uri: 'acme-main.pstn.twilio.com' });
    const updated = await stg.phoneNumber.update('+14155550193', {
      inbound_agents: [{ agent_id: STG.custsvc, weight: 0.5 }, { agent_id: STG.support, weight: 0.5 }], outbound_agents: [{ agent_id: STG.sales, weight: 1 }], nickname: 'split',
    });
    expect(updated.inbound_agents).toHaveLength(2);
    expect((await prd.phoneNumber.retrieve('+14155550193')).inbound_agents).toBeNull();
    expect(await stg.phoneNumber.delete('+14155550193')).toBeNull();
    expect(await rejection(stg.phoneNumber.retrieve('+14155550193'))).toBeInstanceOf(UnprocessableEntityError);
    expect((await prd.phoneNumber.retrieve('+14155550193')).phone_number).toBe('+14155550193');
  });

  it('updating a legacy-shaped number switches it to the weighted lists', async () => {
    const r = retellClient(h);
    const before = (await r.phoneNumber.retrieve('+14155550108')) as Retell.PhoneNumberResponse & Record<string, unknown>;
    expect(before.inbound_agent_id).toBe('agent_stg_afterhrs_b2c4d6');
    const after = await r.phoneNumber.update('+14155550108', { inbound_agents: [{ agent_id: STG.support, weight: 1 }] });
    expect(after.inbound_agents).toEqual([{ agent_id: STG.support, weight: 1 }]);
    expect(after).not.toHaveProperty('inbound_agent_id');
  });

  it('buys a number through Retell', async () => {
    const bought = await retellClient(h).phoneNumber.create({ area_code: 650, nickname: 'bought' });
    expect(bought).toMatchObject({ phone_number_type: 'retell-twilio', area_code: 650, nickname: 'bought', sip_outbound_trunk_config: null });
  });

  it('maps every error status to its retell-sdk error class', async () => {
    const bad = retellClient(h, 'staging', { apiKey: 'key_wrong' });
    const auth = await rejection(bad.phoneNumber.list());
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect((auth as AuthenticationError).status).toBe(401);
    const r = retellClient(h);
    const weights = await rejection(r.phoneNumber.update('+14155550105', { inbound_agents: [{ agent_id: STG.custsvc, weight: 0.4 }] }));
    expect(weights).toBeInstanceOf(BadRequestError);
    expect((weights as BadRequestError).message).toMatch(/^400 inbound_agents: weights must add up to 1/);
    const unknownAgent = await rejection(r.phoneNumber.update('+14155550105', { outbound_agents: [{ agent_id: 'agent_missing', weight: 1 }] }));
    expect(unknownAgent).toBeInstanceOf(BadRequestError);
    expect(await rejection(r.phoneNumber.retrieve('+19995550123'))).toBeInstanceOf(UnprocessableEntityError);
    expect(await rejection(r.agent.retrieve('agent_missing'))).toBeInstanceOf(UnprocessableEntityError);
    const route = await rejection(r.get('/no-such-endpoint'));
    expect(route).toBeInstanceOf(NotFoundError);
    for (const [status, cls] of [[403, PermissionDeniedError], [409, ConflictError], [429, RateLimitError], [500, InternalServerError], [503, InternalServerError]] as const) {
      h.faults.add({ match: 'GET /retell/get-phone-number/*', status, times: 1 });
      const e = await rejection(r.phoneNumber.retrieve('+14155550101'));
      expect(e).toBeInstanceOf(cls);
      expect((e as InstanceType<typeof cls>).status).toBe(status);
    }
  });

  it('NotFoundError for unknown numbers when the scenario asks for 404', async () => {
    const s = defaultScenario();
    s.retell.missing_resource_status = 404;
    const h404 = await startSandbox({ scenario: s });
    try {
      const e = await rejection(retellClient(h404).phoneNumber.retrieve('+19995550123'));
      expect(e).toBeInstanceOf(NotFoundError);
      expect((e as NotFoundError).message).toMatch(/^404 Cannot find requested asset/);
    } finally {
      await h404.close();
    }
  });
});

describe('retell paging at scale', () => {
  it('pages 1,700+ numbers with limit 1000 and agents with limit 1', async () => {
    const h = await startSandbox({ scenario: generateScenario({ numbers: 2500, trunks: 2, seed: 3 }) });
    try {
      const expected = h.state.retell.get('staging')?.numbers.size as number;
      expect(expected).toBeGreaterThan(1000);
      const { out, pages } = await allNumbers(retellClient(h), 1000);
      expect(out).toHaveLength(expected);
      expect(new Set(out.map((n) => n.phone_number)).size).toBe(expected);
      expect(pages).toBe(Math.ceil(expected / 1000));
      const ids: string[] = [];
      let key: string | undefined;
      do {
        const page = await retellClient(h).agent.list({ limit: 1, sort_order: 'ascending', ...(key ? { pagination_key: key } : {}) });
        ids.push(...page.items.map((a) => a.agent_id));
        key = page.has_more ? page.pagination_key : undefined;
      } while (key);
      expect(ids).toEqual([...h.state.retell.get('staging')?.agents.keys() ?? []].sort());
    } finally {
      await h.close();
    }
  });
});
