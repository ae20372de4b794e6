import { randomUUID } from 'node:crypto';
import type { Router } from './router.js';
import { json, type Reply } from './types.js';
import { badRequest, BodyReader, E164, notFound, UUID, type VapiCtx } from './vapi-context.js';
import { listPage, paginated } from './vapi-list.js';
import { renderVapiNumber } from './vapi-render.js';
import { VAPI_PROVIDERS, type VapiCredentialProvider, type VapiNumber, type VapiProvider } from './vapi-state.js';

const COMMON = ['provider', 'name', 'assistantId', 'squadId', 'workflowId', 'server', 'fallbackDestination', 'hooks'];
const CREATE_FIELDS: Record<VapiProvider, string[]> = {
  twilio: ['number', 'twilioAccountSid', 'twilioAuthToken', 'twilioApiKey', 'twilioApiSecret', 'smsEnabled'],
  'byo-phone-number': ['number', 'credentialId', 'numberE164CheckEnabled'],
  vonage: ['number', 'credentialId'],
  telnyx: ['number', 'credentialId'],
  vapi: ['numberDesiredAreaCode', 'sipUri', 'authentication'],
};
const allowed = (provider: VapiProvider) => new Set([...COMMON, ...CREATE_FIELDS[provider]]);
const CREDENTIAL_OF: Partial<Record<VapiProvider, VapiCredentialProvider>> = { 'byo-phone-number': 'byo-sip-trunk', vonage: 'vonage', telnyx: 'telnyx' };
const PROVIDER_MESSAGE = `provider must be one of the following values: ${VAPI_PROVIDERS.join(', ')}`;

export function registerVapiNumbers(r: Router<VapiCtx>): void {
  r.on('GET', '/phone-number', (c) => json(200, listPage(c, c.org.numbers).map((n) => renderVapiNumber(c.org, n))));
  r.on('GET', '/v2/phone-number', (c) => {
    const { items, metadata } = paginated(c, c.org.numbers, (n) => [n.name, n.number, n.sipUri].filter(Boolean).join(' '));
    return json(200, { results: items.map((n) => renderVapiNumber(c.org, n)), metadata });
  });
  r.on('GET', '/phone-number/{id}', (c, p) => json(200, renderVapiNumber(c.org, mustFind(c, p.id))));
  r.on('POST', '/phone-number', (c) => create(c));
  r.on('PATCH', '/phone-number/{id}', (c, p) => update(c, mustFind(c, p.id)));
  r.on('DELETE', '/phone-number/{id}', (c, p) => {
    const n = mustFind(c, p.id);
    c.org.numbers.delete(n.id);
    return json(200, renderVapiNumber(c.org, n));
  });
}

function mustFind(c: VapiCtx, id: string | undefined): VapiNumber {
  const n = id === undefined ? undefined : c.org.numbers.get(id);
  if (!n) throw notFound('Phone Number');
  return n;
}

function readProvider(c: VapiCtx): VapiProvider {
  const p = c.body.provider;
  if (typeof p !== 'string' || !(VAPI_PROVIDERS as readonly string[]).includes(p)) throw badRequest(PROVIDER_MESSAGE);
  return p as VapiProvider;
}

/** The fields every provider shares, validated into `r`; applied only once the whole body is valid. */
function readCommon(c: VapiCtx, r: BodyReader): () => void {
  const name = r.string('name', { nullable: true });
  const assistantId = r.string('assistantId', { nullable: true });
  const server = r.object('server');
  const serverUrl = server && 'url' in server ? server.url : undefined;
  if (serverUrl !== undefined && typeof serverUrl !== 'string') r.problems.push('server.url must be a string');
  if (typeof name === 'string' && name.length > 40) r.problems.push('name must be shorter than or equal to 40 characters');
  return () => {
    if (assistantId && !c.org.assistants.has(assistantId)) throw badRequest(`Couldn't Find Assistant ${assistantId}`);
    return undefined;
  };
}

function applyCommon(c: VapiCtx, n: VapiNumber): void {
  const b = c.body;
  if (b.name !== undefined) n.name = (b.name as string | null) ?? null;
  if (b.assistantId !== undefined) n.assistantId = (b.assistantId as string | null) ?? null;
  if (b.server !== undefined) n.serverUrl = ((b.server as { url?: string } | null)?.url as string | undefined) ?? null;
  n.updatedAt = c.now;
}

function requireCredential(c: VapiCtx, provider: VapiProvider, id: string | null | undefined): string | null {
  const kind = CREDENTIAL_OF[provider];
  if (!kind || id === undefined || id === null) return null;
  const cred = c.org.credentials.get(id);
  if (!cred || cred.provider !== kind) throw badRequest(`Couldn't Find ${kind} Credential ${id}`);
  return cred.id;
}

function create(c: VapiCtx): Reply {
  const provider = readProvider(c);
  const r = new BodyReader(c.body, allowed(provider));
  const checkRefs = readCommon(c, r);
  const e164Check = provider === 'byo-phone-number' ? (r.boolean('numberE164CheckEnabled') ?? true) : true;
  const number = provider === 'vapi' ? undefined : r.string('number', { required: provider !== 'byo-phone-number', ...(e164Check ? { pattern: E164, what: 'a valid phone number in the E.164 format' } : {}) });
  const credentialId = CREDENTIAL_OF[provider] ? r.string('credentialId', { required: true, pattern: UUID, what: 'a UUID' }) : undefined;
  const sid = provider === 'twilio' ? r.string('twilioAccountSid', { required: true }) : undefined;
  const token = provider === 'twilio' ? r.string('twilioAuthToken') : undefined;
  const apiKey = provider === 'twilio' ? r.string('twilioApiKey') : undefined;
  const apiSecret = provider === 'twilio' ? r.string('twilioApiSecret') : undefined;
  if (provider === 'twilio' && !token && !(apiKey && apiSecret)) r.problems.push('twilioAuthToken or twilioApiKey and twilioApiSecret must be provided');
  const sipUri = provider === 'vapi' ? r.string('sipUri', { pattern: /^sip:[^@\s]+@sip\.vapi\.ai$/i, what: 'a SIP URI such as sip:name@sip.vapi.ai' }) : undefined;
  const areaCode = provider === 'vapi' ? r.string('numberDesiredAreaCode', { pattern: /^[2-9]\d\d$/, what: 'a 3 digit area code' }) : undefined;
  r.done();
  checkRefs();
  const credential = requireCredential(c, provider, credentialId);
  if (provider === 'twilio') checkTwilio(c, number as string, sid as string, token ?? undefined, apiKey ?? undefined, apiSecret ?? undefined);
  const e164 = provider === 'vapi' ? (sipUri ? null : allocate(c, areaCode ?? '415')) : (number ?? null);
  if (e164 !== null && [...c.org.numbers.values()].some((x) => x.number === e164)) throw badRequest(`Existing phone number ${e164} found in this org`);
  const n: VapiNumber = {
    id: randomUUID(), provider, number: e164, name: null, assistantId: null, credentialId: credential,
    twilioAccountSid: sid ?? null,
    twilioSecret: provider === 'twilio' ? { ...(token ? { authToken: token } : {}), ...(apiKey ? { apiKey } : {}), ...(apiSecret ? { apiSecret } : {}) } : null,
    serverUrl: null, sipUri: sipUri ?? null, createdAt: c.now, updatedAt: c.now,
  };
  applyCommon(c, n);
  c.org.numbers.set(n.id, n);
  return json(201, renderVapiNumber(c.org, n));
}

/** Vapi checks a Twilio import against Twilio itself: the credentials must work and the account must hold the number. */
function checkTwilio(c: VapiCtx, number: string, sid: string, token?: string, apiKey?: string, apiSecret?: string): void {
  const tw = c.state.twilio;
  const ok = sid === tw.accountSid && (token !== undefined ? token === tw.authToken : apiKey !== undefined && tw.apiKeys.get(apiKey) === apiSecret);
  if (!ok) throw badRequest("Couldn't Import Twilio Number. Twilio Error: Authenticate");
  if (!tw.findByPhone(number)) throw badRequest(`Couldn't Import Twilio Number. Number ${number} Not Found In Twilio Account`);
}

/** A free Vapi number: +1 <area> 555 04xx, skipping the org's own. */
function allocate(c: VapiCtx, areaCode: string): string {
  const taken = new Set([...c.org.numbers.values()].map((n) => n.number));
  for (let i = 0; i < 100; i++) {
    const e164 = `+1${areaCode}55504${String(i).padStart(2, '0')}`;
    if (!taken.has(e164)) return e164;
  }
  throw badRequest(`No phone numbers available in area code ${areaCode}`);
}

function update(c: VapiCtx, n: VapiNumber): Reply {
  const provider = readProvider(c);
  if (provider !== n.provider) throw badRequest(`Phone number ${n.id} is a ${n.provider} number, not ${provider}`);
  const r = new BodyReader(c.body, allowed(provider));
  const checkRefs = readCommon(c, r);
  const number = provider === 'byo-phone-number' ? r.string('number', { pattern: E164, what: 'a valid phone number in the E.164 format' }) : undefined;
  const credentialId = CREDENTIAL_OF[provider] ? r.string('credentialId', { pattern: UUID, what: 'a UUID' }) : undefined;
  for (const key of ['twilioAuthToken', 'twilioApiKey', 'twilioApiSecret', 'twilioAccountSid', 'sipUri', 'numberDesiredAreaCode']) {
    if (key in c.body && !(provider === 'twilio' && key.startsWith('twilio'))) r.problems.push(`property ${key} cannot be changed`);
  }
  r.done();
  checkRefs();
  const credential = requireCredential(c, provider, credentialId);
  applyCommon(c, n);
  if (number) n.number = number;
  if (credential) n.credentialId = credential;
  return json(200, renderVapiNumber(c.org, n));
}
