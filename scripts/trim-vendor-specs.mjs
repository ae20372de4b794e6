#!/usr/bin/env node
// Derives structure-only copies of the vendor OpenAPI documents (../shared/vendor-specs) for the
// contract tests: only the operations phone-dir (and its sandbox emulator) use, plus the component
// schemas they reference. Schemas keep types, properties, required, enums, nullable, items,
// composition and $refs; descriptions, examples, formats, patterns and vendor extensions are dropped.
//
// Usage: node scripts/trim-vendor-specs.mjs   (writes test/contract/vendor/*.trimmed.json)
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specDir = path.resolve(root, '../shared/vendor-specs');
const outDir = path.resolve(root, 'test/contract/vendor');

const A = '/2010-04-01/Accounts/{AccountSid}';
const KEEP = {
  twilio_api_v2010: {
    file: 'twilio_api_v2010.json',
    ops: {
      [`${A}/IncomingPhoneNumbers.json`]: ['get', 'post'],
      [`${A}/IncomingPhoneNumbers/{Sid}.json`]: ['get', 'post', 'delete'],
      [`${A}/IncomingPhoneNumbers/Local.json`]: ['get', 'post'],
      [`${A}/IncomingPhoneNumbers/TollFree.json`]: ['get', 'post'],
      [`${A}/IncomingPhoneNumbers/Mobile.json`]: ['get', 'post'],
      [`${A}/AvailablePhoneNumbers/{CountryCode}/Local.json`]: ['get'],
      [`${A}/AvailablePhoneNumbers/{CountryCode}/TollFree.json`]: ['get'],
      [`${A}/SIP/CredentialLists.json`]: ['get', 'post'],
      [`${A}/SIP/CredentialLists/{Sid}.json`]: ['get'],
      [`${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`]: ['get', 'post'],
      [`${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`]: ['get'],
    },
  },
  twilio_trunking_v1: {
    file: 'twilio_trunking_v1.json',
    ops: {
      '/v1/Trunks': ['get'],
      '/v1/Trunks/{Sid}': ['get'],
      '/v1/Trunks/{TrunkSid}/PhoneNumbers': ['get', 'post'],
      '/v1/Trunks/{TrunkSid}/PhoneNumbers/{Sid}': ['get', 'delete'],
      '/v1/Trunks/{TrunkSid}/OriginationUrls': ['get', 'post'],
      '/v1/Trunks/{TrunkSid}/CredentialLists': ['get', 'post'],
    },
  },
  retell: {
    file: 'retell_openapi.yaml',
    ops: {
      '/v2/list-phone-numbers': ['get'],
      '/get-phone-number/{phone_number}': ['get'],
      '/create-phone-number': ['post'],
      '/import-phone-number': ['post'],
      '/update-phone-number/{phone_number}': ['patch'],
      '/delete-phone-number/{phone_number}': ['delete'],
      '/get-agent/{agent_id}': ['get'],
    },
  },
};

const SCHEMA_KEYS = new Set([
  'type', 'properties', 'required', 'enum', 'nullable', 'items', '$ref', 'allOf', 'oneOf', 'anyOf',
  'additionalProperties', 'deprecated', 'minimum', 'maximum', 'default',
]);

function trimSchema(s) {
  if (Array.isArray(s)) return s.map(trimSchema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (!SCHEMA_KEYS.has(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, trimSchema(ps)]));
    else if (k === 'additionalProperties') out[k] = typeof v === 'object' ? trimSchema(v) : v;
    else if (['items', 'allOf', 'oneOf', 'anyOf'].includes(k)) out[k] = trimSchema(v);
    else out[k] = v;
  }
  return out;
}

function resolveLocal(doc, ref) {
  return ref.replace(/^#\//, '').split('/').reduce((o, part) => o?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

function deref(doc, node) {
  return node && node.$ref && !node.$ref.startsWith('#/components/schemas/') ? resolveLocal(doc, node.$ref) : node;
}

function collectRefs(node, acc) {
  JSON.stringify(node, (k, v) => {
    if (k === '$ref' && typeof v === 'string') acc.add(v.split('/').pop());
    return v;
  });
}

function trimOperation(doc, op) {
  const out = {};
  if (op.operationId) out.operationId = op.operationId;
  if (op.parameters) {
    out.parameters = op.parameters.map((p) => deref(doc, p)).map((p) => ({
      name: p.name, in: p.in, ...(p.required ? { required: true } : {}), schema: trimSchema(p.schema ?? {}),
    }));
  }
  if (op.requestBody) {
    const rb = deref(doc, op.requestBody);
    out.requestBody = {
      ...(rb.required ? { required: true } : {}),
      content: Object.fromEntries(Object.entries(rb.content).map(([ct, c]) => [ct, { schema: trimSchema(c.schema) }])),
    };
  }
  out.responses = {};
  for (const [status, r0] of Object.entries(op.responses ?? {})) {
    const r = deref(doc, r0);
    out.responses[status] = r.content
      ? { content: Object.fromEntries(Object.entries(r.content).map(([ct, c]) => [ct, { schema: trimSchema(c.schema) }])) }
      : {};
  }
  return out;
}

function trimDocument(doc, ops) {
  const paths = {};
  for (const [p, methods] of Object.entries(ops)) {
    const item = doc.paths[p];
    if (!item) throw new Error(`path ${p} is missing from the vendor document`);
    paths[p] = {};
    for (const m of methods) {
      if (!item[m]) throw new Error(`${m.toUpperCase()} ${p} is missing from the vendor document`);
      paths[p][m] = trimOperation(doc, item[m]);
    }
  }
  const wanted = new Set();
  collectRefs(paths, wanted);
  const schemas = {};
  const queue = [...wanted];
  while (queue.length) {
    const name = queue.pop();
    if (schemas[name]) continue;
    const src = doc.components.schemas[name];
    if (!src) throw new Error(`schema ${name} is missing from the vendor document`);
    schemas[name] = trimSchema(src);
    const more = new Set();
    collectRefs(schemas[name], more);
    for (const n of more) if (!schemas[n]) queue.push(n);
  }
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  return { openapi: doc.openapi, info: { title: doc.info.title, version: doc.info.version }, paths, components: { schemas: sorted } };
}

const errorProps = (props) => ({ type: 'object', properties: props });

// Twilio's OpenAPI documents declare no error responses at all. This is the body every Twilio REST
// error carries (RestException reads exactly these four fields).
function twilioSupplement(out) {
  out['x-supplement'] = 'Hand-written, not from Twilio: components.schemas.twilio_error (Twilio error body, see sdk-notes §2.9).';
  out.components.schemas.twilio_error = {
    type: 'object', required: ['code', 'message', 'more_info', 'status'],
    properties: { code: { type: 'integer' }, message: { type: 'string' }, more_info: { type: 'string' }, status: { type: 'integer' } },
  };
}

// The Retell document predates retell-sdk 5.45+: it has no POST /v2/list-agents and no summary item
// type. Derived from retell-sdk 5.66.1 src/resources/agent.ts (AgentListParams, AgentListResponse).
function retellSupplement(out) {
  out['x-supplement'] = 'Hand-written from retell-sdk 5.66.1 types (not in the vendor document): paths./v2/list-agents, components.schemas.AgentListItem.';
  const errorRef = (desc) => ({ content: { 'application/json': { schema: errorProps({ status: { type: 'string', enum: ['error'] }, message: { type: 'string' } }) } }, 'x-supplement': desc });
  out.paths['/v2/list-agents'] = {
    post: {
      operationId: 'listAgentsV2',
      'x-supplement': true,
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000, default: 50 } },
        { name: 'pagination_key', in: 'query', schema: { type: 'string' } },
        { name: 'sort_order', in: 'query', schema: { type: 'string', enum: ['ascending', 'descending'] } },
      ],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                filter_criteria: {
                  type: 'object',
                  properties: {
                    channel: {
                      type: 'object', required: ['type', 'op', 'value'],
                      properties: {
                        type: { type: 'string', enum: ['string'] },
                        op: { type: 'string', enum: ['eq', 'ne', 'sw', 'ew', 'co'] },
                        value: { type: 'string', enum: ['voice', 'chat'] },
                      },
                    },
                    query: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: {
                allOf: [
                  { $ref: '#/components/schemas/PaginatedResponseBase' },
                  { type: 'object', required: ['items', 'has_more'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/AgentListItem' } } } },
                ],
              },
            },
          },
        },
        400: errorRef('BadRequest'),
        401: errorRef('Unauthorized'),
        500: errorRef('InternalServerError'),
      },
    },
  };
  out.components.schemas.AgentListItem = {
    type: 'object',
    required: ['agent_id', 'agent_name', 'channel', 'tags', 'user_modified_timestamp'],
    properties: {
      agent_id: { type: 'string' },
      agent_name: { type: 'string' },
      channel: { type: 'string', enum: ['voice', 'chat'] },
      tags: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { version: { type: 'integer' }, dynamic_variables: { type: 'object', additionalProperties: { type: 'string' } } } },
      },
      user_modified_timestamp: { type: 'integer' },
    },
  };
}

async function main() {
  await mkdir(outDir, { recursive: true });
  for (const [name, { file, ops }] of Object.entries(KEEP)) {
    const text = await readFile(path.join(specDir, file), 'utf8');
    const doc = file.endsWith('.yaml') ? yaml.load(text) : JSON.parse(text);
    const out = {
      'x-trimmed-from': `../shared/vendor-specs/${file} by scripts/trim-vendor-specs.mjs (structure only)`,
      ...trimDocument(doc, ops),
    };
    if (name === 'retell') retellSupplement(out);
    else twilioSupplement(out);
    const target = path.join(outDir, `${name}.trimmed.json`);
    await writeFile(target, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`wrote ${path.relative(root, target)} (${Object.keys(out.paths).length} paths, ${Object.keys(out.components.schemas).length} schemas)`);
  }
}

main().catch((err) => {
  console.error(`trim-vendor-specs: ${err.message}`);
  process.exit(1);
});
