import { readFile } from 'node:fs/promises';
import { FaultController } from './faults.js';
import { makeSid, signalwireNumberSid } from './ids.js';
import { scenarioSchema, type AgentWeight, type Scenario } from './scenario-types.js';
import { checkVapiScenario } from './vapi-scenario.js';

const RESERVED_WORKSPACES = new Set(['twilio', 'signalwire', 'mode', '$schema']);

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(root)';
}

/** A scenario the user gave is unusable: a usage error (exit 2), not a bug. */
export class ScenarioError extends Error {
  readonly exitCode = 2;
}

class ScenarioProblem extends Error {
  constructor(readonly at: string, message: string) {
    super(message);
  }
}

/** Cross-reference checks zod cannot express. Throws the first problem found. */
function checkReferences(s: Scenario): void {
  const t = s.twilio;
  const fail = (at: string, msg: string): never => {
    throw new ScenarioProblem(at, msg);
  };
  const clSids = new Set<string>();
  (t.credential_lists ?? []).forEach((cl, i) => {
    const sid = cl.sid ?? makeSid('CL', cl.friendly_name);
    if (clSids.has(sid)) fail(`twilio.credential_lists[${i}]`, `duplicate credential list ${sid} (give distinct friendly_name or sid)`);
    clSids.add(sid);
  });
  const trunkSids = new Map<string, string>();
  (t.trunks ?? []).forEach((tr, i) => {
    const sid = tr.sid ?? makeSid('TK', tr.domain_name);
    if (trunkSids.has(sid)) fail(`twilio.trunks[${i}]`, `duplicate trunk ${sid}`);
    if ([...trunkSids.values()].includes(tr.domain_name)) fail(`twilio.trunks[${i}].domain_name`, `duplicate domain ${tr.domain_name}`);
    trunkSids.set(sid, tr.domain_name);
    (tr.credential_lists ?? []).forEach((cl, j) => {
      if (!clSids.has(cl)) fail(`twilio.trunks[${i}].credential_lists[${j}]`, `unknown credential list ${cl}`);
    });
  });
  const phones = new Map<string, string | null>();
  const pnSids = new Set<string>();
  (t.incoming_phone_numbers ?? []).forEach((n, i) => {
    const at = `twilio.incoming_phone_numbers[${i}]`;
    if (phones.has(n.phone_number)) fail(`${at}.phone_number`, `duplicate number ${n.phone_number}`);
    const sid = n.sid ?? makeSid('PN', n.phone_number);
    if (pnSids.has(sid)) fail(`${at}.sid`, `duplicate sid ${sid}`);
    pnSids.add(sid);
    if (n.trunk_sid && !trunkSids.has(n.trunk_sid)) fail(`${at}.trunk_sid`, `unknown trunk ${n.trunk_sid}`);
    phones.set(n.phone_number, n.trunk_sid ?? null);
  });
  const sw = s.signalwire;
  const swPhones = new Set<string>();
  const swSids = new Set<string>();
  (sw?.incoming_phone_numbers ?? []).forEach((n, i) => {
    const at = `signalwire.incoming_phone_numbers[${i}]`;
    if (swPhones.has(n.phone_number)) fail(`${at}.phone_number`, `duplicate number ${n.phone_number}`);
    swPhones.add(n.phone_number);
    const sid = n.sid ?? signalwireNumberSid(sw?.project_id ?? '', n.phone_number);
    if (swSids.has(sid)) fail(`${at}.sid`, `duplicate sid ${sid}`);
    swSids.add(sid);
  });
  const keys = new Set<string>();
  for (const [ws, w] of Object.entries(s.retell.workspaces)) {
    const at = `retell.workspaces.${ws}`;
    if (RESERVED_WORKSPACES.has(ws)) fail(at, `"${ws}" is reserved in workspaces.json and cannot be a workspace name`);
    if (keys.has(w.api_key)) fail(`${at}.api_key`, 'api_key is used by another workspace');
    keys.add(w.api_key);
    const agents = new Map<string, 'voice' | 'chat'>();
    (w.agents ?? []).forEach((a, i) => {
      if (agents.has(a.agent_id)) fail(`${at}.agents[${i}].agent_id`, `duplicate agent ${a.agent_id}`);
      agents.set(a.agent_id, a.channel ?? 'voice');
    });
    const seen = new Set<string>();
    (w.phone_numbers ?? []).forEach((n, i) => {
      const nat = `${at}.phone_numbers[${i}]`;
      if (seen.has(n.phone_number)) fail(`${nat}.phone_number`, `duplicate number ${n.phone_number} in workspace ${ws}`);
      seen.add(n.phone_number);
      const lists: [string, AgentWeight[] | null | undefined, 'voice' | 'chat'][] = [
        ['inbound_agents', n.inbound_agents, 'voice'],
        ['outbound_agents', n.outbound_agents, 'voice'],
        ['inbound_sms_agents', n.inbound_sms_agents, 'chat'],
        ['outbound_sms_agents', n.outbound_sms_agents, 'chat'],
      ];
      for (const [key, list, channel] of lists) {
        if (!list) continue;
        list.forEach((ref, j) => {
          if (agents.get(ref.agent_id) !== channel) fail(`${nat}.${key}[${j}].agent_id`, `no ${channel} agent ${ref.agent_id} in workspace ${ws}`);
        });
        const sum = list.reduce((acc, r) => acc + r.weight, 0);
        if (list.length > 0 && Math.abs(sum - 1) > 1e-6) fail(`${nat}.${key}`, `weights add up to ${sum}, not 1`);
        if (n.legacy_agent_fields && key.endsWith('bound_agents') && !key.includes('sms') && list.length > 1) {
          fail(`${nat}.${key}`, 'legacy_agent_fields numbers can hold at most one agent per direction');
        }
      }
      const type = n.phone_number_type ?? 'custom';
      if (type === 'custom' && !n.termination_uri && !phones.get(n.phone_number)) {
        fail(`${nat}.termination_uri`, 'required for a custom number that is not on a trunk of the Twilio account');
      }
      if (type !== 'custom' && (n.termination_uri || n.auth_username)) {
        fail(nat, `${type} numbers have no SIP trunk settings (termination_uri, auth_username)`);
      }
    });
  }
  checkVapiScenario(s, RESERVED_WORKSPACES, fail);
  const fc = new FaultController();
  (s.faults ?? []).forEach((f, i) => {
    try {
      fc.add(f);
    } catch (e) {
      fail(`faults[${i}]`, (e as Error).message.replace(/^invalid fault: /, ''));
    }
  });
}

/**
 * Scenarios built by generateScenario() are valid by construction; validating 100,000 numbers with
 * zod would cost seconds, so startSandbox skips it for them.
 */
const trusted = new WeakSet<object>();
export function markTrusted<T extends object>(s: T): T {
  trusted.add(s);
  return s;
}
export function isTrusted(s: unknown): boolean {
  return typeof s === 'object' && s !== null && trusted.has(s);
}

/** Validates a scenario document; the error is one line naming the source and the field. */
export function validateScenario(input: unknown, source = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(`${source}: invalid scenario at ${formatPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`);
  }
  try {
    checkReferences(parsed.data);
  } catch (e) {
    if (e instanceof ScenarioProblem) throw new ScenarioError(`${source}: invalid scenario at ${e.at}: ${e.message}`);
    throw e;
  }
  return parsed.data;
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(`${path}: cannot read scenario file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`${path}: not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateScenario(json, path);
}
