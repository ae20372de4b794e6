import type { Carrier } from '../../ports/carrier.js';
import type { ProviderOptions } from '../types.js';
import type { TwilioCredentials } from './credentials.js';
import { createTwilioProvider } from './provider.js';

export interface TwilioCompatibleOptions { name: string; trunks: boolean; credentials: TwilioCredentials; options: ProviderOptions }

/** A carrier that speaks Twilio's 2010 API (Twilio itself, with trunks), as the Carrier port. Loads the twilio SDK. */
export async function createTwilioCompatibleCarrier(o: TwilioCompatibleOptions): Promise<Carrier> {
  const api = await createTwilioProvider(o.credentials, { ...o.options, credentialHint: o.credentials.hint });
  const { credentials } = o;
  return {
    name: o.name,
    capabilities: { trunks: o.trunks },
    async fetchSnapshot(onPage) {
      return { carrier: o.name, ...(await api.fetchSnapshot(onPage)) };
    },
    findNumber: (e164) => api.findNumber(e164),
    searchAvailable: (options) => api.searchAvailable(options),
    purchase: (options) => api.purchase(options),
    updateNumber: (sid, changes) => api.updateNumber(sid, changes),
    release: (sid) => api.release(sid),
    ...(o.trunks ? { trunks: { fetchTrunk: (sid: string) => api.fetchTrunk(sid), attach: (trunk: string, sid: string) => api.attachToTrunk(trunk, sid), detach: (trunk: string, sid: string) => api.detachFromTrunk(trunk, sid) } } : {}),
    apiCredentials() {
      const apiKey = credentials.username !== credentials.accountSid;
      return apiKey
        ? { carrier: o.name, accountSid: credentials.accountSid, apiKey: credentials.username, apiSecret: credentials.password }
        : { carrier: o.name, accountSid: credentials.accountSid, authToken: credentials.password };
    },
  };
}
