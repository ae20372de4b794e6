import type { CarrierNumberSnapshot, CarrierSnapshot, TrunkSnapshot } from '../../core/snapshot.js';
import type { OnPage } from '../../ports/paging.js';
import type {
  Carrier,
  CarrierApiCredentials,
  CarrierTrunks,
  PurchaseOptions,
  SearchAvailableOptions,
  UpdateCarrierNumberOptions,
} from '../../ports/carrier.js';
import { deleted, isAmbiguous, isNotFound, ProviderCallError } from '../errors.js';
import { createLimiter, type Limiter } from '../limit.js';
import { resolveSettings } from '../settings.js';
import type { ProviderOptions } from '../types.js';
import * as api from './endpoints.js';
import { mapAvailableNumber, mapCredentialList, mapIncomingNumber, mapTrunk, sortBySid, sortNumbers, type TrunkWire } from './map.js';
import { createTwilioTransport, type TransportCredentials, type TwilioTransport } from './transport.js';

/** Credentials of one account of a carrier that speaks Twilio's API (Twilio itself, SignalWire's LaML). */
export type TwilioCompatibleCredentials = TransportCredentials & {
  /** Where the credentials come from, named in 401/403 messages. */
  hint: string;
};

export interface TwilioCompatibleCarrierParams {
  /** The carrier's registry name: its snapshot's `carrier`, error messages, retry info and request stats. */
  name: string;
  label: string;
  /** Elastic SIP Trunking (Twilio): without it no trunk request is ever made. */
  trunks: boolean;
  credentials: TwilioCompatibleCredentials;
  options: ProviderOptions;
}

/**
 * Creates a carrier over the twilio client; loads the twilio SDK (about 150 ms), so only call it when a
 * command needs the carrier. Twilio and SignalWire (its Twilio-compatible LaML API) are both this adapter.
 */
export async function createTwilioCompatibleCarrier(params: TwilioCompatibleCarrierParams): Promise<Carrier> {
  const { name, credentials } = params;
  const settings = resolveSettings({ ...params.options, credentialHint: credentials.hint });
  const { pageSize, concurrency } = settings;
  const transport = await createTwilioTransport(credentials, {
    name,
    timeoutMs: settings.timeoutMs,
    policy: settings.policy,
    stats: settings.stats,
    ...(settings.credentialHint ? { credentialHint: settings.credentialHint } : {}),
  });
  const { call } = transport;
  const named = (onPage?: OnPage): api.OnPage | undefined => onPage && ((info) => onPage({ provider: name, ...info }));

  async function findNumber(e164: string): Promise<CarrierNumberSnapshot | null> {
    const found = await call(`looking up ${e164}`, (c) => api.findIncomingNumbers(c, e164));
    const match = found.find((w) => w.phone_number === e164);
    return match ? mapIncomingNumber(match) : null;
  }

  const trunks = params.trunks ? createTrunks(transport, pageSize, concurrency) : undefined;

  const carrier: Carrier = {
    name,
    capabilities: { trunks: params.trunks },

    async fetchSnapshot(onPage?: OnPage): Promise<CarrierSnapshot> {
      const progress = named(onPage);
      const limit = createLimiter(concurrency);
      const numbers = limit(() => call('listing incoming phone numbers', (c) => api.listIncomingNumbers(c, pageSize, progress)));
      const trunkList = trunks ? trunks.listAll(limit, progress) : Promise.resolve([]);
      const credentialLists = trunks ? trunks.listCredentialLists(limit, progress) : Promise.resolve([]);
      // Settle all three before failing, so no request is left running unobserved.
      const [n, t, cl] = await Promise.allSettled([numbers, trunkList, credentialLists]);
      if (n.status === 'rejected') throw n.reason;
      if (t.status === 'rejected') throw t.reason;
      if (cl.status === 'rejected') throw cl.reason;
      return {
        carrier: name,
        numbers: sortNumbers(n.value.map(mapIncomingNumber)),
        trunks: sortBySid(t.value),
        credential_lists: sortBySid(cl.value),
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
      if (o.trunkSid !== undefined && !params.trunks) throw new Error(`${name} has no trunks: cannot buy ${o.phoneNumber} onto trunk ${o.trunkSid}`);
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

    async updateNumber(sid: string, ch: UpdateCarrierNumberOptions) {
      const update: api.UpdateParams = {};
      if (ch.voiceUrl !== undefined) update.voiceUrl = ch.voiceUrl ?? '';
      if (ch.smsUrl !== undefined) update.smsUrl = ch.smsUrl ?? '';
      if (ch.friendlyName !== undefined) update.friendlyName = ch.friendlyName;
      return mapIncomingNumber(await call(`updating number ${sid}`, (c) => api.updateIncomingNumber(c, sid, update)));
    },

    release: (sid: string) => deleted((track) => call(`releasing number ${sid}`, (c) => api.removeIncomingNumber(c, sid), { track })),

    apiCredentials(): CarrierApiCredentials {
      // An API key pair authenticates as SK…:secret; an auth token as the account SID itself.
      return credentials.username === credentials.accountSid
        ? { carrier: name, accountSid: credentials.accountSid, authToken: credentials.password }
        : { carrier: name, accountSid: credentials.accountSid, apiKey: credentials.username, apiSecret: credentials.password };
    },
  };
  if (trunks) return { ...carrier, trunks: trunks.port };
  return carrier;
}

interface Trunks {
  port: CarrierTrunks;
  listAll(limit: Limiter, onPage?: api.OnPage): Promise<TrunkSnapshot[]>;
  listCredentialLists(limit: Limiter, onPage?: api.OnPage): Promise<CarrierSnapshot['credential_lists']>;
}

/** Elastic SIP Trunking and SIP credential lists (Twilio only). */
function createTrunks(transport: TwilioTransport, pageSize: number, concurrency: number): Trunks {
  const { call } = transport;

  async function withChildren(trunk: TrunkWire, limit: Limiter, onPage?: api.OnPage): Promise<TrunkSnapshot> {
    const [phoneNumbers, originationUrls, credentialLists] = await Promise.all([
      limit(() => call(`listing phone numbers of trunk ${trunk.sid}`, (c) => api.listTrunkNumbers(c, trunk.sid, pageSize, onPage))),
      limit(() => call(`listing origination URLs of trunk ${trunk.sid}`, (c) => api.listOriginationUrls(c, trunk.sid, pageSize, onPage))),
      limit(() => call(`listing credential lists of trunk ${trunk.sid}`, (c) => api.listTrunkCredentialLists(c, trunk.sid, pageSize, onPage))),
    ]);
    return mapTrunk(trunk, { phoneNumbers, originationUrls, credentialLists });
  }

  return {
    async listAll(limit, onPage) {
      const list = await limit(() => call('listing trunks', (c) => api.listTrunks(c, pageSize, onPage)));
      return Promise.all(list.map((t) => withChildren(t, limit, onPage)));
    },

    async listCredentialLists(limit, onPage) {
      const lists = await limit(() => call('listing SIP credential lists', (c) => api.listCredentialLists(c, pageSize, onPage)));
      return Promise.all(
        lists.map(async (cl) =>
          mapCredentialList(cl, await limit(() => call(`listing credentials of credential list ${cl.sid}`, (c) => api.listCredentials(c, cl.sid, pageSize, onPage)))),
        ),
      );
    },

    port: {
      async fetchTrunk(sid: string) {
        let trunk: TrunkWire;
        try {
          trunk = await call(`fetching trunk ${sid}`, (c) => api.fetchTrunk(c, sid));
        } catch (err) {
          if (isNotFound(err)) return null;
          throw err;
        }
        return withChildren(trunk, createLimiter(concurrency));
      },

      async attach(trunkSid: string, numberSid: string) {
        try {
          await call(`attaching ${numberSid} to trunk ${trunkSid}`, (c) => api.addTrunkNumber(c, trunkSid, numberSid));
        } catch (err) {
          // A retried attach whose first attempt landed answers "already associated with <this trunk>": done.
          if (err instanceof ProviderCallError && err.status === 409 && err.message.includes(trunkSid)) return;
          throw err;
        }
      },

      detach: (trunkSid: string, numberSid: string) =>
        deleted((track) => call(`detaching ${numberSid} from trunk ${trunkSid}`, (c) => api.removeTrunkNumber(c, trunkSid, numberSid), { track })),
    },
  };
}
