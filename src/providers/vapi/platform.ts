import { UsageError } from '../../core/errors.js';
import type { AgentRef, PlatformAgentSnapshot, PlatformNumberSnapshot, PlatformSnapshot } from '../../core/snapshot.js';
import type { DeleteResult, OnPage } from '../../ports/paging.js';
import type { ImportNumberOptions, NumberRef, UpdateBindingOptions, VoicePlatform } from '../../ports/voice-platform.js';
import type { PlatformCredentials } from '../entry.js';
import { deleted, isAmbiguous, isNotFound, ProviderCallError } from '../errors.js';
import { createLimiter } from '../limit.js';
import { resolveSettings } from '../settings.js';
import type { ProviderOptions } from '../types.js';
import * as api from './endpoints.js';
import { VAPI_CAPABILITIES } from './capabilities.js';
import { hasE164, mapVapiAssistant, mapVapiNumber, SIP_TRUNK_CREDENTIAL, VAPI_ID_FIELD, type VapiAssistantWire, type VapiCredentialWire, type VapiNumberWire } from './map.js';
import { createVapiTransport } from './transport.js';

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
/** Vapi refuses phone-number names longer than 40 characters. */
const NAME_MAX = 40;

/** Vapi binds at most one assistant, inbound only: anything else is the caller's mistake (exit 2), refused before any request. */
function checkBindings(inbound: AgentRef[] | undefined, outbound: AgentRef[] | undefined): void {
  if ((outbound?.length ?? 0) > 0) {
    throw new UsageError('Vapi binds one assistant to a number for inbound calls only: it has no outbound agent', 'use an inbound-only assignment in a Vapi workspace');
  }
  if ((inbound?.length ?? 0) > 1) {
    throw new UsageError('Vapi binds one assistant to a number for inbound calls only: it cannot split calls between weighted agents', 'give one agent');
  }
}

/** "sip:host:5060;transport=tcp" or "host" → gateway {ip: host, port?}. */
export function gatewayFor(terminationUri: string): { ip: string; port?: number } {
  const bare = terminationUri.trim().replace(/^sips?:/i, '').replace(/;.*$/, '').replace(/^[^@]*@/, '');
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(bare);
  const ip = (m?.[1] ?? bare).toLowerCase();
  return m?.[2] ? { ip, port: Number(m[2]) } : { ip };
}

/** Creates the adapter for one Vapi workspace (organisation); loads the SDK's phoneNumbers subpath. */
export async function createVapiPlatform(workspace: string, creds: PlatformCredentials, opts: ProviderOptions = {}): Promise<VoicePlatform> {
  const settings = resolveSettings(opts);
  const transport = await createVapiTransport({
    apiKey: creds.apiKey,
    baseUrl: creds.baseUrl,
    timeoutMs: settings.timeoutMs,
    policy: settings.policy,
    stats: settings.stats,
    credentialHint: creds.hint || settings.credentialHint || 'the api_key_env of this workspace',
  });
  const { call } = transport;
  const label = (what: string) => `${what} in workspace ${workspace}`;
  const limit = settings.pageSize;

  const listNumbers = (onPage?: OnPage) => api.listAll<VapiNumberWire>(transport, 'numbers', limit, 'phone numbers', label('listing phone numbers'), onPage);
  const listCredentials = (onPage?: OnPage) => api.listAll<VapiCredentialWire>(transport, 'credentials', limit, 'credentials', label('listing credentials'), onPage);

  async function credentialOf(w: VapiNumberWire): Promise<VapiCredentialWire | null> {
    if (w.provider !== 'byo-phone-number' || !w.credentialId) return null;
    const id = w.credentialId;
    try {
      return await call(label(`fetching credential ${id}`), (c) => api.getCredential(c, id));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  const mapOne = async (w: VapiNumberWire) => mapVapiNumber(w, await credentialOf(w));

  /** The wire number for a ref: by id when recorded (and still that number), else by listing. */
  async function findWire(ref: NumberRef): Promise<VapiNumberWire | null> {
    const id = ref.platform_ids?.[VAPI_ID_FIELD];
    if (id) {
      try {
        const w = await call(label(`fetching ${ref.phone_number}`), (c) => api.getPhoneNumber(c, id));
        if (w.number === ref.phone_number) return w;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return (await listNumbers()).find((w) => w.number === ref.phone_number) ?? null;
  }

  function notFound(operation: string, phone: string): ProviderCallError {
    return new ProviderCallError('vapi', operation, `vapi: ${operation} failed: 404 ${phone} is not a phone number of this Vapi workspace`, { status: 404, notFound: true });
  }

  /** A byo-sip-trunk credential for this SIP host (and username): an existing one, else a new one. */
  async function sipCredential(terminationUri: string, username?: string, password?: string): Promise<VapiCredentialWire> {
    const gateway = gatewayFor(terminationUri);
    const matches = (c: VapiCredentialWire) =>
      c.provider === SIP_TRUNK_CREDENTIAL &&
      (c.gateways ?? []).some((g) => g.ip.toLowerCase() === gateway.ip && (gateway.port === undefined || g.port === gateway.port)) &&
      (username === undefined || c.outboundAuthenticationPlan?.authUsername === username);
    const existing = (await listCredentials()).find(matches);
    if (existing) return existing;
    const body: api.SipTrunkCredentialBody = {
      provider: 'byo-sip-trunk',
      name: `phone-dir ${gateway.ip}`.slice(0, NAME_MAX),
      gateways: [gateway],
      ...(username !== undefined ? { outboundAuthenticationPlan: { authUsername: username, ...(password !== undefined ? { authPassword: password } : {}) } } : {}),
    };
    try {
      return await call(label(`creating a SIP trunk credential for ${gateway.ip}`), (c) => api.createSipTrunkCredential(c, body), { retryable: false });
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      const landed = (await listCredentials().catch(() => [])).find(matches);
      if (landed) return landed;
      throw err;
    }
  }

  return {
    name: 'vapi',
    workspace,
    capabilities: VAPI_CAPABILITIES,

    async fetchSnapshot(onPage?: OnPage): Promise<PlatformSnapshot> {
      const limiter = createLimiter(settings.concurrency);
      const [numbers, assistants, credentials] = await Promise.allSettled([
        limiter(() => listNumbers(onPage)),
        limiter(() => api.listAll<VapiAssistantWire>(transport, 'assistants', limit, 'agents', label('listing assistants'), onPage)),
        limiter(() => listCredentials(onPage)),
      ]);
      for (const r of [numbers, assistants, credentials]) if (r.status === 'rejected') throw r.reason;
      const byId = new Map((credentials.status === 'fulfilled' ? credentials.value : []).map((c) => [c.id, c]));
      const mapped = (numbers.status === 'fulfilled' ? numbers.value : []).map((w) => mapVapiNumber(w, w.credentialId ? byId.get(w.credentialId) : null));
      return {
        workspace,
        platform: 'vapi',
        numbers: mapped.filter((n): n is PlatformNumberSnapshot => n !== null).sort(byKey((n) => n.phone_number)),
        agents: (assistants.status === 'fulfilled' ? assistants.value : []).map(mapVapiAssistant).sort(byKey((a) => a.agent_id)),
      };
    },

    async listAgents(onPage?: OnPage): Promise<PlatformAgentSnapshot[]> {
      const wires = await api.listAll<VapiAssistantWire>(transport, 'assistants', limit, 'agents', label('listing assistants'), onPage);
      return wires.map(mapVapiAssistant).sort(byKey((a) => a.agent_id));
    },

    async getNumber(ref: NumberRef): Promise<PlatformNumberSnapshot | null> {
      const w = await findWire(ref);
      return w ? mapOne(w) : null;
    },

    async importNumber(o: ImportNumberOptions): Promise<PlatformNumberSnapshot> {
      checkBindings(o.inbound_agents, o.outbound_agents);
      const assistantId = o.inbound_agents?.[0]?.agent_id;
      const common = {
        number: o.phone_number,
        ...(o.nickname ? { name: o.nickname.slice(0, NAME_MAX) } : {}),
        ...(assistantId ? { assistantId } : {}),
      };
      const cc = o.carrier_credentials;
      if (cc?.carrier === 'twilio' && cc.authToken === undefined && !(cc.apiKey && cc.apiSecret)) {
        throw new UsageError(`importing ${o.phone_number} into Vapi through Twilio needs the account's auth token or an API key and secret`);
      }
      if (cc?.carrier !== 'twilio' && o.termination_uri.trim() === '') {
        throw new UsageError(`importing ${o.phone_number} into Vapi over SIP needs a termination URI (the SIP host Vapi sends its calls to)`);
      }
      let credential: VapiCredentialWire | null = null;
      let body: Parameters<typeof api.createPhoneNumber>[1];
      if (cc?.carrier === 'twilio') {
        const auth = cc.authToken !== undefined ? { twilioAuthToken: cc.authToken } : { twilioApiKey: cc.apiKey, twilioApiSecret: cc.apiSecret };
        body = { provider: 'twilio', twilioAccountSid: cc.accountSid, ...auth, ...common };
      } else {
        credential = await sipCredential(o.termination_uri, o.sip_auth_username, o.sip_auth_password);
        body = { provider: 'byo-phone-number', credentialId: credential.id, numberE164CheckEnabled: true, ...common };
      }
      const operation = label(`importing ${o.phone_number}`);
      let wire: VapiNumberWire;
      try {
        wire = await call(operation, (c) => api.createPhoneNumber(c, body), { retryable: false });
      } catch (err) {
        // Not retried blindly: after a timeout, a dropped connection or a 5xx, see whether it landed.
        if (!isAmbiguous(err)) throw err;
        const landed = (await listNumbers().catch(() => [])).find((w) => w.number === o.phone_number);
        if (!landed) throw err;
        wire = landed;
      }
      const mapped = mapVapiNumber(wire, credential ?? (await credentialOf(wire)));
      if (!mapped) throw new ProviderCallError('vapi', operation, `vapi: ${operation}: Vapi answered without the E.164 number`, {});
      return mapped;
    },

    async updateNumber(ref: NumberRef, changes: UpdateBindingOptions): Promise<PlatformNumberSnapshot> {
      checkBindings(changes.inbound_agents, changes.outbound_agents);
      const operation = label(`updating ${ref.phone_number}`);
      const current = await findWire(ref);
      if (!current) throw notFound(operation, ref.phone_number);
      // The SDK's update body is a union keyed by provider, so the number's own provider goes with it.
      const body = {
        provider: current.provider,
        ...(changes.inbound_agents !== undefined ? { assistantId: changes.inbound_agents[0]?.agent_id ?? null } : {}),
        ...(changes.nickname !== undefined ? { name: changes.nickname === null ? null : changes.nickname.slice(0, NAME_MAX) } : {}),
      };
      const w = await call(operation, (c) => api.updatePhoneNumber(c, current.id, body));
      const mapped = await mapOne(w);
      if (!mapped) throw notFound(operation, ref.phone_number);
      return mapped;
    },

    async deleteNumber(ref: NumberRef): Promise<DeleteResult> {
      const current = await findWire(ref);
      if (!current || !hasE164(current)) return { status: 'not-found' };
      const gone = await deleted((track) => call(label(`deleting ${ref.phone_number}`), (c) => api.deletePhoneNumber(c, current.id), { track }));
      return { status: gone ? 'deleted' : 'not-found' };
    },
  };
}
