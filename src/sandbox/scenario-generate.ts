import { createHash } from 'node:crypto';
import { makeSid, makeUuid } from './ids.js';
import { markTrusted } from './scenario-load.js';
import type { AgentSpec, AgentWeight, IncomingNumberSpec, RetellNumberSpec, Scenario, SignalwireScenario } from './scenario-types.js';
import { mulberry32 as prng } from './prng.js';
import { generateVapiOrg } from './vapi-generate.js';

export interface GenerateOptions {
  numbers: number;
  workspaces?: string[];
  trunks?: number;
  seed?: number;
  /** Also a Vapi workspace `vapi-support` with this many numbers (every provider type). */
  vapiNumbers?: number;
  /** A SignalWire project with this many numbers (+1 628 2xx xxxx), none imported anywhere. */
  signalwireNumbers?: number;
}

function signalwireProject(count: number, seed: number): SignalwireScenario {
  if (!Number.isInteger(count) || count < 0 || count > 8_000_000) throw new Error('signalwireNumbers must be an integer between 0 and 8000000');
  const base = Date.parse('2023-06-01T00:00:00Z');
  return {
    space_url: 'generated.signalwire.com',
    project_id: makeUuid(`generated-project:${seed}`),
    api_token: `PT${createHash('md5').update(`generated-signalwire-token:${seed}`).digest('hex')}`,
    incoming_phone_numbers: Array.from({ length: count }, (_, k) => ({
      phone_number: `+1628${2_000_000 + k}`,
      friendly_name: `Generated SignalWire ${k + 1}`,
      date_created: new Date(base + k * 60_000).toISOString(),
    })),
  };
}


// Area codes and exchanges that libphonenumber-js accepts as valid US numbers; 888/877/855 are toll-free.
const NPAS = [201, 202, 206, 212, 213, 214, 303, 305, 310, 312, 313, 404, 408, 415, 503, 512, 602, 612, 617, 646, 650, 702, 713, 718, 720, 773, 805, 818, 858, 917, 919, 949, 972, 978, 888, 877, 855];
const EXCHANGES = [555, 234, 345, 456, 567, 678, 789, 321, 432, 543];
const TOLL_FREE = new Set([888, 877, 855]);

function shuffle<T>(items: T[], rand: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** Assignment shapes cycled through imported numbers. */
function assignment(k: number, agents: string[]): Pick<RetellNumberSpec, 'inbound_agents' | 'outbound_agents' | 'legacy_agent_fields'> {
  const a = agents[k % agents.length] as string;
  const b = agents[(k + 1) % agents.length] as string;
  const one = (id: string): AgentWeight[] => [{ agent_id: id, weight: 1 }];
  const legacy = k % 25 === 0 ? { legacy_agent_fields: true } : {};
  switch (k % 6) {
    case 0: return { inbound_agents: one(a), outbound_agents: one(a), ...legacy };
    case 1: return { inbound_agents: one(a), ...legacy };
    case 2: return { outbound_agents: one(a), ...legacy };
    case 3: return {};
    case 4: return { inbound_agents: one(a), outbound_agents: one(b), ...legacy };
    default: return { inbound_agents: [{ agent_id: a, weight: 0.7 }, { agent_id: b, weight: 0.3 }], outbound_agents: one(a) };
  }
}

/** A large deterministic scenario (same options, same document). startSandbox trusts it without re-validating. */
export function generateScenario(o: GenerateOptions): Scenario {
  const seed = o.seed ?? 1;
  const rand = prng(seed);
  const workspaces = o.workspaces ?? ['staging', 'production'];
  const trunkCount = o.trunks ?? 2;
  const npas = shuffle(NPAS, rand);
  const lineOffset = Math.floor(rand() * 10_000);
  const capacity = npas.length * EXCHANGES.length * 10_000;
  if (!Number.isInteger(o.numbers) || o.numbers < 0 || o.numbers > capacity) throw new Error(`numbers must be an integer between 0 and ${capacity}`);

  const trunks = Array.from({ length: trunkCount }, (_, i) => ({
    sid: makeSid('TK', `generated:${seed}:${i}`),
    friendly_name: `Generated Trunk ${i + 1}`,
    domain_name: `gen-trunk-${i + 1}.pstn.twilio.com`,
    origination_urls: [{ sip_url: 'sip:5t4n6j0wnrl.sip.retellai.com' }],
    credential_lists: [makeSid('CL', `generated:${seed}:${i}`)],
  }));
  const credentialLists = trunks.map((_, i) => ({
    sid: makeSid('CL', `generated:${seed}:${i}`),
    friendly_name: `Generated Credentials ${i + 1}`,
    credentials: [{ username: `retell_trunk${i + 1}`, password: `Generated-Passw0rd-${i + 1}` }],
  }));

  const base = Date.parse('2023-01-01T00:00:00Z');
  const numbers: IncomingNumberSpec[] = new Array(o.numbers);
  for (let k = 0; k < o.numbers; k++) {
    const npa = npas[k % npas.length] as number;
    const j = Math.floor(k / npas.length);
    const exchange = EXCHANGES[j % EXCHANGES.length] as number;
    const line = (Math.floor(j / EXCHANGES.length) + lineOffset) % 10_000;
    const phone = `+1${npa}${exchange}${String(line).padStart(4, '0')}`;
    const onTrunk = trunkCount > 0 && k % 10 !== 9;
    numbers[k] = {
      phone_number: phone,
      type: TOLL_FREE.has(npa) ? 'toll-free' : k % 97 === 0 ? 'mobile' : 'local',
      trunk_sid: onTrunk ? (trunks[k % trunkCount]?.sid ?? null) : null,
      ...(!onTrunk && k % 20 === 9 ? { voice_url: `https://hooks.example.test/voice/${k}` } : {}),
      date_created: new Date(base + k * 60_000).toISOString(),
    };
  }

  const retell: Scenario['retell'] = { workspaces: {} };
  workspaces.forEach((ws, w) => {
    const tag = createHash('md5').update(`${seed}:${ws}`).digest('hex').slice(0, 6);
    const agents: AgentSpec[] = Array.from({ length: 5 }, (_, i) => ({ agent_id: `agent_${ws}_${i + 1}_${tag}`, agent_name: `Generated Agent ${i + 1}`, channel: 'voice', version: 1 + ((i + w) % 4) }));
    agents.push({ agent_id: `agent_${ws}_chat_${tag}`, agent_name: 'Generated Chat Agent', channel: 'chat', version: 1 });
    const voiceIds = agents.filter((a) => a.channel === 'voice').map((a) => a.agent_id);
    const phoneNumbers: RetellNumberSpec[] = [];
    numbers.forEach((n, k) => {
      if (n.trunk_sid && (k + w) % 3 !== 0) phoneNumbers.push({ phone_number: n.phone_number, ...assignment(k, voiceIds) });
    });
    phoneNumbers.push({ phone_number: `+1312200${String(9000 + w).padStart(4, '0')}`, phone_number_type: 'retell-twilio', inbound_agents: [{ agent_id: voiceIds[0] as string, weight: 1 }] });
    retell.workspaces[ws] = { api_key: `key_generated_${ws}_${tag}`, agents, phone_numbers: phoneNumbers };
  });

  const accountSid = makeSid('AC', `generated:${seed}`);
  return markTrusted({
    description: `generated: ${o.numbers} numbers, seed ${seed}`,
    ...(o.vapiNumbers !== undefined ? { vapi: { workspaces: { 'vapi-support': generateVapiOrg(o.vapiNumbers, seed, accountSid) } } } : {}),
    twilio: {
      account_sid: accountSid,
      auth_token: createHash('md5').update(`generated-token:${seed}`).digest('hex'),
      api_keys: [{ sid: makeSid('SK', `generated:${seed}`), secret: createHash('md5').update(`generated-secret:${seed}`).digest('hex') }],
      credential_lists: credentialLists,
      trunks,
      incoming_phone_numbers: numbers,
    },
    ...(o.signalwireNumbers !== undefined ? { signalwire: signalwireProject(o.signalwireNumbers, seed) } : {}),
    retell,
  });
}
