import { createHash } from 'node:crypto';
import type { Scenario, VapiNumberSpec } from './scenario-types.js';
import type { SandboxState } from './state.js';
import type { VapiCredentialProvider, VapiOrg } from './vapi-state.js';
import { VersionedMap } from './versioned-map.js';

/** A deterministic version-4-shaped UUID from `seed`: scenario ids stay stable across runs. */
export function uuidFrom(seed: string): string {
  const h = createHash('md5').update(seed).digest('hex').split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16] as string, 16) % 4] as string;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

export const vapiNumberId = (ws: string, n: VapiNumberSpec, i: number) => n.id ?? uuidFrom(`vapi-number:${ws}:${n.number ?? n.sip_uri ?? i}`);

const CREDENTIAL_OF: Record<string, VapiCredentialProvider | undefined> = { 'byo-phone-number': 'byo-sip-trunk', vonage: 'vonage', telnyx: 'telnyx' };

/** Cross-reference checks of the scenario's Vapi section; `fail(at, message)` throws. */
export function checkVapiScenario(s: Scenario, reserved: ReadonlySet<string>, fail: (at: string, msg: string) => never): void {
  const keys = new Set(Object.values(s.retell.workspaces).map((w) => w.api_key));
  for (const [ws, org] of Object.entries(s.vapi?.workspaces ?? {})) {
    const at = `vapi.workspaces.${ws}`;
    if (reserved.has(ws)) fail(at, `"${ws}" is reserved in workspaces.json and cannot be a workspace name`);
    if (ws in s.retell.workspaces) fail(at, `"${ws}" is also a Retell workspace; a workspace is on one platform`);
    if (keys.has(org.api_key)) fail(`${at}.api_key`, 'api_key is used by another workspace');
    keys.add(org.api_key);
    const assistants = new Set<string>();
    (org.assistants ?? []).forEach((a, i) => {
      if (assistants.has(a.id)) fail(`${at}.assistants[${i}].id`, `duplicate assistant ${a.id}`);
      assistants.add(a.id);
    });
    const credentials = new Map<string, VapiCredentialProvider>();
    (org.credentials ?? []).forEach((c, i) => {
      if (credentials.has(c.id)) fail(`${at}.credentials[${i}].id`, `duplicate credential ${c.id}`);
      if (c.provider === 'byo-sip-trunk' && !c.gateways?.length) fail(`${at}.credentials[${i}].gateways`, 'a byo-sip-trunk credential needs at least one gateway');
      credentials.set(c.id, c.provider);
    });
    const ids = new Set<string>();
    const numbers = new Set<string>();
    (org.phone_numbers ?? []).forEach((n, i) => {
      const nat = `${at}.phone_numbers[${i}]`;
      const id = vapiNumberId(ws, n, i);
      if (ids.has(id)) fail(`${nat}.id`, `duplicate phone number id ${id}`);
      ids.add(id);
      if (n.number !== undefined) {
        if (numbers.has(n.number)) fail(`${nat}.number`, `duplicate number ${n.number} in workspace ${ws}`);
        numbers.add(n.number);
      }
      if (n.number === undefined && !(n.provider === 'vapi' && n.sip_uri)) fail(`${nat}.number`, `required for a ${n.provider} number (only a vapi number may have just a sip_uri)`);
      if (n.assistant_id !== undefined && !assistants.has(n.assistant_id)) fail(`${nat}.assistant_id`, `no assistant ${n.assistant_id} in workspace ${ws}`);
      const kind = CREDENTIAL_OF[n.provider];
      if (kind && (n.credential_id === undefined || credentials.get(n.credential_id) !== kind)) fail(`${nat}.credential_id`, `a ${n.provider} number needs a ${kind} credential of the workspace`);
      if (!kind && n.credential_id !== undefined) fail(`${nat}.credential_id`, `${n.provider} numbers have no credential_id`);
      if (n.provider === 'twilio' && !n.twilio_account_sid) fail(`${nat}.twilio_account_sid`, 'required for a twilio number');
      if (n.provider !== 'twilio' && (n.twilio_account_sid || n.twilio_auth_token)) fail(nat, `${n.provider} numbers have no Twilio credentials`);
    });
  }
}

export function buildVapi(s: Scenario, state: SandboxState, defaultDate: string): void {
  const t = (iso: string | undefined) => Date.parse(iso ?? defaultDate);
  for (const [ws, spec] of Object.entries(s.vapi?.workspaces ?? {})) {
    const org: VapiOrg = {
      name: ws, label: spec.name ?? ws, apiKey: spec.api_key, orgId: spec.org_id ?? uuidFrom(`vapi-org:${ws}`),
      numbers: new VersionedMap(), assistants: new VersionedMap(), credentials: new VersionedMap(),
    };
    for (const a of spec.assistants ?? []) org.assistants.set(a.id, { id: a.id, name: a.name, createdAt: t(a.created_at), updatedAt: t(a.created_at) });
    for (const c of spec.credentials ?? []) {
      org.credentials.set(c.id, {
        id: c.id, provider: c.provider, name: c.name ?? null, gateways: (c.gateways ?? []).map((g) => ({ ...g })),
        authUsername: c.auth_username ?? null, authPassword: c.auth_password ?? null, createdAt: t(c.created_at), updatedAt: t(c.created_at),
      });
    }
    (spec.phone_numbers ?? []).forEach((n, i) => {
      const created = t(n.created_at);
      const id = vapiNumberId(ws, n, i);
      org.numbers.set(id, {
        id, provider: n.provider, number: n.number ?? null, name: n.name ?? null, assistantId: n.assistant_id ?? null,
        credentialId: n.credential_id ?? null, twilioAccountSid: n.twilio_account_sid ?? null,
        twilioSecret: n.twilio_auth_token ? { authToken: n.twilio_auth_token } : null,
        serverUrl: n.server_url ?? null, sipUri: n.sip_uri ?? null, createdAt: created, updatedAt: n.updated_at ? Date.parse(n.updated_at) : created,
      });
    });
    state.vapi.set(ws, org);
  }
}
