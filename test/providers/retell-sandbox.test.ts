import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import { isNotFound } from '../../src/providers/errors.js';
import { createRetellPlatform as createRetellProvider } from '../../src/providers/retell/platform.js';
import { defaultScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { everythingIn, fastOptions, requestsTo, retellCreds } from './helpers.js';

const scenario = defaultScenario();
const TRUNK_DOMAIN = scenario.twilio.trunks![0]!.domain_name;

describe('retell provider against the sandbox (default scenario)', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ scenario });
  });
  afterAll(() => sb.close());
  afterEach(() => {
    sb.faults.clear();
    sb.clearRequests();
  });

  it('fetches every number and voice agent of each workspace, every assignment shape mapped', async () => {
    for (const [workspace, ws] of Object.entries(scenario.retell.workspaces)) {
      sb.clearRequests();
      const { options, stats } = fastOptions();
      const retell = await createRetellProvider(workspace, retellCreds(sb, workspace), options);
      const snap = await retell.fetchSnapshot();
      expect(snap.workspace).toBe(workspace);
      expect(snap.numbers).toHaveLength(ws.phone_numbers!.length);
      const voice = ws.agents!.filter((a) => (a.channel ?? 'voice') === 'voice');
      expect(snap.agents.map((a) => a.agent_id)).toEqual(voice.map((a) => a.agent_id).sort());
      expect(snap.agents.every((a) => typeof a.agent_name === 'string')).toBe(true);
      expect(snap.platform).toBe('retell');

      for (const spec of ws.phone_numbers!) {
        const got = snap.numbers.find((n) => n.phone_number === spec.phone_number)!;
        const refs = (list: typeof spec.inbound_agents) => (list ?? []).map((a) => ({ agent_id: a.agent_id, weight: a.weight }));
        expect(got.inbound_agents, spec.phone_number).toEqual(refs(spec.inbound_agents));
        expect(got.outbound_agents, spec.phone_number).toEqual(refs(spec.outbound_agents));
        expect(got.provider).toBe(spec.phone_number_type ?? 'custom');
        expect(got.import_method).toBe((spec.phone_number_type ?? 'custom') === 'custom' ? 'sip-trunk' : 'direct-purchase');
        expect(got.nickname).toBe(spec.nickname ?? null);
        expect(got.last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        if (got.provider === 'custom') expect(got.termination_uri).toMatch(/\.pstn\.twilio\.com$|^phone-dir-sandbox\.sip\.signalwire\.com$/);
        else expect(got.termination_uri).toBeNull();
      }
      // One page each at limit 1000.
      expect(stats.requests).toBe(2);
      expect(requestsTo(sb, 'GET', /\/retell\/v2\/list-phone-numbers$/).map((r) => r.query.limit)).toEqual(['1000']);
      expect(requestsTo(sb, 'POST', /\/retell\/v2\/list-agents$/)).toHaveLength(1);
    }
  });

  it('reads the deprecated single-id shape the server still sends for some numbers', async () => {
    const legacy = Object.entries(scenario.retell.workspaces).flatMap(([w, ws]) => ws.phone_numbers!.filter((n) => n.legacy_agent_fields).map((n) => [w, n] as const));
    expect(legacy.length).toBeGreaterThan(0);
    for (const [workspace, spec] of legacy) {
      const raw = (await (await fetch(`${sb.retellBaseUrl}/get-phone-number/${spec.phone_number}`, { headers: { Authorization: `Bearer ${sb.credentials.retell[workspace]}` } })).json()) as Record<string, unknown>;
      expect(raw.inbound_agents).toBeUndefined();
      expect(raw.inbound_agent_id).toBe(spec.inbound_agents![0]!.agent_id);
      const got = await (await createRetellProvider(workspace, retellCreds(sb, workspace), fastOptions().options)).getNumber({ phone_number: spec.phone_number });
      expect(got!.inbound_agents).toEqual([{ agent_id: spec.inbound_agents![0]!.agent_id, weight: 1 }]);
    }
  });

  it('loops pages passing back pagination_key', async () => {
    const workspace = 'staging';
    const reference = await (await createRetellProvider(workspace, retellCreds(sb, workspace), fastOptions().options)).fetchSnapshot();
    sb.clearRequests();
    const pages: string[] = [];
    const { options, stats } = fastOptions({ pageSize: 3 });
    const snap = await (await createRetellProvider(workspace, retellCreds(sb, workspace), options)).fetchSnapshot((p) => pages.push(`${p.what}:${p.page}:${p.items}`));
    expect(snap).toEqual(reference);
    const listCalls = requestsTo(sb, 'GET', /\/retell\/v2\/list-phone-numbers$/);
    expect(listCalls.length).toBeGreaterThanOrEqual(Math.ceil(reference.numbers.length / 3));
    expect(listCalls[0]!.query.pagination_key).toBeUndefined();
    expect(listCalls.slice(1).every((r) => typeof r.query.pagination_key === 'string')).toBe(true);
    expect(stats.requests).toBe(sb.requests().length);
    expect(pages.length).toBe(sb.requests().length);
  });

  it('survives 429 with retry-after (honoured), 500 and a dropped connection', async () => {
    sb.faults.add({ match: 'GET /retell/v2/list-phone-numbers', status: 429, retry_after: 3, times: 1 });
    sb.faults.add({ match: 'POST /retell/v2/list-agents', status: 502, times: 1 });
    sb.faults.add({ match: 'POST /retell/v2/list-agents', drop: true, times: 1 });
    const { options, delays, retries, stats } = fastOptions();
    const snap = await (await createRetellProvider('production', retellCreds(sb, 'production'), options)).fetchSnapshot();
    expect(snap.numbers).toHaveLength(scenario.retell.workspaces.production!.phone_numbers!.length);
    expect(delays).toContain(3000);
    expect(retries).toHaveLength(3);
    expect(retries.every((r) => r.provider === 'retell')).toBe(true);
    expect(stats.requests).toBe(5);
  });

  it('gives up after the bounded attempts', async () => {
    sb.faults.add({ match: 'GET /retell/v2/list-phone-numbers', status: 500 });
    const err = await (await createRetellProvider('staging', retellCreds(sb, 'staging'), fastOptions().options)).fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'retell', status: 500, exitCode: 5 });
    expect((err as Error).message).toMatch(/^retell: listing phone numbers in workspace staging failed after 4 attempts: 500 An unexpected server error occurred\.$/);
    expect(requestsTo(sb, 'GET', /list-phone-numbers$/)).toHaveLength(4);
  });

  it('rejects a wrong API key with 401, once, and no key in the error', async () => {
    const wrong = 'key_wrong_0123456789abcdef';
    const { options } = fastOptions({ credentialHint: 'RETELL_STAGING_API_KEY (workspaces.json: staging.api_key_env)' });
    const err = await (await createRetellProvider('staging', retellCreds(sb, 'staging', { apiKey: wrong }), options)).fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 401 });
    expect((err as Error).message).toMatch(/^retell: listing (phone numbers|agents) in workspace staging failed: 401 .*\(check RETELL_STAGING_API_KEY \(workspaces\.json: staging\.api_key_env\)\)$/);
    expect(everythingIn(err)).not.toContain(wrong);
    expect(sb.requests().every((r) => r.status === 401)).toBe(true);
    expect(sb.requests().length).toBeLessThanOrEqual(2);
  });

  it('imports, reads, updates and deletes a number', async () => {
    const retell = await createRetellProvider('staging', retellCreds(sb, 'staging'), fastOptions().options);
    const phone = '+14155550999';
    const agent = scenario.retell.workspaces.staging!.agents!.find((a) => a.channel !== 'chat')!.agent_id;
    expect(await retell.getNumber({ phone_number: phone })).toBeNull();
    const imported = await retell.importNumber({
      phone_number: phone,
      termination_uri: TRUNK_DOMAIN,
      sip_auth_username: 'retell_user',
      sip_auth_password: 'Sandbox-Main-Passw0rd',
      inbound_agents: [{ agent_id: agent, weight: 1 }],
      nickname: 'imported by test',
    });
    expect(imported).toMatchObject({ phone_number: phone, provider: 'custom', provider_is_platform: false, termination_uri: TRUNK_DOMAIN, auth_username: 'retell_user', nickname: 'imported by test', inbound_agents: [{ agent_id: agent, weight: 1 }], outbound_agents: [] });
    expect(JSON.stringify(imported)).not.toContain('Sandbox-Main-Passw0rd');
    expect(await retell.getNumber({ phone_number: phone })).toEqual(imported);

    const updated = await retell.updateNumber({ phone_number: phone }, { outbound_agents: [{ agent_id: agent, weight: 1 }], inbound_agents: [], nickname: 'renamed' });
    expect(updated).toMatchObject({ nickname: 'renamed', inbound_agents: [], outbound_agents: [{ agent_id: agent, weight: 1 }] });
    expect(requestsTo(sb, 'PATCH', /update-phone-number/)[0]!.body).toEqual({ outbound_agents: [{ agent_id: agent, weight: 1 }], inbound_agents: [], nickname: 'renamed' });

    // A duplicate import is a 400: final, not retried.
    const dup = await retell.importNumber({ phone_number: phone, termination_uri: TRUNK_DOMAIN }).catch((e: unknown) => e);
    expect(dup).toMatchObject({ provider: 'retell', status: 400 });
    expect(requestsTo(sb, 'POST', /import-phone-number/)).toHaveLength(2);

    // Two concurrent deletes: one deletes, the other finds nothing (exit 4 for the caller).
    const results = await Promise.all([retell.deleteNumber({ phone_number: phone }), retell.deleteNumber({ phone_number: phone })]);
    expect(results.map((r) => r.status).sort()).toEqual(['deleted', 'not-found']);
    expect(await retell.getNumber({ phone_number: phone })).toBeNull();

    const missing = await retell.updateNumber({ phone_number: phone }, { nickname: 'x' }).catch((e: unknown) => e);
    expect(isNotFound(missing)).toBe(true);
    expect(missing).toMatchObject({ exitCode: 5 });
  });

  it('does not retry an import after a 500 (one POST), checks, and fails', async () => {
    sb.faults.add({ match: 'POST /retell/import-phone-number', status: 500 });
    const retell = await createRetellProvider('staging', retellCreds(sb, 'staging'), fastOptions().options);
    const err = await retell.importNumber({ phone_number: '+14155550998', termination_uri: TRUNK_DOMAIN }).catch((e: unknown) => e);
    expect(err).toMatchObject({ provider: 'retell', status: 500 });
    expect(requestsTo(sb, 'POST', /import-phone-number/)).toHaveLength(1);
    expect(requestsTo(sb, 'GET', /get-phone-number/)).toHaveLength(1);
  });

  it('returns the number when an import that timed out did land', async () => {
    const phone = '+14155550997';
    sb.faults.add({ match: 'POST /retell/import-phone-number', latency_ms: 400, times: 1 });
    sb.faults.add({ match: 'GET /retell/get-phone-number/*', status: 503, retry_after: 0.6, times: 1 });
    const { options } = fastOptions({ timeoutMs: 150, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    const retell = await createRetellProvider('staging', retellCreds(sb, 'staging'), options);
    const got = await retell.importNumber({ phone_number: phone, termination_uri: TRUNK_DOMAIN, nickname: 'late' });
    expect(got).toMatchObject({ phone_number: phone, nickname: 'late' });
    expect(requestsTo(sb, 'POST', /import-phone-number/)).toHaveLength(1);
    expect(await retell.deleteNumber({ phone_number: phone })).toEqual({ status: 'deleted' });
  });
});
