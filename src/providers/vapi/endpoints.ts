import type { PhoneNumbersClient } from '@vapi-ai/server-sdk/phoneNumbers';
import type { OnPage } from '../../ports/paging.js';
import { ProviderCallError } from '../errors.js';
import type { VapiAssistantWire, VapiCredentialWire, VapiNumberWire } from './map.js';
import type { VapiClients, VapiTransport } from './transport.js';

/*
 * Typed Vapi endpoints. Vapi's lists are plain arrays with `limit` (at most 1000) and createdAt/updatedAt
 * bounds, newest first, and no cursor. Each next page asks for createdAtLe = the oldest createdAt seen,
 * not createdAtLt: items sharing that instant with the page's last one would otherwise be skipped. The
 * overlap is dropped by id; a short page ends the list. Requests grow with pages, not items.
 */

type Wire = VapiNumberWire | VapiAssistantWire | VapiCredentialWire;
type ListKind = 'numbers' | 'assistants' | 'credentials';

interface Stamped { id: string; createdAt: string }

export async function listAll<W extends Wire>(
  transport: VapiTransport,
  kind: ListKind,
  limit: number,
  what: string,
  operation: string,
  onPage?: OnPage,
): Promise<W[]> {
  const seen = new Map<string, W>();
  let boundary: string | undefined;
  for (let page = 1; ; page++) {
    const batch = await transport.call(page === 1 ? operation : `${operation} (page ${page})`, async (c) => {
      const res = await c[kind].list({ limit, ...(boundary !== undefined ? { createdAtLe: boundary } : {}) });
      return res as unknown as W[];
    });
    let fresh = 0;
    for (const item of batch) {
      if (!seen.has(item.id)) {
        seen.set(item.id, item);
        fresh++;
      }
    }
    onPage?.({ provider: 'vapi', what, page, items: fresh, total: seen.size });
    if (batch.length < limit) break;
    if (fresh === 0) {
      throw new ProviderCallError('vapi', operation, `vapi: ${operation} failed: more than ${limit} ${what} share createdAt ${boundary ?? '?'}, so the list cannot be paged by date (raise the page size)`, {});
    }
    boundary = oldest(batch as Stamped[]);
  }
  return [...seen.values()];
}

function oldest(batch: Stamped[]): string {
  let min = batch[0] as Stamped;
  for (const item of batch) if (Date.parse(item.createdAt) < Date.parse(min.createdAt)) min = item;
  return min.createdAt;
}

type CreateBody = Parameters<PhoneNumbersClient['create']>[0];
type UpdateBody = Parameters<PhoneNumbersClient['update']>[0]['body'];

export async function getPhoneNumber(c: VapiClients, id: string): Promise<VapiNumberWire> {
  return (await c.numbers.get({ id })) as unknown as VapiNumberWire;
}

export async function createPhoneNumber(c: VapiClients, body: CreateBody): Promise<VapiNumberWire> {
  return (await c.numbers.create(body)) as unknown as VapiNumberWire;
}

/** `assistantId: null` unbinds: Vapi takes null although the SDK's generated type only says string. */
export async function updatePhoneNumber(c: VapiClients, id: string, body: Record<string, unknown> & { provider: string }): Promise<VapiNumberWire> {
  return (await c.numbers.update({ id, body: body as unknown as UpdateBody })) as unknown as VapiNumberWire;
}

export async function deletePhoneNumber(c: VapiClients, id: string): Promise<void> {
  await c.numbers.delete({ id });
}

export async function getCredential(c: VapiClients, id: string): Promise<VapiCredentialWire> {
  return (await c.credentials.get({ id })) as unknown as VapiCredentialWire;
}

export interface SipTrunkCredentialBody {
  provider: 'byo-sip-trunk';
  name: string;
  gateways: { ip: string; port?: number }[];
  outboundAuthenticationPlan?: { authUsername: string; authPassword?: string };
}

/** POST /credential through the re-pointed client (its create sends any JSON body). */
export async function createSipTrunkCredential(c: VapiClients, body: SipTrunkCredentialBody): Promise<VapiCredentialWire> {
  return (await c.credentials.create(body as unknown as CreateBody)) as unknown as VapiCredentialWire;
}
