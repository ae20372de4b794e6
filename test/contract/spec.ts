/**
 * Contract helpers: the trimmed vendor documents (test/contract/vendor, made by
 * scripts/trim-vendor-specs.mjs) turned into JSON Schema for ajv, plus lookups from an emulator
 * request (method + path) to the vendor operation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { RequestLogEntry } from '../../src/sandbox/index.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
export type DocName = 'twilio_api_v2010' | 'twilio_trunking_v1' | 'retell';

const here = path.dirname(fileURLToPath(import.meta.url));
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function load(name: DocName): JsonObject {
  return JSON.parse(readFileSync(path.join(here, 'vendor', `${name}.trimmed.json`), 'utf8')) as JsonObject;
}

/** OpenAPI 3.0 schema → JSON Schema: `nullable` becomes a null type (and a null enum member), refs point at definitions. */
export function toJsonSchema(node: Json, docId: string): Json {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, docId));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'deprecated' || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', `${docId}#/definitions/`);
    else if (k === 'properties' && isObject(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s, docId)]));
    else if (['items', 'allOf', 'oneOf', 'anyOf'].includes(k) || (k === 'additionalProperties' && isObject(v))) out[k] = toJsonSchema(v, docId);
    else out[k] = v;
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [{ type: 'null' }, out] };
    }
  }
  return out;
}

/*
 * Known differences between the vendor documents and the live wire format, which the emulator
 * follows (sdk-notes §2.4): AvailablePhoneNumbers capabilities use uppercase MMS/SMS keys and the
 * coordinates are strings. Each patch is listed here so it stays visible.
 */
export const KNOWN_DEVIATIONS = [
  'AvailablePhoneNumber.capabilities: live keys are MMS/SMS (uppercase) + voice; the document says mms/sms/voice/fax',
  'AvailablePhoneNumber.latitude/longitude: strings on the wire; the document says number',
];
function patchDeviations(docs: Record<DocName, JsonObject>): void {
  const schemas = (docs.twilio_api_v2010.components as JsonObject).schemas as JsonObject;
  for (const name of Object.keys(schemas).filter((n) => n.includes('available_phone_number_'))) {
    const props = (schemas[name] as JsonObject).properties as JsonObject;
    const caps = props.capabilities as JsonObject;
    caps.properties = { ...(caps.properties as JsonObject), MMS: { type: 'boolean' }, SMS: { type: 'boolean' } };
    props.latitude = { type: 'string', nullable: true };
    props.longitude = { type: 'string', nullable: true };
  }
}

export const docs: Record<DocName, JsonObject> = {
  twilio_api_v2010: load('twilio_api_v2010'),
  twilio_trunking_v1: load('twilio_trunking_v1'),
  retell: load('retell'),
};
const rawDocs: Record<DocName, JsonObject> = {
  twilio_api_v2010: load('twilio_api_v2010'),
  twilio_trunking_v1: load('twilio_trunking_v1'),
  retell: load('retell'),
};
patchDeviations(docs);

const ajv = new Ajv({ strict: false, allErrors: true });
const definitions: Record<DocName, JsonObject> = {} as Record<DocName, JsonObject>;
for (const name of Object.keys(docs) as DocName[]) {
  const schemas = ((docs[name].components as JsonObject).schemas ?? {}) as JsonObject;
  definitions[name] = Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, toJsonSchema(v, name)]));
  ajv.addSchema({ $id: name, definitions: definitions[name] });
}

export interface Operation { doc: DocName; template: string; method: string; op: JsonObject }

function templateRegex(t: string): RegExp {
  return new RegExp(`^${t.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('([^/]+)')}$`);
}

/** The vendor operation for an emulator path (/twilio/... or /retell/...); literal segments win over parameters. */
export function findOperation(method: string, fullPath: string): Operation | undefined {
  const m = /^\/(twilio|retell)(\/.*)$/.exec(fullPath);
  if (!m) return undefined;
  const p = m[2] as string;
  const names: DocName[] = m[1] === 'retell' ? ['retell'] : p.startsWith('/v1/') ? ['twilio_trunking_v1'] : ['twilio_api_v2010'];
  const candidates: Operation[] = [];
  for (const doc of names) {
    for (const [template, item] of Object.entries(docs[doc].paths as JsonObject)) {
      const op = (item as JsonObject)[method.toLowerCase()];
      if (isObject(op) && templateRegex(template).test(p)) candidates.push({ doc, template, method, op });
    }
  }
  candidates.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  return candidates[0];
}

const compiled = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: Json, doc: DocName): ValidateFunction {
  const hit = compiled.get(key);
  if (hit) return hit;
  const v = ajv.compile(toJsonSchema(schema, doc) as object);
  compiled.set(key, v);
  return v;
}

function resolve(s: Json, doc: DocName): Json {
  if (isObject(s) && typeof s.$ref === 'string') {
    const [id, pointer] = s.$ref.split('#/definitions/');
    return resolve(definitions[(id || doc) as DocName][pointer as string] as Json, doc);
  }
  return s;
}

/** Property names the schema allows at this level (union over composition branches), or undefined if open. */
function allowedKeys(s: Json, doc: DocName): { keys: Set<string>; props: Map<string, Json> } | undefined {
  const node = resolve(s, doc);
  if (!isObject(node)) return undefined;
  let found = false;
  const keys = new Set<string>();
  const props = new Map<string, Json>();
  if (isObject(node.properties)) {
    found = true;
    for (const [k, v] of Object.entries(node.properties)) {
      keys.add(k);
      props.set(k, v);
    }
  }
  if (isObject(node.additionalProperties)) return undefined;
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const branches = node[k];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      const sub = allowedKeys(b, doc);
      if (!sub) continue;
      found = true;
      sub.keys.forEach((x) => keys.add(x));
      sub.props.forEach((v, x) => props.set(x, v));
    }
  }
  return found ? { keys, props } : undefined;
}

function itemsOf(s: Json, doc: DocName): Json | undefined {
  const node = resolve(s, doc);
  if (!isObject(node)) return undefined;
  if (node.items !== undefined) return node.items;
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const branches = node[k];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      const it = itemsOf(b, doc);
      if (it !== undefined) return it;
    }
  }
  return undefined;
}

/** Field names the document does not declare (typos in the emulator would otherwise pass open schemas). */
export function undeclaredFields(data: unknown, schema: Json, doc: DocName, at = '$'): string[] {
  if (Array.isArray(data)) {
    const items = itemsOf(schema, doc);
    return items === undefined ? [] : data.flatMap((d, i) => undeclaredFields(d, items, doc, `${at}[${i}]`));
  }
  if (!isObject(data as Json)) return [];
  const allowed = allowedKeys(schema, doc);
  if (!allowed) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(data as JsonObject)) {
    if (!allowed.keys.has(k)) out.push(`${at}.${k}`);
    else out.push(...undeclaredFields(v, allowed.props.get(k) as Json, doc, `${at}.${k}`));
  }
  return out;
}

function errorSchema(doc: DocName): Json {
  return doc === 'retell'
    ? { type: 'object', required: ['status', 'message'], properties: { status: { type: 'string', enum: ['error'] }, message: { type: 'string' } } }
    : { $ref: '#/components/schemas/twilio_error' };
}

export interface ResponseCheck { operation: Operation; declared: boolean; errors: string[] }

/**
 * Validates a response body against the operation's schema for that status. Error statuses the
 * operation does not declare (Twilio declares none) are checked against the vendor's error body.
 */
export function checkResponse(method: string, fullPath: string, status: number, body: unknown): ResponseCheck {
  const operation = findOperation(method, fullPath);
  if (!operation) throw new Error(`no vendor operation for ${method} ${fullPath}`);
  const responses = operation.op.responses as JsonObject;
  const declared = String(status) in responses;
  const content = declared ? ((responses[String(status)] as JsonObject).content as JsonObject | undefined) : undefined;
  let schema: Json | undefined = content ? ((content['application/json'] as JsonObject).schema as Json) : undefined;
  if (!schema && status >= 400) schema = errorSchema(operation.doc);
  const errors: string[] = [];
  if (schema === undefined) {
    if (body !== undefined && body !== '') errors.push(`expected no body for ${status}, got ${JSON.stringify(body).slice(0, 100)}`);
    return { operation, declared, errors };
  }
  const v = validatorFor(`${operation.doc} ${operation.method} ${operation.template} ${status} ${declared}`, schema, operation.doc);
  if (!v(body)) errors.push(...(v.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  errors.push(...undeclaredFields(body, toJsonSchema(schema, operation.doc), operation.doc).map((f) => `undeclared field ${f}`));
  return { operation, declared, errors };
}

function coerceError(value: string, schema: Json, doc: DocName): string | undefined {
  const s = resolve(toJsonSchema(schema, doc), doc);
  if (!isObject(s)) return undefined;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (Array.isArray(s.enum) && !s.enum.includes(value)) return `not one of ${JSON.stringify(s.enum)}`;
  if (types.includes('integer') && !/^-?\d+$/.test(value)) return 'not an integer';
  if (types.includes('number') && Number.isNaN(Number(value))) return 'not a number';
  if (types.includes('boolean') && !/^(true|false)$/.test(value)) return 'not a boolean';
  return undefined;
}

/** Problems with a logged request (as a real SDK sent it) against the vendor operation's parameters. */
export function checkRequest(e: RequestLogEntry): string[] {
  const operation = findOperation(e.method, e.path);
  const where = `${e.method} ${e.path}`;
  if (!operation) return [`${where}: no such operation in the vendor document`];
  const problems: string[] = [];
  const params = ((operation.op.parameters ?? []) as JsonObject[]);
  for (const [name, value] of Object.entries(e.query)) {
    const p = params.find((x) => x.in === 'query' && x.name === name);
    if (!p) problems.push(`${where}: undeclared query parameter ${name}`);
    else {
      const err = coerceError(value, p.schema as Json, operation.doc);
      if (err) problems.push(`${where}: query ${name}=${value} ${err}`);
    }
  }
  const rb = operation.op.requestBody as JsonObject | undefined;
  const body = e.body as JsonObject | undefined;
  if (!rb) {
    if (body && Object.keys(body).length > 0) problems.push(`${where}: sends a body the operation does not take`);
    return problems;
  }
  const [contentType, media] = Object.entries(rb.content as JsonObject)[0] as [string, JsonObject];
  const schema = media.schema as JsonObject;
  if (rb.required && body === undefined) problems.push(`${where}: missing request body`);
  if (body === undefined) return problems;
  if (contentType === 'application/x-www-form-urlencoded') {
    const props = (schema.properties ?? {}) as JsonObject;
    for (const [k, v] of Object.entries(body)) {
      if (!(k in props)) problems.push(`${where}: undeclared form field ${k}`);
      else if (typeof v === 'string' && v !== '***') {
        const err = coerceError(v, props[k] as Json, operation.doc);
        if (err) problems.push(`${where}: form ${k}=${v} ${err}`);
      }
    }
    for (const r of (schema.required ?? []) as string[]) if (!(r in body)) problems.push(`${where}: missing required form field ${r}`);
  } else {
    const v = validatorFor(`${operation.doc} ${operation.method} ${operation.template} request`, schema, operation.doc);
    if (!v(body)) problems.push(...(v.errors ?? []).map((x) => `${where}: body${x.instancePath} ${x.message ?? ''}`));
    problems.push(...undeclaredFields(body, toJsonSchema(schema, operation.doc), operation.doc).map((f) => `${where}: undeclared body field ${f}`));
  }
  return problems;
}

/** The unpatched documents, for tests that demonstrate a deviation. */
export function rawDoc(name: DocName): JsonObject {
  return rawDocs[name];
}
