import { containsMatcher, findAvailable, searchAvailable, TOLL_FREE_PREFIXES, type AvailableNumber } from './available.js';
import { nationalFormat } from './phone-format.js';
import type { Router } from './router.js';
import { newIncomingNumber, type IncomingNumber, type NumberType } from './state.js';
import { sortedKeys } from './versioned-map.js';
import { boolParam, methodParam, phoneParam, type TwilioCtx } from './twilio-context.js';
import { twilioBadRequest, twilioNotFound } from './twilio-errors.js';
import { list2010 } from './twilio-paging.js';
import { renderAvailableNumber, renderIncomingNumber } from './twilio-render.js';
import { json, type Reply } from './types.js';

const A = '/2010-04-01/Accounts/{AccountSid}';
const TYPE_PATHS: [string, NumberType][] = [['Local', 'local'], ['TollFree', 'toll-free'], ['Mobile', 'mobile']];
let purchaseCounter = 0;

export function registerIncomingNumbers(r: Router<TwilioCtx>): void {
  for (const [segment, type] of TYPE_PATHS) {
    r.on('GET', `${A}/IncomingPhoneNumbers/${segment}.json`, (c) => listNumbers(c, `/IncomingPhoneNumbers/${segment}.json`, type));
    r.on('POST', `${A}/IncomingPhoneNumbers/${segment}.json`, (c) => purchase(c, type));
  }
  r.on('GET', `${A}/IncomingPhoneNumbers.json`, (c) => listNumbers(c, '/IncomingPhoneNumbers.json'));
  r.on('POST', `${A}/IncomingPhoneNumbers.json`, (c) => purchase(c));
  r.on('GET', `${A}/IncomingPhoneNumbers/{Sid}.json`, (c, p) => json(200, renderIncomingNumber(c.account, mustFind(c, p.Sid))));
  r.on('POST', `${A}/IncomingPhoneNumbers/{Sid}.json`, (c, p) => update(c, mustFind(c, p.Sid)));
  r.on('DELETE', `${A}/IncomingPhoneNumbers/{Sid}.json`, (c, p) => {
    // Releasing also detaches it from its trunk; Retell imports of the number are left alone, as in real life.
    c.tw.numbers.delete(mustFind(c, p.Sid).sid);
    return { status: 204 };
  });
  r.on('GET', `${A}/AvailablePhoneNumbers/{CountryCode}/Local.json`, (c, p) => search(c, p.CountryCode, 'local'));
  r.on('GET', `${A}/AvailablePhoneNumbers/{CountryCode}/TollFree.json`, (c, p) => search(c, p.CountryCode, 'toll-free'));
}

function mustFind(c: TwilioCtx, sid: string | undefined): IncomingNumber {
  const n = sid === undefined ? undefined : c.tw.numbers.get(sid);
  if (!n) throw twilioNotFound(c.path);
  return n;
}

function listNumbers(c: TwilioCtx, suffix: string, type?: NumberType): Reply {
  const q = c.query;
  const filters: [string, string][] = [];
  for (const name of ['FriendlyName', 'Beta', 'PhoneNumber', 'Origin']) {
    const v = name === 'PhoneNumber' ? phoneParam(q, name) : q.get(name);
    if (v !== null) filters.push([name, v]);
  }
  const friendly = q.get('FriendlyName');
  const origin = q.get('Origin');
  const phone = phoneParam(q, 'PhoneNumber');
  const phoneMatch = phone ? containsMatcher(phone.replace(/[^\d*+a-zA-Z]/g, '')) : undefined;
  if (phone && !phoneMatch) throw twilioBadRequest(`Invalid PhoneNumber filter: ${phone}`);
  return list2010<IncomingNumber>({
    basePath: `${c.account.path}${suffix}`,
    key: 'incoming_phone_numbers',
    query: q,
    filters,
    keys: sortedKeys(c.tw.numbers),
    get: (k) => c.tw.numbers.get(k),
    accept: (n) =>
      (type === undefined || n.type === type) &&
      (friendly === null || n.friendlyName === friendly) &&
      (origin === null || n.origin === origin) &&
      (phoneMatch === undefined || phoneMatch(n.phoneNumber)),
    render: (n) => renderIncomingNumber(c.account, n, type === undefined),
  });
}

function offerFor(c: TwilioCtx, type?: NumberType): AvailableNumber {
  const phone = phoneParam(c.form, 'PhoneNumber');
  const areaCode = c.form.get('AreaCode');
  if (phone) {
    if (!/^\+[1-9]\d{6,14}$/.test(phone)) throw twilioBadRequest(`The phone number ${phone} is invalid.`, 21421);
    const offer = findAvailable(c.tw, phone);
    if (!offer || (type !== undefined && type !== offer.type)) {
      throw twilioBadRequest(`Unable to create record: Phone number ${phone} is not available.`, 21422);
    }
    return offer;
  }
  if (areaCode) {
    if (!/^[2-9]\d\d$/.test(areaCode)) throw twilioBadRequest(`Unable to create record: AreaCode ${areaCode} is invalid.`, 21451);
    const npa = Number(areaCode);
    const kind = type === 'toll-free' || TOLL_FREE_PREFIXES.includes(npa) ? 'toll-free' : 'local';
    const [offer] = searchAvailable(c.tw, { country: 'US', kind, areaCode: npa, caps: {}, limit: 1 });
    if (!offer) throw twilioBadRequest(`Unable to create record: No phone numbers found in area code ${areaCode}.`, 21452);
    return offer;
  }
  throw twilioBadRequest('Unable to create record: A PhoneNumber or AreaCode is required.', 21421);
}

function purchase(c: TwilioCtx, type?: NumberType): Reply {
  if (type === 'mobile') throw twilioBadRequest('Unable to create record: No mobile numbers are for sale in the sandbox.', 21422);
  const offer = offerFor(c, type);
  const n = newIncomingNumber({
    sid: c.account.numberSid(`purchase:${offer.phoneNumber}:${++purchaseCounter}:${c.now.getTime()}`),
    phoneNumber: offer.phoneNumber,
    friendlyName: nationalFormat(offer.phoneNumber),
    capabilities: offer.capabilities,
    type: offer.type,
    origin: c.account.origin,
    dateCreated: c.now,
  });
  applyUpdate(c, n);
  c.tw.numbers.set(n.sid, n);
  return json(201, renderIncomingNumber(c.account, n, type === undefined));
}

function update(c: TwilioCtx, n: IncomingNumber): Reply {
  if (c.form.has('AccountSid') && c.form.get('AccountSid') !== c.tw.accountSid) {
    throw twilioBadRequest('Moving numbers between accounts is not emulated by the sandbox.');
  }
  applyUpdate(c, n);
  n.dateUpdated = c.now;
  return json(200, renderIncomingNumber(c.account, n));
}

/** Validates every field first, then applies them, so a rejected update changes nothing. */
function applyUpdate(c: TwilioCtx, n: IncomingNumber): void {
  const f = c.form;
  const friendly = f.get('FriendlyName');
  if (friendly !== null && friendly.length > 64) throw twilioBadRequest('FriendlyName must be at most 64 characters');
  const trunkSid = f.get('TrunkSid');
  if (trunkSid && !c.tw.trunks.has(trunkSid)) throw twilioBadRequest(`TrunkSid ${trunkSid} is not a trunk of this account`);
  const voiceMethod = methodParam(f, 'VoiceMethod');
  const voiceFallbackMethod = methodParam(f, 'VoiceFallbackMethod');
  const smsMethod = methodParam(f, 'SmsMethod');
  const smsFallbackMethod = methodParam(f, 'SmsFallbackMethod');
  const statusCallbackMethod = methodParam(f, 'StatusCallbackMethod');
  boolParam(f, 'VoiceCallerIdLookup');

  if (friendly !== null) n.friendlyName = friendly;
  if (f.has('VoiceUrl')) n.voiceUrl = f.get('VoiceUrl');
  if (f.has('VoiceFallbackUrl')) n.voiceFallbackUrl = f.get('VoiceFallbackUrl');
  if (f.has('SmsUrl')) n.smsUrl = f.get('SmsUrl') ?? '';
  if (f.has('SmsFallbackUrl')) n.smsFallbackUrl = f.get('SmsFallbackUrl') ?? '';
  if (f.has('StatusCallback')) n.statusCallback = f.get('StatusCallback') ?? '';
  if (f.has('SmsApplicationSid')) n.smsApplicationSid = f.get('SmsApplicationSid') ?? '';
  if (voiceMethod) n.voiceMethod = voiceMethod;
  if (voiceFallbackMethod) n.voiceFallbackMethod = voiceFallbackMethod;
  if (smsMethod) n.smsMethod = smsMethod;
  if (smsFallbackMethod) n.smsFallbackMethod = smsFallbackMethod;
  if (statusCallbackMethod) n.statusCallbackMethod = statusCallbackMethod;
  // Per the API docs, trunk_sid and voice_application_sid exclude each other: setting one clears the other.
  if (f.has('VoiceApplicationSid')) {
    n.voiceApplicationSid = f.get('VoiceApplicationSid') ?? '';
    if (n.voiceApplicationSid) n.trunkSid = null;
  }
  if (trunkSid !== null) {
    n.trunkSid = trunkSid === '' ? null : trunkSid;
    if (n.trunkSid) n.voiceApplicationSid = '';
  }
}

function search(c: TwilioCtx, country: string | undefined, kind: 'local' | 'toll-free'): Reply {
  const q = c.query;
  if (country !== 'US' && country !== 'CA') throw twilioNotFound(c.path);
  const areaCode = q.get('AreaCode');
  if (areaCode !== null && !/^\d{3}$/.test(areaCode)) throw twilioBadRequest(`Invalid AreaCode: ${areaCode}`, 21451);
  const contains = q.get('Contains');
  if (contains !== null && !containsMatcher(contains)) throw twilioBadRequest(`Invalid Contains pattern: ${contains}`);
  const rawSize = q.get('PageSize');
  const size = rawSize === null ? 50 : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw twilioBadRequest(`Invalid PageSize: ${rawSize}. PageSize must be an integer between 1 and 1000`);
  const found = searchAvailable(c.tw, {
    country,
    kind,
    ...(areaCode !== null ? { areaCode: Number(areaCode) } : {}),
    ...(contains !== null ? { contains } : {}),
    caps: { voice: boolParam(q, 'VoiceEnabled'), sms: boolParam(q, 'SmsEnabled'), mms: boolParam(q, 'MmsEnabled'), fax: boolParam(q, 'FaxEnabled') },
    ...(q.get('InRegion') ? { inRegion: q.get('InRegion') as string } : {}),
    ...(q.get('InLocality') ? { inLocality: q.get('InLocality') as string } : {}),
    ...(q.get('InPostalCode') ? { inPostalCode: q.get('InPostalCode') as string } : {}),
    limit: size,
  });
  const echo = new URLSearchParams();
  for (const [k, v] of q) if (k !== 'Page' && k !== 'PageToken') echo.append(k, v);
  const uri = `${c.account.path}/AvailablePhoneNumbers/${country}/${kind === 'local' ? 'Local' : 'TollFree'}.json?${echo.toString()}`;
  return json(200, {
    available_phone_numbers: found.map(renderAvailableNumber),
    end: Math.max(0, found.length - 1),
    first_page_uri: uri,
    next_page_uri: null,
    page: 0,
    page_size: size,
    previous_page_uri: null,
    start: 0,
    uri,
  });
}
