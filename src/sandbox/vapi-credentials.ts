import { randomUUID } from 'node:crypto';
import type { Router } from './router.js';
import { json, type Reply } from './types.js';
import { badRequest, BodyReader, notFound, type VapiCtx } from './vapi-context.js';
import { listPage } from './vapi-list.js';
import { renderVapiAssistant, renderVapiCredential } from './vapi-render.js';
import type { VapiCredential, VapiGateway } from './vapi-state.js';

const CREDENTIAL_FIELDS = new Set(['provider', 'name', 'gateways', 'outboundAuthenticationPlan', 'outboundLeadingPlusEnabled', 'techPrefix', 'sipDiversionHeader']);
const GATEWAY_FIELDS = new Set(['ip', 'port', 'netmask', 'inboundEnabled', 'outboundEnabled', 'outboundProtocol', 'optionsPingEnabled']);

/** Assistants (list and get) and credentials (list, get, create: byo-sip-trunk only). */
export function registerVapiDirectory(r: Router<VapiCtx>): void {
  r.on('GET', '/assistant', (c) => json(200, listPage(c, c.org.assistants).map((a) => renderVapiAssistant(c.org, a))));
  r.on('GET', '/assistant/{id}', (c, p) => {
    const a = p.id === undefined ? undefined : c.org.assistants.get(p.id);
    if (!a) throw notFound('Assistant');
    return json(200, renderVapiAssistant(c.org, a));
  });
  r.on('GET', '/credential', (c) => json(200, listPage(c, c.org.credentials).map((x) => renderVapiCredential(c.org, x))));
  r.on('GET', '/credential/{id}', (c, p) => {
    const x = p.id === undefined ? undefined : c.org.credentials.get(p.id);
    if (!x) throw notFound('Credential');
    return json(200, renderVapiCredential(c.org, x));
  });
  r.on('POST', '/credential', (c) => createSipTrunk(c));
}

function readGateways(value: unknown, problems: string[]): VapiGateway[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('gateways must contain at least 1 elements');
    return [];
  }
  return value.map((g, i) => {
    if (typeof g !== 'object' || g === null) {
      problems.push(`gateways.${i} must be an object`);
      return { ip: '' };
    }
    const o = g as Record<string, unknown>;
    for (const key of Object.keys(o)) if (!GATEWAY_FIELDS.has(key)) problems.push(`gateways.${i}.property ${key} should not exist`);
    if (typeof o.ip !== 'string' || o.ip === '') problems.push(`gateways.${i}.ip must be a string`);
    if (o.port !== undefined && (typeof o.port !== 'number' || !Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) problems.push(`gateways.${i}.port must not be greater than 65535`);
    return {
      ip: typeof o.ip === 'string' ? o.ip : '',
      ...(typeof o.port === 'number' ? { port: o.port } : {}),
      ...(typeof o.inboundEnabled === 'boolean' ? { inboundEnabled: o.inboundEnabled } : {}),
      ...(typeof o.outboundEnabled === 'boolean' ? { outboundEnabled: o.outboundEnabled } : {}),
    };
  });
}

function createSipTrunk(c: VapiCtx): Reply {
  if (c.body.provider !== 'byo-sip-trunk') throw badRequest('provider must be byo-sip-trunk (the sandbox creates SIP trunk credentials only)');
  const r = new BodyReader(c.body, CREDENTIAL_FIELDS);
  const name = r.string('name');
  const gateways = readGateways(c.body.gateways, r.problems);
  const plan = r.object('outboundAuthenticationPlan');
  const username = plan?.authUsername;
  const password = plan?.authPassword;
  if (username !== undefined && typeof username !== 'string') r.problems.push('outboundAuthenticationPlan.authUsername must be a string');
  if (password !== undefined && typeof password !== 'string') r.problems.push('outboundAuthenticationPlan.authPassword must be a string');
  r.done();
  const cred: VapiCredential = {
    id: randomUUID(), provider: 'byo-sip-trunk', name: name ?? null, gateways,
    authUsername: typeof username === 'string' ? username : null, authPassword: typeof password === 'string' ? password : null,
    createdAt: c.now, updatedAt: c.now,
  };
  c.org.credentials.set(cred.id, cred);
  return json(201, renderVapiCredential(c.org, cred));
}
