import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import {
  defaultScenario, envSnippet, generateScenario, loadScenarioFile, retellKeyEnvVar, startSandbox, validateScenario, workspacesSnippet, type Scenario,
} from '../../src/sandbox/index.js';
import { buildState } from '../../src/sandbox/state-build.js';
import type { AgentRef } from '../../src/sandbox/state.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const valid = (e164: string) => parsePhoneNumberFromString(e164)?.isValid() === true;

async function agentFolders(): Promise<Map<string, Map<string, string>>> {
  const byWs = new Map<string, Map<string, string>>();
  for (const dir of await readdir(path.join(repoRoot, 'agents'))) {
    const name = (JSON.parse(await readFile(path.join(repoRoot, 'agents', dir, 'agent.json'), 'utf8')) as { agent_name: string }).agent_name;
    for (const f of await readdir(path.join(repoRoot, 'agents', dir))) {
      if (f === 'agent.json' || !f.endsWith('.json')) continue;
      const { agent_id } = JSON.parse(await readFile(path.join(repoRoot, 'agents', dir, f), 'utf8')) as { agent_id: string };
      const ws = f.replace(/\.json$/, '');
      if (!byWs.has(ws)) byWs.set(ws, new Map());
      byWs.get(ws)?.set(agent_id, name);
    }
  }
  return byWs;
}

const kind = (n: { inboundAgents: AgentRef[] | null; outboundAgents: AgentRef[] | null }) => {
  const i = n.inboundAgents ?? [];
  const o = n.outboundAgents ?? [];
  if (i.length > 1) return 'weighted';
  if (!i.length && !o.length) return 'unassigned';
  if (i.length && !o.length) return 'inbound-only';
  if (!i.length && o.length) return 'outbound-only';
  return i[0]?.agent_id === o[0]?.agent_id ? 'inbound-outbound' : 'different';
};

describe('default scenario', () => {
  it('is deterministic and survives a JSON round trip through validation', () => {
    expect(defaultScenario()).toEqual(defaultScenario());
    const json = JSON.parse(JSON.stringify(defaultScenario())) as unknown;
    expect(validateScenario(json)).toEqual(defaultScenario());
  });

  it('has exactly the voice agents of the agents/ folders, plus one chat agent per workspace', async () => {
    const folders = await agentFolders();
    const s = defaultScenario();
    const vapi = s.vapi?.workspaces ?? {};
    expect([...Object.keys(s.retell.workspaces), ...Object.keys(vapi)].sort()).toEqual([...folders.keys()].sort());
    for (const [ws, org] of Object.entries(vapi)) {
      // Vapi assistants have their own names; the folders hold their ids.
      expect([...(folders.get(ws)?.keys() ?? [])].sort()).toEqual((org.assistants ?? []).map((a) => a.id).sort());
      folders.delete(ws);
    }
    for (const [ws, agents] of folders) {
      const scenarioAgents = s.retell.workspaces[ws]?.agents ?? [];
      const voice = new Map(scenarioAgents.filter((a) => a.channel === 'voice').map((a) => [a.agent_id, a.agent_name]));
      expect(voice).toEqual(agents);
      expect(scenarioAgents.filter((a) => a.channel === 'chat')).toHaveLength(1);
    }
    expect([...(folders.get('staging')?.values() ?? [])]).toContain('After Hours Agent');
    expect([...(folders.get('production')?.values() ?? [])]).not.toContain('After Hours Agent');
  });

  it('models a realistic Twilio account', () => {
    const state = buildState(defaultScenario());
    const tw = state.twilio;
    const numbers = [...tw.numbers.values()];
    expect(numbers).toHaveLength(30);
    expect(numbers.every((n) => valid(n.phoneNumber))).toBe(true);
    expect(numbers.filter((n) => n.type === 'toll-free').map((n) => n.phoneNumber.slice(2, 5)).sort()).toEqual(['855', '877', '888']);
    expect(numbers.filter((n) => n.type === 'mobile')).toHaveLength(1);
    const webhooks = numbers.filter((n) => n.voiceUrl && !n.trunkSid);
    expect(webhooks.length).toBeGreaterThanOrEqual(2);
    const trunks = [...tw.trunks.values()];
    expect(trunks.map((t) => [t.friendlyName, t.domainName])).toEqual([['Main Retell Trunk', 'acme-main.pstn.twilio.com'], ['Backup Trunk', 'acme-backup.pstn.twilio.com']]);
    for (const t of trunks) {
      expect([...t.originationUrls.values()][0]?.sipUrl).toMatch(/^sip:.+\.sip\.retellai\.com$/);
      expect(t.credentialLists.size).toBe(1);
    }
    expect(numbers.filter((n) => n.trunkSid).length).toBeGreaterThan(20);
    const imported = new Set([...state.retell.values()].flatMap((w) => [...w.numbers.keys()]));
    const notImported = numbers.filter((n) => !imported.has(n.phoneNumber));
    expect(notImported.filter((n) => n.trunkSid).map((n) => n.phoneNumber).sort()).toEqual(['+12125550192', '+14155550193']);
  });

  it('covers every Retell assignment type and number type', () => {
    const state = buildState(defaultScenario());
    const stg = state.retell.get('staging');
    const prd = state.retell.get('production');
    for (const w of [stg, prd]) {
      const numbers = [...(w?.numbers.values() ?? [])];
      expect(new Set(numbers.map(kind))).toEqual(new Set(['inbound-outbound', 'inbound-only', 'outbound-only', 'unassigned', 'different', 'weighted']));
      expect(numbers.filter((n) => n.legacyAgentFields).length).toBeGreaterThanOrEqual(1);
      expect(numbers.every((n) => valid(n.phoneNumber))).toBe(true);
      const weighted = numbers.find((n) => kind(n) === 'weighted');
      expect(weighted?.inboundAgents?.map((a) => a.weight)).toEqual([0.7, 0.3]);
      for (const n of numbers.filter((x) => x.type === 'custom')) {
        if (state.signalwire?.account.findByPhone(n.phoneNumber)) {
          // A SignalWire number has no trunk: Retell dials the space's SIP domain, without trunk credentials.
          expect(n.sip).toMatchObject({ terminationUri: 'phone-dir-sandbox.sip.signalwire.com', authUsername: null });
          continue;
        }
        const owner = state.twilio.findByPhone(n.phoneNumber);
        const trunk = state.twilio.trunks.get(owner?.trunkSid ?? '');
        expect(n.sip?.terminationUri).toBe(trunk?.domainName);
        expect(n.sip?.authUsername).toBe(trunk?.domainName.startsWith('acme-main') ? 'retell_user' : 'retell_backup');
      }
    }
    expect(stg?.numbers.size).toBeGreaterThan(prd?.numbers.size ?? Infinity);
    const types = [...(stg?.numbers.values() ?? [])].filter((n) => n.type !== 'custom');
    expect(types.map((n) => n.type).sort()).toEqual(['retell-telnyx', 'retell-twilio']);
    expect(types.every((n) => state.twilio.findByPhone(n.phoneNumber) === undefined)).toBe(true);
  });
});

describe('scenario validation', () => {
  const mutate = (fn: (s: Scenario) => void): Scenario => {
    const s = defaultScenario();
    fn(s);
    return s;
  };
  const cases: [string, (s: Scenario) => void, RegExp][] = [
    ['bad E.164', (s) => { (s.twilio.incoming_phone_numbers ?? [])[2]!.phone_number = '415-555-0103'; }, /at twilio\.incoming_phone_numbers\[2\]\.phone_number: expected an E\.164/],
    ['unknown trunk', (s) => { (s.twilio.incoming_phone_numbers ?? [])[0]!.trunk_sid = `TK${'0'.repeat(32)}`; }, /at twilio\.incoming_phone_numbers\[0\]\.trunk_sid: unknown trunk/],
    ['typo key', (s) => { Object.assign(s.twilio, { acount_sid: 'x' }); }, /at twilio: Unrecognized key: "acount_sid"/],
    ['weights', (s) => { s.retell.workspaces.staging!.phone_numbers![6]!.inbound_agents![0]!.weight = 0.6; }, /at retell\.workspaces\.staging\.phone_numbers\[6\]\.inbound_agents: weights add up to 0\.8999/],
    ['unknown agent', (s) => { s.retell.workspaces.production!.phone_numbers![0]!.inbound_agents![0]!.agent_id = 'agent_stg_custsvc_4f2a9c'; }, /production\.phone_numbers\[0\]\.inbound_agents\[0\]\.agent_id: no voice agent agent_stg_custsvc_4f2a9c/],
    ['reserved workspace', (s) => { s.retell.workspaces.twilio = { api_key: 'k' }; }, /at retell\.workspaces\.twilio: "twilio" is reserved/],
    ['duplicate number', (s) => { s.twilio.incoming_phone_numbers!.push({ phone_number: '+14155550101' }); }, /duplicate number \+14155550101/],
    ['legacy with two agents', (s) => { s.retell.workspaces.staging!.phone_numbers![6]!.legacy_agent_fields = true; }, /at retell\.workspaces\.staging\.phone_numbers\[6\]\.inbound_agents: legacy_agent_fields/],
    ['bad fault', (s) => { s.faults = [{ match: 'GET nowhere', status: 500 }]; }, /at faults\[0\]: fault match must look like/],
  ];
  it.each(cases)('%s: one line naming the field', (_name, fn, message) => {
    let error: Error | undefined;
    try {
      validateScenario(mutate(fn), 'my.json');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^my\.json: invalid scenario at /);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('loadScenarioFile names the file on read, JSON and schema errors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-scenario-'));
    const good = path.join(dir, 'good.json');
    await writeFile(good, JSON.stringify(defaultScenario()));
    expect((await loadScenarioFile(good)).twilio.incoming_phone_numbers).toHaveLength(30);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "twilio": ');
    await expect(loadScenarioFile(broken)).rejects.toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON: `));
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...defaultScenario(), retell: { workspaces: { staging: { api_key: 7 } } } }));
    await expect(loadScenarioFile(bad)).rejects.toThrow(`${bad}: invalid scenario at retell.workspaces.staging.api_key: Invalid input: expected string, received number`);
    await expect(loadScenarioFile(path.join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: cannot read scenario file: ENOENT/);
  });
});

describe('generateScenario', () => {
  it('is deterministic per seed, unique, valid and passes validation', () => {
    const a = generateScenario({ numbers: 3000, seed: 5 });
    expect(JSON.stringify(generateScenario({ numbers: 3000, seed: 5 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateScenario({ numbers: 3000, seed: 6 }))).not.toBe(JSON.stringify(a));
    const phones = (a.twilio.incoming_phone_numbers ?? []).map((n) => n.phone_number);
    expect(new Set(phones).size).toBe(3000);
    expect(phones.filter((_p, i) => i % 7 === 0).every(valid)).toBe(true);
    expect(() => validateScenario(JSON.parse(JSON.stringify(a)))).not.toThrow();
    const ws = a.retell.workspaces;
    expect(Object.keys(ws)).toEqual(['staging', 'production']);
    expect(ws.staging?.phone_numbers?.length).toBeGreaterThan(1500);
  });

  it('supports custom workspaces and no trunks', async () => {
    const s = generateScenario({ numbers: 50, workspaces: ['eu-west'], trunks: 0 });
    const h = await startSandbox({ scenario: s });
    try {
      expect(h.credentials.retell).toEqual({ 'eu-west': s.retell.workspaces['eu-west']?.api_key });
      expect([...h.state.twilio.numbers.values()].every((n) => n.trunkSid === null)).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('connection snippets', () => {
  it('produce workspaces.json and env vars phone-dir understands', async () => {
    const h = await startSandbox({ scenario: generateScenario({ numbers: 10, workspaces: ['staging', 'production', 'eu-west'] }) });
    try {
      expect(retellKeyEnvVar('eu-west')).toBe('RETELL_EU_WEST_API_KEY');
      expect(workspacesSnippet(h)).toEqual({
        $schema: './phone-numbers/.schemas/workspaces.schema.json',
        staging: { api_key_env: 'RETELL_STAGING_API_KEY', name: 'Staging', base_url: h.retellBaseUrl },
        production: { api_key_env: 'RETELL_PRODUCTION_API_KEY', name: 'Production', base_url: h.retellBaseUrl },
        'eu-west': { api_key_env: 'RETELL_EU_WEST_API_KEY', name: 'Eu West', base_url: h.retellBaseUrl },
        twilio: { account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN', base_url: h.twilioBaseUrl },
      });
      const env = envSnippet(h);
      expect(env).toMatchObject({
        TWILIO_ACCOUNT_SID: h.credentials.twilio.accountSid, TWILIO_AUTH_TOKEN: h.credentials.twilio.authToken,
        RETELL_STAGING_API_KEY: h.credentials.retell.staging, RETELL_EU_WEST_API_KEY: h.credentials.retell['eu-west'],
        PHONE_DIR_TWILIO_BASE_URL: `${h.url}/twilio`, PHONE_DIR_RETELL_BASE_URL: `${h.url}/retell`,
      });
      expect(h.twilioBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/twilio$/);
    } finally {
      await h.close();
    }
  });
});

describe('default scenario: the SignalWire project', () => {
  it('holds +16285550100 … +16285550111 without trunks; production imports two of them over SIP, one bound to an agent', () => {
    const s = defaultScenario();
    const state = buildState(s);
    const sw = state.signalwire!;
    expect(sw.spaceUrl).toBe('phone-dir-sandbox.signalwire.com');
    const numbers = [...sw.account.numbers.values()];
    expect(numbers.map((n) => n.phoneNumber).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `+1628555${String(100 + i).padStart(4, '0')}`));
    expect(numbers.every((n) => n.trunkSid === null && n.origin === 'signalwire' && /^[0-9a-f-]{36}$/.test(n.sid) && n.friendlyName.startsWith('SW '))).toBe(true);
    expect(sw.account.trunks.size).toBe(0);
    const imported = [...state.retell.get('production')!.numbers.values()].filter((n) => n.phoneNumber.startsWith('+1628'));
    expect(imported.map((n) => n.phoneNumber)).toEqual(['+16285550105', '+16285550106']);
    expect(imported.filter((n) => (n.inboundAgents ?? []).length > 0).map((n) => n.phoneNumber)).toEqual(['+16285550105']);
    const agents = new Set(state.retell.get('production')!.agents.keys());
    expect(imported[0]!.inboundAgents!.every((a) => agents.has(a.agent_id))).toBe(true);
    // The Vapi helper's numbers (+16285550100–102) stay out of Retell.
    for (const ws of state.retell.values()) for (const p of ['+16285550100', '+16285550101', '+16285550102']) expect(ws.numbers.has(p)).toBe(false);
    expect(validateScenario(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('rejects a SignalWire number given twice, a non-UUID sid and a workspace named signalwire', () => {
    const base = defaultScenario();
    const twice = { ...base, signalwire: { ...base.signalwire!, incoming_phone_numbers: [{ phone_number: '+16285550100' }, { phone_number: '+16285550100' }] } };
    expect(() => validateScenario(twice, 's.json')).toThrow('s.json: invalid scenario at signalwire.incoming_phone_numbers[1].phone_number: duplicate number +16285550100');
    const badSid = { ...base, signalwire: { ...base.signalwire!, incoming_phone_numbers: [{ phone_number: '+16285550100', sid: 'PN0' }] } };
    expect(() => validateScenario(badSid, 's.json')).toThrow(/signalwire\.incoming_phone_numbers\[0\]\.sid: expected a UUID/);
    const reserved = { ...base, retell: { workspaces: { signalwire: { api_key: 'key_x' } } } };
    expect(() => validateScenario(reserved, 's.json')).toThrow(/retell\.workspaces\.signalwire: "signalwire" is reserved/);
  });

  it('connection snippets name the signalwire section and its variables', async () => {
    const h = await startSandbox();
    try {
      expect(workspacesSnippet(h).signalwire).toEqual({
        space_url: 'phone-dir-sandbox.signalwire.com', project_id_env: 'SIGNALWIRE_PROJECT_ID', api_token_env: 'SIGNALWIRE_API_TOKEN', base_url: `${h.url}/signalwire`,
      });
      expect(envSnippet(h)).toMatchObject({
        SIGNALWIRE_PROJECT_ID: h.credentials.signalwire!.projectId, SIGNALWIRE_API_TOKEN: h.credentials.signalwire!.apiToken, PHONE_DIR_SIGNALWIRE_BASE_URL: `${h.url}/signalwire`,
      });
    } finally {
      await h.close();
    }
  });
});
