import type { Retell } from 'retell-sdk';
import type { OnPage } from '../../ports/paging.js';
import type { RetellAgentWire, RetellNumberWire } from './map.js';
import type { RetellTransport } from './transport.js';

/*
 * Typed Retell endpoints. The v2 lists (GET /v2/list-phone-numbers, POST /v2/list-agents) return
 * {items, has_more, pagination_key}; the SDK has no auto-pagination, so the loop is here: each page is
 * one retried call, and the key received is passed back verbatim (its format is opaque).
 */

interface ListPage<W> { items: W[]; has_more: boolean; pagination_key?: string | undefined }

async function collect<W>(
  transport: RetellTransport,
  operation: string,
  what: string,
  fetchPage: (client: Retell, paginationKey: string | undefined) => Promise<ListPage<W>>,
  key: (item: W) => string,
  onPage?: OnPage,
): Promise<W[]> {
  const items: W[] = [];
  const seen = new Set<string>();
  let paginationKey: string | undefined;
  for (let page = 1; ; page++) {
    const res = await transport.call(page === 1 ? operation : `${operation} (page ${page})`, (c) => fetchPage(c, paginationKey));
    const batch = res.items ?? [];
    for (const item of batch) items.push(item);
    onPage?.({ provider: 'retell', what, page, items: batch.length, total: items.length });
    if (!res.has_more || batch.length === 0) break;
    // Fall back to the last item's key if a server says has_more without a key (the documented cursor is the last key).
    const next = res.pagination_key || key(batch[batch.length - 1]!);
    if (seen.has(next)) throw new Error(`retell: ${operation}: the server repeated pagination key ${next}`);
    seen.add(next);
    paginationKey = next;
  }
  return items;
}

export function listPhoneNumbers(transport: RetellTransport, limit: number, onPage?: OnPage, operation = 'listing phone numbers'): Promise<RetellNumberWire[]> {
  return collect<RetellNumberWire>(
    transport,
    operation,
    'phone numbers',
    (c, pagination_key) =>
      c.phoneNumber.list({ limit, ...(pagination_key ? { pagination_key } : {}) }) as unknown as Promise<ListPage<RetellNumberWire>>,
    (n) => n.phone_number,
    onPage,
  );
}

/** Voice agents: filtered server-side (filter_criteria.channel) and again here, in case a server ignores the filter. */
export function listVoiceAgents(transport: RetellTransport, limit: number, onPage?: OnPage, operation = 'listing agents'): Promise<RetellAgentWire[]> {
  return collect<RetellAgentWire>(
    transport,
    operation,
    'agents',
    (c, pagination_key) =>
      c.agent.list({
        limit,
        ...(pagination_key ? { pagination_key } : {}),
        filter_criteria: { channel: { type: 'string', op: 'eq', value: 'voice' } },
      }) as unknown as Promise<ListPage<RetellAgentWire>>,
    (a) => a.agent_id,
    onPage,
  );
}

export async function retrievePhoneNumber(client: Retell, e164: string): Promise<RetellNumberWire> {
  return (await client.phoneNumber.retrieve(e164)) as RetellNumberWire;
}

export async function importPhoneNumber(client: Retell, body: Retell.PhoneNumberImportParams): Promise<RetellNumberWire> {
  return (await client.phoneNumber.import(body)) as RetellNumberWire;
}

export async function updatePhoneNumber(client: Retell, e164: string, body: Retell.PhoneNumberUpdateParams): Promise<RetellNumberWire> {
  return (await client.phoneNumber.update(e164, body)) as RetellNumberWire;
}

export async function deletePhoneNumber(client: Retell, e164: string): Promise<void> {
  await client.phoneNumber.delete(e164);
}
