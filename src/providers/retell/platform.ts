import type { Retell } from 'retell-sdk';
import type { AgentRef, PlatformNumberSnapshot, PlatformSnapshot } from '../../core/snapshot.js';
import type { DeleteResult, OnPage } from '../../ports/paging.js';
import type { ImportNumberOptions, NumberRef, UpdateBindingOptions, VoicePlatform } from '../../ports/voice-platform.js';
import { RETELL_CAPABILITIES } from './capabilities.js';
import { deleted, isAmbiguous, isNotFound } from '../errors.js';
import { createLimiter } from '../limit.js';
import { resolveSettings } from '../settings.js';
import type { ProviderOptions } from '../types.js';
import * as api from './endpoints.js';
import { isVoiceAgent, mapRetellAgent, mapRetellNumber } from './map.js';
import { createRetellTransport, type RetellCredentials } from './transport.js';

const refs = (list: AgentRef[]) => list.map((a) => ({ agent_id: a.agent_id, weight: a.weight }));
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Creates the adapter for one Retell workspace; loads retell-sdk, so only call it when a command needs Retell. */
export async function createRetellPlatform(workspace: string, creds: RetellCredentials, opts: ProviderOptions = {}): Promise<VoicePlatform> {
  const settings = resolveSettings(opts);
  const transport = await createRetellTransport(creds, {
    timeoutMs: settings.timeoutMs,
    policy: settings.policy,
    stats: settings.stats,
    ...(settings.credentialHint ? { credentialHint: settings.credentialHint } : {}),
  });
  const { call } = transport;
  const label = (what: string) => `${what} in workspace ${workspace}`;

  async function getNumber(ref: NumberRef): Promise<PlatformNumberSnapshot | null> {
    try {
      return mapRetellNumber(await call(label(`fetching ${ref.phone_number}`), (c) => api.retrievePhoneNumber(c, ref.phone_number)));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function listAgents(onPage?: OnPage) {
    const agents = await api.listVoiceAgents(transport, settings.pageSize, onPage, label('listing agents'));
    return agents.filter(isVoiceAgent).map(mapRetellAgent).sort(byKey((a) => a.agent_id));
  }

  return {
    name: 'retell',
    workspace,
    capabilities: RETELL_CAPABILITIES,

    async fetchSnapshot(onPage?: OnPage): Promise<PlatformSnapshot> {
      const limit = createLimiter(settings.concurrency);
      const [numbers, agents] = await Promise.allSettled([
        limit(() => api.listPhoneNumbers(transport, settings.pageSize, onPage, label('listing phone numbers'))),
        limit(() => listAgents(onPage)),
      ]);
      if (numbers.status === 'rejected') throw numbers.reason;
      if (agents.status === 'rejected') throw agents.reason;
      return { workspace, platform: 'retell', numbers: numbers.value.map(mapRetellNumber).sort(byKey((n) => n.phone_number)), agents: agents.value };
    },

    listAgents,
    getNumber,

    async importNumber(o: ImportNumberOptions): Promise<PlatformNumberSnapshot> {
      const body: Retell.PhoneNumberImportParams = {
        phone_number: o.phone_number,
        termination_uri: o.termination_uri,
        // Retell skips E.164 validation unless told otherwise; phone-dir only imports E.164 numbers.
        ignore_e164_validation: false,
        ...(o.sip_auth_username !== undefined ? { sip_trunk_auth_username: o.sip_auth_username } : {}),
        ...(o.sip_auth_password !== undefined ? { sip_trunk_auth_password: o.sip_auth_password } : {}),
        ...(o.inbound_agents !== undefined ? { inbound_agents: refs(o.inbound_agents) } : {}),
        ...(o.outbound_agents !== undefined ? { outbound_agents: refs(o.outbound_agents) } : {}),
        ...(o.nickname !== undefined ? { nickname: o.nickname } : {}),
      };
      try {
        return mapRetellNumber(await call(label(`importing ${o.phone_number}`), (c) => api.importPhoneNumber(c, body), { retryable: false }));
      } catch (err) {
        // Not retried blindly: after a timeout, a dropped connection or a 5xx, see whether it landed.
        if (!isAmbiguous(err)) throw err;
        const landed = await getNumber({ phone_number: o.phone_number }).catch(() => null);
        if (landed) return landed;
        throw err;
      }
    },

    async updateNumber(ref: NumberRef, ch: UpdateBindingOptions): Promise<PlatformNumberSnapshot> {
      const body: Retell.PhoneNumberUpdateParams = {
        ...(ch.inbound_agents !== undefined ? { inbound_agents: refs(ch.inbound_agents) } : {}),
        ...(ch.outbound_agents !== undefined ? { outbound_agents: refs(ch.outbound_agents) } : {}),
        ...(ch.nickname !== undefined ? { nickname: ch.nickname } : {}),
      };
      return mapRetellNumber(await call(label(`updating ${ref.phone_number}`), (c) => api.updatePhoneNumber(c, ref.phone_number, body)));
    },

    async deleteNumber(ref: NumberRef): Promise<DeleteResult> {
      const gone = await deleted((track) => call(label(`deleting ${ref.phone_number}`), (c) => api.deletePhoneNumber(c, ref.phone_number), { track }));
      return { status: gone ? 'deleted' : 'not-found' };
    },
  };
}
