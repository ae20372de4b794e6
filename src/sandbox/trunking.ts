import { makeSid } from './ids.js';
import type { Router } from './router.js';
import type { CredentialList, IncomingNumber, OriginationUrl, Trunk } from './state.js';
import { boolParam, requiredParam, type TwilioCtx } from './twilio-context.js';
import { twilioBadRequest, twilioError, twilioNotFound } from './twilio-errors.js';
import { listV1 } from './twilio-paging.js';
import { renderOriginationUrl, renderTrunk, renderTrunkCredentialList, renderTrunkNumber } from './twilio-render.js';
import { json, ReplyError } from './types.js';
import { sortedKeys } from './versioned-map.js';

const T = '/v1/Trunks/{TrunkSid}';
let created = 0;

export function registerTrunking(r: Router<TwilioCtx>): void {
  r.on('GET', '/v1/Trunks', (c) =>
    listV1<Trunk>({
      basePath: '/v1/Trunks',
      key: 'trunks',
      query: c.query,
      filters: [],
      keys: sortedKeys(c.tw.trunks),
      get: (k) => c.tw.trunks.get(k),
      render: (t) => renderTrunk(c.tw.accountSid, t),
    }),
  );
  r.on('GET', '/v1/Trunks/{Sid}', (c, p) => json(200, renderTrunk(c.tw.accountSid, mustTrunk(c, p.Sid))));

  r.on('GET', `${T}/PhoneNumbers`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    return listV1<IncomingNumber>({
      basePath: `/v1/Trunks/${t.sid}/PhoneNumbers`,
      key: 'phone_numbers',
      query: c.query,
      filters: [],
      keys: sortedKeys(c.tw.numbers),
      get: (k) => c.tw.numbers.get(k),
      accept: (n) => n.trunkSid === t.sid,
      render: (n) => renderTrunkNumber(c.tw.accountSid, n, t.sid),
    });
  });
  r.on('POST', `${T}/PhoneNumbers`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    const pn = requiredParam(c.form, 'PhoneNumberSid');
    const n = c.tw.numbers.get(pn);
    if (!n) throw twilioBadRequest(`PhoneNumberSid ${pn} is not a phone number of this account`);
    // Emulator choice (the vendor document is silent): attaching a number that is already on a trunk is a conflict,
    // so callers must detach first instead of relying on an implicit move.
    if (n.trunkSid !== null) {
      throw new ReplyError(twilioError(409, 21_220, `Phone number ${n.phoneNumber} is already associated with trunk ${n.trunkSid}`));
    }
    n.trunkSid = t.sid;
    n.voiceApplicationSid = '';
    n.dateUpdated = c.now;
    return json(201, renderTrunkNumber(c.tw.accountSid, n, t.sid));
  });
  r.on('GET', `${T}/PhoneNumbers/{Sid}`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    return json(200, renderTrunkNumber(c.tw.accountSid, mustTrunkNumber(c, t, p.Sid), t.sid));
  });
  r.on('DELETE', `${T}/PhoneNumbers/{Sid}`, (c, p) => {
    const n = mustTrunkNumber(c, mustTrunk(c, p.TrunkSid), p.Sid);
    n.trunkSid = null;
    n.dateUpdated = c.now;
    return { status: 204 };
  });

  r.on('GET', `${T}/OriginationUrls`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    return listV1<OriginationUrl>({
      basePath: `/v1/Trunks/${t.sid}/OriginationUrls`,
      key: 'origination_urls',
      query: c.query,
      filters: [],
      keys: sortedKeys(t.originationUrls),
      get: (k) => t.originationUrls.get(k),
      render: (o) => renderOriginationUrl(c.tw.accountSid, t.sid, o),
    });
  });
  r.on('POST', `${T}/OriginationUrls`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    const int = (name: string, min: number, max: number) => {
      const v = Number(requiredParam(c.form, name));
      if (!Number.isInteger(v) || v < min || v > max) throw twilioBadRequest(`${name} must be an integer between ${min} and ${max}`);
      return v;
    };
    const weight = int('Weight', 1, 65535);
    const priority = int('Priority', 0, 65535);
    requiredParam(c.form, 'Enabled');
    const enabled = boolParam(c.form, 'Enabled') ?? true;
    const friendlyName = requiredParam(c.form, 'FriendlyName');
    const sipUrl = requiredParam(c.form, 'SipUrl');
    if (!sipUrl.startsWith('sip:')) throw twilioBadRequest('SipUrl must be a sip: URI');
    const o: OriginationUrl = {
      sid: makeSid('OU', `created:${t.sid}:${sipUrl}:${++created}`),
      sipUrl, friendlyName, weight, priority, enabled, dateCreated: c.now, dateUpdated: c.now,
    };
    t.originationUrls.set(o.sid, o);
    return json(201, renderOriginationUrl(c.tw.accountSid, t.sid, o));
  });

  r.on('GET', `${T}/CredentialLists`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    return listV1<{ cl: CredentialList; attached: Date }>({
      basePath: `/v1/Trunks/${t.sid}/CredentialLists`,
      key: 'credential_lists',
      query: c.query,
      filters: [],
      keys: sortedKeys(t.credentialLists),
      get: (k) => {
        const cl = c.tw.credentialLists.get(k);
        const assoc = t.credentialLists.get(k);
        return cl && assoc ? { cl, attached: assoc.dateCreated } : undefined;
      },
      render: (a) => renderTrunkCredentialList(c.tw.accountSid, t.sid, a.cl, a.attached),
    });
  });
  r.on('POST', `${T}/CredentialLists`, (c, p) => {
    const t = mustTrunk(c, p.TrunkSid);
    const clSid = requiredParam(c.form, 'CredentialListSid');
    const cl = c.tw.credentialLists.get(clSid);
    if (!cl) throw twilioBadRequest(`CredentialListSid ${clSid} is not a credential list of this account`);
    if (t.credentialLists.has(clSid)) throw twilioBadRequest(`Credential list ${clSid} is already associated with trunk ${t.sid}`);
    t.credentialLists.set(clSid, { sid: clSid, dateCreated: c.now });
    return json(201, renderTrunkCredentialList(c.tw.accountSid, t.sid, cl, c.now));
  });
}

function mustTrunk(c: TwilioCtx, sid: string | undefined): Trunk {
  const t = sid === undefined ? undefined : c.tw.trunks.get(sid);
  if (!t) throw twilioNotFound(c.path);
  return t;
}

function mustTrunkNumber(c: TwilioCtx, t: Trunk, sid: string | undefined): IncomingNumber {
  const n = sid === undefined ? undefined : c.tw.numbers.get(sid);
  if (!n || n.trunkSid !== t.sid) throw twilioNotFound(c.path);
  return n;
}
