import { makeSid } from './ids.js';
import type { Router } from './router.js';
import type { CredentialList } from './state.js';
import { requiredParam, type TwilioCtx } from './twilio-context.js';
import { twilioBadRequest, twilioNotFound } from './twilio-errors.js';
import { list2010 } from './twilio-paging.js';
import { renderCredential, renderCredentialList } from './twilio-render.js';
import { json } from './types.js';
import { sortedKeys, VersionedMap } from './versioned-map.js';

const CL = '/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists';
let created = 0;

export function registerSip(r: Router<TwilioCtx>): void {
  r.on('GET', `${CL}.json`, (c) =>
    list2010<CredentialList>({
      basePath: `${c.account.path}/SIP/CredentialLists.json`,
      key: 'credential_lists',
      query: c.query,
      filters: [],
      keys: sortedKeys(c.tw.credentialLists),
      get: (k) => c.tw.credentialLists.get(k),
      render: (cl) => renderCredentialList(c.tw.accountSid, cl),
    }),
  );
  r.on('POST', `${CL}.json`, (c) => {
    const name = requiredParam(c.form, 'FriendlyName');
    if (name.length > 64) throw twilioBadRequest('FriendlyName must be at most 64 characters');
    const cl: CredentialList = {
      sid: makeSid('CL', `created:${name}:${++created}:${c.now.getTime()}`),
      friendlyName: name,
      credentials: new VersionedMap(),
      dateCreated: c.now,
      dateUpdated: c.now,
    };
    c.tw.credentialLists.set(cl.sid, cl);
    return json(201, renderCredentialList(c.tw.accountSid, cl));
  });
  r.on('GET', `${CL}/{Sid}.json`, (c, p) => json(200, renderCredentialList(c.tw.accountSid, mustFind(c, p.Sid))));
  r.on('GET', `${CL}/{CredentialListSid}/Credentials.json`, (c, p) => {
    const cl = mustFind(c, p.CredentialListSid);
    return list2010({
      basePath: `${c.account.path}/SIP/CredentialLists/${cl.sid}/Credentials.json`,
      key: 'credentials',
      query: c.query,
      filters: [],
      keys: sortedKeys(cl.credentials),
      get: (k) => cl.credentials.get(k),
      render: (cr) => renderCredential(c.tw.accountSid, cl.sid, cr),
    });
  });
  r.on('POST', `${CL}/{CredentialListSid}/Credentials.json`, (c, p) => {
    const cl = mustFind(c, p.CredentialListSid);
    const username = requiredParam(c.form, 'Username');
    const password = requiredParam(c.form, 'Password');
    if (username.length > 32) throw twilioBadRequest('Username must be at most 32 characters');
    // Twilio's documented password rule: at least 12 characters, a digit, upper and lower case.
    if (password.length < 12 || !/\d/.test(password) || !/[a-z]/.test(password) || !/[A-Z]/.test(password)) {
      throw twilioBadRequest('Password must be at least 12 characters long and contain a digit, an uppercase and a lowercase letter');
    }
    if ([...cl.credentials.values()].some((cr) => cr.username === username)) {
      throw twilioBadRequest(`Username ${username} already exists in credential list ${cl.sid}`);
    }
    const cr = { sid: makeSid('CR', `created:${cl.sid}:${username}:${++created}`), username, password, dateCreated: c.now, dateUpdated: c.now };
    cl.credentials.set(cr.sid, cr);
    return json(201, renderCredential(c.tw.accountSid, cl.sid, cr));
  });
  r.on('GET', `${CL}/{CredentialListSid}/Credentials/{Sid}.json`, (c, p) => {
    const cl = mustFind(c, p.CredentialListSid);
    const cr = p.Sid === undefined ? undefined : cl.credentials.get(p.Sid);
    if (!cr) throw twilioNotFound(c.path);
    return json(200, renderCredential(c.tw.accountSid, cl.sid, cr));
  });
}

function mustFind(c: TwilioCtx, sid: string | undefined): CredentialList {
  const cl = sid === undefined ? undefined : c.tw.credentialLists.get(sid);
  if (!cl) throw twilioNotFound(c.path);
  return cl;
}
