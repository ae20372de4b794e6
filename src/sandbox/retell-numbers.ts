import { readAgentList } from './retell-agent-refs.js';
import {
  badRequest, missing, optBoolean, optCountries, optString, optTransport, type RetellCtx,
} from './retell-context.js';
import { renderRetellNumber } from './retell-render.js';
import { readCursor } from './retell-paging.js';
import type { Router } from './router.js';
import type { RetellNumber } from './state.js';
import { json, type Reply } from './types.js';
import { sortedKeys } from './versioned-map.js';

const E164 = /^\+[1-9]\d{6,14}$/;

export function registerRetellNumbers(r: Router<RetellCtx>): void {
  r.on('GET', '/v2/list-phone-numbers', (c) => {
    const { page, has_more, pagination_key } = readCursor(c, sortedKeys(c.ws.numbers), (k) => c.ws.numbers.get(k));
    return json(200, { items: page.map(renderRetellNumber), has_more, ...(pagination_key ? { pagination_key } : {}) });
  });
  r.on('GET', '/get-phone-number/{phone_number}', (c, p) => json(200, renderRetellNumber(mustFind(c, p.phone_number))));
  r.on('POST', '/import-phone-number', (c) => importNumber(c));
  r.on('POST', '/create-phone-number', (c) => buyNumber(c));
  r.on('PATCH', '/update-phone-number/{phone_number}', (c, p) => update(c, mustFind(c, p.phone_number)));
  r.on('DELETE', '/delete-phone-number/{phone_number}', (c, p) => {
    c.ws.numbers.delete(mustFind(c, p.phone_number).phoneNumber);
    return { status: 204 };
  });
}

function mustFind(c: RetellCtx, phone: string | undefined): RetellNumber {
  const n = phone === undefined ? undefined : c.ws.numbers.get(phone);
  if (!n) throw missing(c, `phone number ${phone ?? ''}`);
  return n;
}

function blank(phoneNumber: string, type: RetellNumber['type'], now: number): RetellNumber {
  return {
    phoneNumber, type, nickname: null,
    inboundAgents: null, outboundAgents: null, inboundSmsAgents: null, outboundSmsAgents: null,
    inboundWebhookUrl: null, inboundSmsWebhookUrl: null,
    allowedInboundCountries: null, allowedOutboundCountries: null, fallbackNumber: null,
    sip: null, legacyAgentFields: false, lastModification: now,
  };
}

/** Fields shared by import, create and update. Validates everything before touching `n`. */
function applyCommon(c: RetellCtx, n: RetellNumber): void {
  const b = c.body;
  const lists = {
    inbound: readAgentList(c.ws, b, 'inbound_agents'),
    outbound: readAgentList(c.ws, b, 'outbound_agents'),
    inboundSms: readAgentList(c.ws, b, 'inbound_sms_agents'),
    outboundSms: readAgentList(c.ws, b, 'outbound_sms_agents'),
  };
  const nickname = optString(b, 'nickname', true);
  const webhook = optString(b, 'inbound_webhook_url', true);
  const smsWebhook = optString(b, 'inbound_sms_webhook_url', true);
  const fallback = optString(b, 'fallback_number', true);
  if (fallback && !E164.test(fallback)) throw badRequest('fallback_number must be an E.164 number');
  const allowedIn = optCountries(b, 'allowed_inbound_country_list');
  const allowedOut = optCountries(b, 'allowed_outbound_country_list');

  if (lists.inbound !== undefined) n.inboundAgents = lists.inbound;
  if (lists.outbound !== undefined) n.outboundAgents = lists.outbound;
  // Once a client writes the weighted lists, the number is served in the current shape.
  if (lists.inbound !== undefined || lists.outbound !== undefined) n.legacyAgentFields = false;
  if (lists.inboundSms !== undefined) n.inboundSmsAgents = lists.inboundSms;
  if (lists.outboundSms !== undefined) n.outboundSmsAgents = lists.outboundSms;
  if (nickname !== undefined) n.nickname = nickname;
  if (webhook !== undefined) n.inboundWebhookUrl = webhook;
  if (smsWebhook !== undefined) n.inboundSmsWebhookUrl = smsWebhook;
  if (fallback !== undefined) n.fallbackNumber = fallback;
  if (allowedIn !== undefined) n.allowedInboundCountries = allowedIn;
  if (allowedOut !== undefined) n.allowedOutboundCountries = allowedOut;
  n.lastModification = c.now;
}

function importNumber(c: RetellCtx): Reply {
  const b = c.body;
  const phone = optString(b, 'phone_number');
  const terminationUri = optString(b, 'termination_uri');
  if (!phone) throw badRequest('phone_number is required');
  if (!terminationUri) throw badRequest('termination_uri is required');
  // ignore_e164_validation defaults to true when omitted (vendor document).
  if (optBoolean(b, 'ignore_e164_validation') === false && !E164.test(phone)) throw badRequest(`${phone} is not a valid E.164 number`);
  if (c.ws.numbers.has(phone)) throw badRequest(`Phone number ${phone} already exists in this workspace`);
  const username = optString(b, 'sip_trunk_auth_username');
  const password = optString(b, 'sip_trunk_auth_password');
  const n = blank(phone, 'custom', c.now);
  n.sip = { terminationUri, authUsername: username ?? null, authPassword: password ?? null, transport: optTransport(b) ?? 'TCP' };
  applyCommon(c, n);
  c.ws.numbers.set(n.phoneNumber, n);
  return json(201, renderRetellNumber(n));
}

function buyNumber(c: RetellCtx): Reply {
  const b = c.body;
  const provider = optString(b, 'number_provider') ?? 'twilio';
  if (provider !== 'twilio' && provider !== 'telnyx') throw badRequest('number_provider must be twilio or telnyx');
  const country = optString(b, 'country_code') ?? 'US';
  if (country !== 'US' && country !== 'CA') throw badRequest('country_code must be US or CA');
  const tollFree = optBoolean(b, 'toll_free') ?? false;
  const areaCode = b.area_code;
  if (areaCode !== undefined && (typeof areaCode !== 'number' || !Number.isInteger(areaCode) || areaCode < 200 || areaCode > 999)) {
    throw badRequest('area_code must be a 3 digit integer');
  }
  let phone = optString(b, 'phone_number');
  if (phone !== undefined && phone !== null) {
    if (!E164.test(phone)) throw badRequest(`${phone} is not a valid E.164 number`);
    if (c.ws.numbers.has(phone)) throw badRequest(`Phone number ${phone} already exists in this workspace`);
  } else {
    const prefix = tollFree ? 888 : ((areaCode as number | undefined) ?? (country === 'CA' ? 416 : 415));
    phone = pickFree(c, prefix);
    if (!phone) throw badRequest(`No phone numbers available in area code ${prefix}`);
  }
  const n = blank(phone, provider === 'twilio' ? 'retell-twilio' : 'retell-telnyx', c.now);
  applyCommon(c, n);
  c.ws.numbers.set(n.phoneNumber, n);
  return json(201, renderRetellNumber(n));
}

/** Deterministic pick: +1 <prefix> 555 9xxx first, skipping numbers this workspace or the Twilio account hold. */
function pickFree(c: RetellCtx, prefix: number): string | undefined {
  for (let i = 0; i < 9900; i++) {
    const x = ((9000 + i - 100) % 9900) + 100;
    const e164 = `+1${prefix}555${String(x).padStart(4, '0')}`;
    if (!c.ws.numbers.has(e164) && !c.state.twilio.findByPhone(e164)) return e164;
  }
  return undefined;
}

function update(c: RetellCtx, n: RetellNumber): Reply {
  const b = c.body;
  const terminationUri = optString(b, 'termination_uri');
  const username = optString(b, 'auth_username');
  const password = optString(b, 'auth_password');
  const transport = optTransport(b);
  const touchesSip = [terminationUri, username, password, transport].some((v) => v !== undefined);
  if (touchesSip && n.type !== 'custom') throw badRequest('SIP trunk settings can only be changed on imported (custom) numbers');
  if (terminationUri === '') throw badRequest('termination_uri must not be empty');
  applyCommon(c, n);
  if (touchesSip && n.sip) {
    if (terminationUri !== undefined && terminationUri !== null) n.sip.terminationUri = terminationUri;
    if (username !== undefined) n.sip.authUsername = username;
    if (password !== undefined) n.sip.authPassword = password;
    if (transport !== undefined) n.sip.transport = transport;
  }
  return json(200, renderRetellNumber(n));
}
