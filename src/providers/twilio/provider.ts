import type { AvailableNumber, TrunkSnapshot, CarrierNumberSnapshot as TwilioNumberSnapshot } from '../../core/snapshot.js';
import type { OnPage } from '../../ports/paging.js';
import type { PurchaseOptions, SearchAvailableOptions } from '../../ports/carrier.js';
import type { TwilioCredentials } from './credentials.js';
import { isAmbiguous, isNotFound, ProviderCallError } from '../errors.js';
import { createLimiter } from '../limit.js';
import { resolveSettings } from '../settings.js';
import type { ProviderOptions } from '../types.js';

interface TwilioSnapshot { numbers: TwilioNumberSnapshot[]; trunks: TrunkSnapshot[]; credential_lists: { sid: string; friendly_name: string | null; usernames: string[] }[] }

export interface UpdateTwilioNumberOptions {
  voiceUrl?: string | null;
  smsUrl?: string | null;
  friendlyName?: string;
  trunkSid?: string | null;
}

/** The Twilio 2010 + Trunking calls phone-dir makes; carrier.ts presents them as a Carrier. */
export interface TwilioProvider {
  readonly accountSid: string;
  fetchSnapshot(onPage?: OnPage): Promise<TwilioSnapshot>;
  findNumber(e164: string): Promise<TwilioNumberSnapshot | null>;
  searchAvailable(options: SearchAvailableOptions): Promise<AvailableNumber[]>;
  purchase(options: PurchaseOptions): Promise<TwilioNumberSnapshot>;
  updateNumber(sid: string, changes: UpdateTwilioNumberOptions): Promise<TwilioNumberSnapshot>;
  attachToTrunk(trunkSid: string, numberSid: string): Promise<void>;
  detachFromTrunk(trunkSid: string, numberSid: string): Promise<boolean>;
  release(sid: string): Promise<boolean>;
  fetchTrunk(sid: string): Promise<TrunkSnapshot | null>;
}
import * as api from './endpoints.js';
import { mapAvailableNumber, mapCredentialList, mapIncomingNumber, mapTrunk, sortBySid, sortNumbers, type TrunkWire } from './map.js';
import { createTwilioTransport } from './transport.js';

/** Creates the Twilio adapter; loads the twilio SDK (about 150 ms), so only call it when a command needs Twilio. */
export async function createTwilioProvider(creds: TwilioCredentials, opts: ProviderOptions = {}): Promise<TwilioProvider> {
  const settings = resolveSettings(opts);
  const { pageSize, concurrency } = settings;
  const transport = await createTwilioTransport(creds, {
    timeoutMs: settings.timeoutMs,
    policy: settings.policy,
    stats: settings.stats,
    ...(settings.credentialHint ? { credentialHint: settings.credentialHint } : {}),
  });
  const { call } = transport;

  async function trunkWithChildren(trunk: TrunkWire, limit: <T>(fn: () => Promise<T>) => Promise<T>, onPage?: OnPage): Promise<TrunkSnapshot> {
    const [phoneNumbers, originationUrls, credentialLists] = await Promise.all([
      limit(() => call(`listing phone numbers of trunk ${trunk.sid}`, (c) => api.listTrunkNumbers(c, trunk.sid, pageSize, onPage))),
      limit(() => call(`listing origination URLs of trunk ${trunk.sid}`, (c) => api.listOriginationUrls(c, trunk.sid, pageSize, onPage))),
      limit(() => call(`listing credential lists of trunk ${trunk.sid}`, (c) => api.listTrunkCredentialLists(c, trunk.sid, pageSize, onPage))),
    ]);
    return mapTrunk(trunk, { phoneNumbers, originationUrls, credentialLists });
  }

  async function findNumber(e164: string): Promise<TwilioNumberSnapshot | null> {
    const found = await call(`looking up ${e164}`, (c) => api.findIncomingNumbers(c, e164));
    const match = found.find((w) => w.phone_number === e164);
    return match ? mapIncomingNumber(match) : null;
  }

  return {
    accountSid: creds.accountSid,

    async fetchSnapshot(onPage?: OnPage): Promise<TwilioSnapshot> {
      const limit = createLimiter(concurrency);
      const numbers = limit(() => call('listing incoming phone numbers', (c) => api.listIncomingNumbers(c, pageSize, onPage)));
      const trunks = limit(() => call('listing trunks', (c) => api.listTrunks(c, pageSize, onPage))).then((list) =>
        Promise.all(list.map((t) => trunkWithChildren(t, limit, onPage))),
      );
      const credentialLists = limit(() => call('listing SIP credential lists', (c) => api.listCredentialLists(c, pageSize, onPage))).then((lists) =>
        Promise.all(
          lists.map(async (cl) =>
            mapCredentialList(cl, await limit(() => call(`listing credentials of credential list ${cl.sid}`, (c) => api.listCredentials(c, cl.sid, pageSize, onPage)))),
          ),
        ),
      );
      // Settle all three before failing, so no request is left running unobserved.
      const [n, t, cl] = await Promise.allSettled([numbers, trunks, credentialLists]);
      for (const r of [n, t, cl]) if (r.status === 'rejected') throw r.reason;
      return {
        numbers: sortNumbers((n as PromiseFulfilledResult<Awaited<typeof numbers>>).value.map(mapIncomingNumber)),
        trunks: sortBySid((t as PromiseFulfilledResult<TrunkSnapshot[]>).value),
        credential_lists: sortBySid((cl as PromiseFulfilledResult<Awaited<typeof credentialLists>>).value),
      };
    },

    findNumber,

    async searchAvailable(o: SearchAvailableOptions) {
      const areaCode = o.areaCode === undefined ? undefined : Number(o.areaCode);
      const what = `searching available ${o.tollFree ? 'toll-free' : 'local'} numbers in ${o.country}${areaCode ? ` (area code ${areaCode})` : ''}`;
      const found = await call(what, (c) =>
        api.searchAvailable(c, {
          country: o.country,
          tollFree: o.tollFree ?? false,
          limit: o.limit,
          ...(areaCode !== undefined && Number.isFinite(areaCode) ? { areaCode } : {}),
          ...(o.contains ? { contains: o.contains } : {}),
        }),
      );
      return found.map(mapAvailableNumber);
    },

    async purchase(o: PurchaseOptions) {
      try {
        const bought = await call(`buying ${o.phoneNumber}`, (c) => api.createIncomingNumber(c, o), { retryable: false });
        return mapIncomingNumber(bought);
      } catch (err) {
        // Never buy twice: after an ambiguous failure, look before anyone retries.
        if (!isAmbiguous(err)) throw err;
        const landed = await findNumber(o.phoneNumber).catch(() => null);
        if (landed) return landed;
        throw err;
      }
    },

    async updateNumber(sid: string, ch: UpdateTwilioNumberOptions) {
      const params: api.UpdateParams = {};
      if (ch.voiceUrl !== undefined) params.voiceUrl = ch.voiceUrl ?? '';
      if (ch.smsUrl !== undefined) params.smsUrl = ch.smsUrl ?? '';
      if (ch.friendlyName !== undefined) params.friendlyName = ch.friendlyName;
      if (ch.trunkSid !== undefined) params.trunkSid = ch.trunkSid ?? '';
      return mapIncomingNumber(await call(`updating number ${sid}`, (c) => api.updateIncomingNumber(c, sid, params)));
    },

    async attachToTrunk(trunkSid: string, numberSid: string) {
      try {
        await call(`attaching ${numberSid} to trunk ${trunkSid}`, (c) => api.addTrunkNumber(c, trunkSid, numberSid));
      } catch (err) {
        // A retried attach whose first attempt landed answers "already associated with <this trunk>": done.
        if (err instanceof ProviderCallError && err.status === 409 && err.message.includes(trunkSid)) return;
        throw err;
      }
    },

    async detachFromTrunk(trunkSid: string, numberSid: string) {
      const track = { attempts: 0 };
      try {
        await call(`detaching ${numberSid} from trunk ${trunkSid}`, (c) => api.removeTrunkNumber(c, trunkSid, numberSid), { track });
        return true;
      } catch (err) {
        // A 404 after our own retry means an earlier attempt of this call did it.
        if (isNotFound(err)) return track.attempts > 1;
        throw err;
      }
    },

    async release(sid: string) {
      const track = { attempts: 0 };
      try {
        await call(`releasing number ${sid}`, (c) => api.removeIncomingNumber(c, sid), { track });
        return true;
      } catch (err) {
        if (isNotFound(err)) return track.attempts > 1;
        throw err;
      }
    },

    async fetchTrunk(sid: string) {
      let trunk: TrunkWire;
      try {
        trunk = await call(`fetching trunk ${sid}`, (c) => api.fetchTrunk(c, sid));
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      return trunkWithChildren(trunk, createLimiter(concurrency));
    },
  };
}
