import type { Twilio } from 'twilio';
import type { PageInfo } from '../../ports/paging.js';
import {
  instanceToWire,
  type AvailableNumberWire,
  type CredentialWire,
  type IncomingNumberWire,
  type OriginationUrlWire,
  type SidWire,
  type TrunkNumberWire,
  type TrunkWire,
} from './map.js';

/*
 * Typed Twilio endpoints: one function per SDK call, returning wire JSON (snake_case). Lists are read page
 * by page (`page()` + `nextPage()`), taking the raw items of each page the way the SDK itself does
 * (`loadPage(_payload)`), so the mapping layer sees exactly what Twilio sent.
 */

/** Page progress without the adapter's name: one client serves several carriers (twilio, signalwire), the carrier adds it. */
export type OnPage = (info: Omit<PageInfo, 'provider'>) => void;

/** The part of twilio's Page used here. */
interface PageLike {
  _payload: unknown;
  nextPageUrl?: string;
  loadPage(payload: never): unknown[];
  nextPage(): Promise<PageLike> | undefined;
}

export async function collectPages<W>(first: Promise<PageLike>, what: string, onPage?: OnPage): Promise<W[]> {
  const items: W[] = [];
  const seen = new Set<string>();
  let page: PageLike | undefined = await first;
  for (let n = 1; page; n++) {
    const batch = page.loadPage(page._payload as never) as W[];
    for (const item of batch) items.push(item);
    onPage?.({ what, page: n, items: batch.length, total: items.length });
    const next = page.nextPageUrl;
    if (!next) break;
    // A server repeating a page link would otherwise loop forever.
    if (seen.has(next)) throw new Error(`pagination loop: ${new URL(next).pathname} returned the same next page twice`);
    seen.add(next);
    page = await page.nextPage();
  }
  return items;
}

export function listIncomingNumbers(client: Twilio, pageSize: number, onPage?: OnPage) {
  return collectPages<IncomingNumberWire>(client.incomingPhoneNumbers.page({ pageSize }), 'incoming phone numbers', onPage);
}

/** The list filtered by `PhoneNumber`: one request, usually 0 or 1 items. */
export function findIncomingNumbers(client: Twilio, e164: string) {
  return collectPages<IncomingNumberWire>(client.incomingPhoneNumbers.page({ phoneNumber: e164, pageSize: 50 }), `incoming phone number ${e164}`);
}

export function listTrunks(client: Twilio, pageSize: number, onPage?: OnPage) {
  return collectPages<TrunkWire>(client.trunking.v1.trunks.page({ pageSize }), 'trunks', onPage);
}

export async function fetchTrunk(client: Twilio, sid: string): Promise<TrunkWire> {
  return instanceToWire(await client.trunking.v1.trunks(sid).fetch()) as unknown as TrunkWire;
}

export function listTrunkNumbers(client: Twilio, trunkSid: string, pageSize: number, onPage?: OnPage) {
  return collectPages<TrunkNumberWire>(client.trunking.v1.trunks(trunkSid).phoneNumbers.page({ pageSize }), `trunk ${trunkSid} phone numbers`, onPage);
}

export function listOriginationUrls(client: Twilio, trunkSid: string, pageSize: number, onPage?: OnPage) {
  return collectPages<OriginationUrlWire>(client.trunking.v1.trunks(trunkSid).originationUrls.page({ pageSize }), `trunk ${trunkSid} origination URLs`, onPage);
}

/** The SDK spells this accessor `credentialsLists` (extra "s"); the URL is /CredentialLists. */
export function listTrunkCredentialLists(client: Twilio, trunkSid: string, pageSize: number, onPage?: OnPage) {
  return collectPages<SidWire>(client.trunking.v1.trunks(trunkSid).credentialsLists.page({ pageSize }), `trunk ${trunkSid} credential lists`, onPage);
}

export function listCredentialLists(client: Twilio, pageSize: number, onPage?: OnPage) {
  return collectPages<SidWire>(client.sip.credentialLists.page({ pageSize }), 'SIP credential lists', onPage);
}

export function listCredentials(client: Twilio, credentialListSid: string, pageSize: number, onPage?: OnPage) {
  return collectPages<CredentialWire>(client.sip.credentialLists(credentialListSid).credentials.page({ pageSize }), `credential list ${credentialListSid} credentials`, onPage);
}

export interface AvailableQuery { country: string; areaCode?: number; contains?: string; tollFree: boolean; limit: number }

/** One page of numbers for sale (PageSize = limit, at most 1000). */
export async function searchAvailable(client: Twilio, q: AvailableQuery): Promise<AvailableNumberWire[]> {
  const country = client.availablePhoneNumbers(q.country.toUpperCase());
  const params = {
    voiceEnabled: true,
    pageSize: Math.min(Math.max(1, q.limit), 1000),
    ...(q.areaCode !== undefined ? { areaCode: q.areaCode } : {}),
    ...(q.contains !== undefined ? { contains: q.contains } : {}),
  };
  const page = q.tollFree ? await country.tollFree.page(params) : await country.local.page(params);
  return (page.loadPage(page._payload) as unknown as AvailableNumberWire[]).slice(0, q.limit);
}

export interface PurchaseParams { phoneNumber: string; friendlyName?: string; trunkSid?: string; voiceUrl?: string; smsUrl?: string }

export async function createIncomingNumber(client: Twilio, p: PurchaseParams): Promise<IncomingNumberWire> {
  return instanceToWire(await client.incomingPhoneNumbers.create(p)) as unknown as IncomingNumberWire;
}

export interface UpdateParams { voiceUrl?: string; smsUrl?: string; friendlyName?: string }

export async function updateIncomingNumber(client: Twilio, sid: string, p: UpdateParams): Promise<IncomingNumberWire> {
  return instanceToWire(await client.incomingPhoneNumbers(sid).update(p)) as unknown as IncomingNumberWire;
}

export async function removeIncomingNumber(client: Twilio, sid: string): Promise<void> {
  await client.incomingPhoneNumbers(sid).remove();
}

export async function addTrunkNumber(client: Twilio, trunkSid: string, phoneNumberSid: string): Promise<void> {
  await client.trunking.v1.trunks(trunkSid).phoneNumbers.create({ phoneNumberSid });
}

export async function removeTrunkNumber(client: Twilio, trunkSid: string, phoneNumberSid: string): Promise<void> {
  await client.trunking.v1.trunks(trunkSid).phoneNumbers(phoneNumberSid).remove();
}
