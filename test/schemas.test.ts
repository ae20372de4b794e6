/**
 * The published JSON Schemas (schemas/*.schema.json, generated from the zod schemas by
 * scripts/generate-schemas.mjs) are current, and they agree with zod: the same files pass, the same break.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { REPO_ROOT } from './helpers/cli.js';
import { FILE_SCHEMAS } from '../src/core/schemas.js';
import { schemaRef } from '../src/core/views.js';
import { workspacesSnippet } from '../src/sandbox/snippets.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

type SchemaName = keyof typeof FILE_SCHEMAS;

const readJson = (rel: string): any => JSON.parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8'));

/** The sample files (committed, and the ones that validate) with the schema each must satisfy. */
const SAMPLES: [string, SchemaName][] = [
  ['phone-numbers/directory.json', 'directory.schema.json'],
  ['phone-numbers/staging/numbers.json', 'numbers.schema.json'],
  ['phone-numbers/production/numbers.json', 'numbers.schema.json'],
  ['phone-numbers/staging/assignments.json', 'assignments.schema.json'],
  ['phone-numbers/production/assignments.json', 'assignments.schema.json'],
  ['phone-numbers/pools.json', 'pools.schema.json'],
  ['workspaces.example.json', 'workspaces.schema.json'],
];
const EXAMPLE = SAMPLES.length - 1;

/** The seed's trunks.json and sync.json (runtime files: no sample is committed), with the fields phone-dir adds. */
const TRUNKS = {
  $schema: '../.schemas/trunks.schema.json',
  version: '1.0.0',
  last_sync: '2025-11-19T12:00:00Z',
  trunks: {
    TK7d3c6a1f0e9b8a7c6d5e4f3a2b1c0d9e: {
      trunk_sid: 'TK7d3c6a1f0e9b8a7c6d5e4f3a2b1c0d9e',
      friendly_name: 'Main Retell Trunk',
      domain_name: 'acme-main.pstn.twilio.com',
      auth_type: 'credential_list',
      credential_list_sid: 'CL0123456789abcdef0123456789abcdef',
      origination_urls: [{ sid: 'OU0123456789abcdef0123456789abcdef', sip_url: 'sip:sip.retellai.com', friendly_name: 'Retell Origination', priority: 1, weight: 1 }],
      phone_numbers: [{ phone_number_sid: 'PNe41814d7e9af23f17459970a3c3bee00', phone_number: '+14155550101' }],
      date_created: '2025-11-15T10:00:00Z',
      date_updated: '2025-11-18T15:30:00Z',
    },
  },
  credentials: {
    CL0123456789abcdef0123456789abcdef: {
      credential_list_sid: 'CL0123456789abcdef0123456789abcdef',
      friendly_name: 'Retell Credentials',
      usernames: ['retell_backup', 'retell_user'],
      note: 'Passwords not stored - retrieve from secure storage',
    },
  },
};

const SYNC = {
  version: '1.0.0',
  last_full_sync: '2025-11-19T12:00:00Z',
  last_incremental_sync: '2025-11-19T12:30:00Z',
  sync_history: [
    { timestamp: '2025-11-19T12:00:00Z', type: 'full', numbers_synced: 15, trunks_synced: 2, duration_ms: 3450, status: 'success' },
    { timestamp: '2025-11-19T11:00:00Z', type: 'incremental', workspaces: ['staging'], numbers_synced: 1, trunks_synced: 0, changes: 0, requests: 4, duration_ms: 850, status: 'partial', error: 'production: 503' },
  ],
  next_sync: '2025-11-19T13:00:00Z',
  sync_interval_minutes: 60,
};

const clone = <T>(v: T): T => structuredClone(v);

/** Variants both validators must reject: [schema, description, the sample it starts from, the edit]. */
const BROKEN: [SchemaName, string, () => any, (j: any) => void][] = [
  ['directory.schema.json', 'a number without its plus', () => readJson(SAMPLES[0]![0]), (j) => { j.numbers['+14155550101'].phone_number = '14155550101'; }],
  ['directory.schema.json', 'an unknown field in an entry', () => readJson(SAMPLES[0]![0]), (j) => { j.numbers['+14155550101'].owner = 'me'; }],
  ['directory.schema.json', 'a type outside the enum', () => readJson(SAMPLES[0]![0]), (j) => { j.numbers['+14155550101'].phone_number_type = 'landline'; }],
  ['directory.schema.json', 'a negative count', () => readJson(SAMPLES[0]![0]), (j) => { j.metadata.total_numbers = -1; }],
  ['directory.schema.json', 'a fractional count', () => readJson(SAMPLES[0]![0]), (j) => { j.metadata.by_type.local = 1.5; }],
  ['directory.schema.json', 'a timestamp that is not ISO 8601 UTC', () => readJson(SAMPLES[0]![0]), (j) => { j.last_updated = '2025-11-19 12:00:00'; }],
  ['directory.schema.json', 'a timestamp with an offset', () => readJson(SAMPLES[0]![0]), (j) => { j.last_updated = '2025-11-19T12:00:00+01:00'; }],
  ['directory.schema.json', 'an impossible month', () => readJson(SAMPLES[0]![0]), (j) => { j.last_updated = '2025-13-01T12:00:00Z'; }],
  ['directory.schema.json', 'a timestamp with an offset instead of Z', () => readJson(SAMPLES[0]![0]), (j) => { j.last_updated = '2025-11-19T12:00:00+02:00'; }],
  ['directory.schema.json', 'a missing metadata', () => readJson(SAMPLES[0]![0]), (j) => { delete j.metadata; }],
  ['directory.schema.json', 'capabilities of the wrong type', () => readJson(SAMPLES[0]![0]), (j) => { j.numbers['+14155550101'].capabilities.sms = 'yes'; }],
  ['numbers.schema.json', 'a missing summary', () => readJson(SAMPLES[1]![0]), (j) => { delete j.summary; }],
  ['numbers.schema.json', 'assigned as a string', () => readJson(SAMPLES[1]![0]), (j) => { j.numbers[0].assigned = 'yes'; }],
  ['numbers.schema.json', 'an unknown import method', () => readJson(SAMPLES[1]![0]), (j) => { j.numbers[0].import_method = 'carrier-port'; }],
  ['numbers.schema.json', 'numbers as an object', () => readJson(SAMPLES[1]![0]), (j) => { j.numbers = {}; }],
  ['assignments.schema.json', '"unassigned" as an assignment type', () => readJson(SAMPLES[3]![0]), (j) => { j.assignments[0].assignment_type = 'unassigned'; }],
  ['assignments.schema.json', 'a weight above 1', () => readJson(SAMPLES[3]![0]), (j) => { j.assignments[0].inbound_agents[0].weight = 1.5; }],
  ['assignments.schema.json', 'a zero weight', () => readJson(SAMPLES[3]![0]), (j) => { j.assignments[0].inbound_agents[0].weight = 0; }],
  ['assignments.schema.json', 'a by_agent list holding a non-E.164 value', () => readJson(SAMPLES[3]![0]), (j) => { j.by_agent['agents/sales-agent'].push('555-0101'); }],
  ['assignments.schema.json', 'a bad release_at', () => readJson(SAMPLES[3]![0]), (j) => { j.assignments[0].release_at = 'tomorrow'; }],
  ['pools.schema.json', 'a negative minimum', () => readJson(SAMPLES[5]![0]), (j) => { j.pools['sales-pool'].min_available = -1; }],
  ['pools.schema.json', 'a mobile provisioning type', () => readJson(SAMPLES[5]![0]), (j) => { j.pools['sales-pool'].provision.type = 'mobile'; }],
  ['pools.schema.json', 'a pool without a workspace', () => readJson(SAMPLES[5]![0]), (j) => { delete j.pools['sales-pool'].workspace; }],
  ['trunks.schema.json', 'a priority as a string', () => clone(TRUNKS), (j) => { j.trunks.TK7d3c6a1f0e9b8a7c6d5e4f3a2b1c0d9e.origination_urls[0].priority = '1'; }],
  ['trunks.schema.json', 'a password field', () => clone(TRUNKS), (j) => { j.credentials.CL0123456789abcdef0123456789abcdef.password = 'hunter2'; }],
  ['sync.schema.json', 'an unknown status', () => clone(SYNC), (j) => { j.sync_history[0].status = 'ok'; }],
  ['sync.schema.json', 'a zero interval', () => clone(SYNC), (j) => { j.sync_interval_minutes = 0; }],
  ['workspaces.schema.json', 'a misspelt key in an entry', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => { j.staging.nmae = j.staging.name; delete j.staging.name; }],
  ['workspaces.schema.json', 'a misspelt key in the twilio section', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => { j.twilio.auth_tokn_env = 'X'; }],
  // Which platforms exist is the registry's to say (validate checks it); the schema takes a name.
  ['workspaces.schema.json', 'a platform that is not a name', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => { j.staging.platform = 'Bland AI'; }],
  ['numbers.schema.json', 'an unknown key that is no platform id', () => readJson(SAMPLES[1]![0]), (j) => { j.numbers[0].vapi_phone_numer_id = 'x'; }],
  ['numbers.schema.json', 'a platform id that is not a string', () => readJson(SAMPLES[1]![0]), (j) => { j.numbers[0].vapi_phone_number_id = 7; }],
  ['workspaces.schema.json', 'a workspace that is a string', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => { j.staging = 'RETELL_STAGING_API_KEY'; }],
  ['workspaces.schema.json', 'an empty environment variable name', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => { j.staging.api_key_env = ''; }],
  ['workspaces.schema.json', 'mode as an object', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => { j.mode = { production: 'x' }; }],
];

/** Variants both must accept: optional and nullable fields left out or null. */
const ALSO_VALID: [SchemaName, string, () => any, (j: any) => void][] = [
  ['directory.schema.json', 'no $schema', () => readJson(SAMPLES[0]![0]), (j) => { delete j.$schema; }],
  ['directory.schema.json', 'null last_updated and twilio', () => readJson(SAMPLES[0]![0]), (j) => { j.last_updated = null; j.numbers['+14155550101'].twilio = null; }],
  ['numbers.schema.json', "a platform's id of the number, under any platform's name", () => readJson(SAMPLES[1]![0]), (j) => { j.numbers[0].vapi_phone_number_id = 'a'; j.numbers[0].bland_phone_number_id = 'b'; }],
  ['directory.schema.json', 'fractional seconds', () => readJson(SAMPLES[0]![0]), (j) => { j.last_updated = '2025-11-19T12:00:00.123Z'; }],
  ['numbers.schema.json', "the seed's entry without phone-dir's extra fields", () => readJson(SAMPLES[1]![0]), (j) => {
    for (const k of ['pool', 'status', 'last_assigned', 'last_released', 'auth_username', 'inbound_webhook_url']) delete j.numbers[0][k];
  }],
  ['assignments.schema.json', 'no release_at and no weighted lists', () => readJson(SAMPLES[3]![0]), (j) => {
    delete j.assignments[0].release_at; delete j.assignments[0].inbound_agents; delete j.assignments[0].outbound_agents;
  }],
  ['pools.schema.json', 'a pool with only its workspace (defaults fill the rest)', () => readJson(SAMPLES[5]![0]), (j) => { j.pools.minimal = { workspace: 'production' }; }],
  ['workspaces.schema.json', "the Retell CLIs' multi-production array with ids", () => readJson(SAMPLES[EXAMPLE]![0]), (j) => {
    j.production = [{ id: 'prod-us', api_key_env: 'RETELL_US_KEY' }, { id: 'prod-eu', api_key: 'literal', base_url: 'https://eu.example' }];
  }],
  ['workspaces.schema.json', 'a Vapi workspace, a SignalWire carrier, a workspace twilio override and mode', () => readJson(SAMPLES[EXAMPLE]![0]), (j) => {
    j['vapi-support'] = { platform: 'vapi', api_key_env: 'VAPI_KEY', name: 'Support (Vapi)' };
    j.signalwire = { space_url: 'example.signalwire.com', project_id_env: 'SW_PROJECT', api_token_env: 'SW_TOKEN' };
    j.staging.twilio = { account_sid_env: 'STG_SID', api_key_sid_env: 'STG_KEY', api_key_secret_env: 'STG_SECRET', base_url: 'http://127.0.0.1:4010' };
    j.mode = 'production';
  }],
];

describe('schemas/*.schema.json', () => {
  it('are current: generate-schemas --check exits 0 after a build', async () => {
    const r = await execa('node', [path.join(REPO_ROOT, 'scripts', 'generate-schemas.mjs'), '--check'], { cwd: REPO_ROOT, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('one file per published zod schema, each with an $id and a title', () => {
    const files = readdirSync(path.join(REPO_ROOT, 'schemas')).filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).toEqual(Object.keys(FILE_SCHEMAS).sort());
    for (const f of files) {
      const s = readJson(`schemas/${f}`);
      expect(s.$schema, f).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id, f).toBe(`https://phone-dir.dev/schemas/${f}`);
      expect(s.title, f).toMatch(/^phone-dir /);
    }
  });

  it("workspaces.example.json's $schema points at the copy init writes into phone-numbers/.schemas/", () => {
    expect(readJson('workspaces.example.json').$schema).toBe('./phone-numbers/.schemas/workspaces.schema.json');
    expect(schemaRef(0, 'workspaces.schema.json')).toBe('./phone-numbers/.schemas/workspaces.schema.json');
    const snippet = workspacesSnippet({ twilioBaseUrl: 'http://t', signalwireBaseUrl: 'http://s', retellBaseUrl: 'http://r', credentials: { twilio: { accountSid: 'AC', authToken: 't' }, retell: {} } });
    expect(snippet.$schema, "the sandbox's workspaces.json").toBe(schemaRef(0, 'workspaces.schema.json'));
  });

  it("the sample's $schema references resolve, relative to each file, to byte-identical copies of these files", () => {
    for (const [rel, name] of SAMPLES) {
      const ref = readJson(rel).$schema as string;
      const target = path.resolve(path.dirname(path.join(REPO_ROOT, rel)), ref);
      expect(target, rel).toBe(path.join(REPO_ROOT, 'phone-numbers', '.schemas', name));
      expect(readFileSync(target, 'utf8'), rel).toBe(readFileSync(path.join(REPO_ROOT, 'schemas', name), 'utf8'));
    }
  });
});

describe('zod and JSON Schema agree', () => {
  const validators = new Map<SchemaName, ValidateFunction>();
  beforeAll(() => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    // Formats are annotations here: zod's generated `pattern` already constrains every date-time.
    ajv.addFormat('date-time', { validate: (s: string) => !Number.isNaN(Date.parse(s)) });
    for (const name of Object.keys(FILE_SCHEMAS) as SchemaName[]) validators.set(name, ajv.compile(readJson(`schemas/${name}`)));
  });

  const verdicts = (name: SchemaName, json: unknown) => {
    const ajvOk = validators.get(name)!(json);
    const zodOk = FILE_SCHEMAS[name].safeParse(json).success;
    return { ajv: ajvOk, zod: zodOk, ajvErrors: validators.get(name)!.errors };
  };

  it.each(SAMPLES)('%s passes both', (rel, name) => {
    const v = verdicts(name, readJson(rel));
    expect(v.ajvErrors ?? []).toEqual([]);
    expect({ ajv: v.ajv, zod: v.zod }).toEqual({ ajv: true, zod: true });
  });

  it.each([['trunks.schema.json', TRUNKS], ['sync.schema.json', SYNC]] as [SchemaName, unknown][])("the seed's %s example passes both", (name, json) => {
    const v = verdicts(name, json);
    expect(v.ajvErrors ?? []).toEqual([]);
    expect({ ajv: v.ajv, zod: v.zod }).toEqual({ ajv: true, zod: true });
  });

  it.each(ALSO_VALID)('%s: %s passes both', (name, _what, base, edit) => {
    const json = base();
    edit(json);
    const v = verdicts(name, json);
    expect(v.ajvErrors ?? []).toEqual([]);
    expect({ ajv: v.ajv, zod: v.zod }).toEqual({ ajv: true, zod: true });
  });

  it.each(BROKEN)('%s: %s fails both', (name, _what, base, edit) => {
    const json = base();
    expect(verdicts(name, json)).toMatchObject({ ajv: true, zod: true });
    edit(json);
    expect(verdicts(name, json)).toMatchObject({ ajv: false, zod: false });
  });
});
