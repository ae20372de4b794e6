import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkRequest, checkResponse, docs, findOperation, KNOWN_DEVIATIONS, rawDoc, toJsonSchema } from './spec.js';

const AC = `AC${'a'.repeat(32)}`;
const list = `/twilio/2010-04-01/Accounts/${AC}/IncomingPhoneNumbers.json`;

describe('contract helper (guards against a vacuous contract suite)', () => {
  it('finds operations, preferring literal segments over parameters', () => {
    expect(findOperation('GET', `/twilio/2010-04-01/Accounts/${AC}/IncomingPhoneNumbers/Local.json`)?.template).toBe('/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/Local.json');
    expect(findOperation('GET', `/twilio/2010-04-01/Accounts/${AC}/IncomingPhoneNumbers/PN1.json`)?.template).toBe('/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json');
    expect(findOperation('POST', '/retell/v2/list-agents')?.doc).toBe('retell');
    expect(findOperation('GET', '/retell/list-agents')).toBeUndefined();
  });

  it('rejects wrong types, undeclared fields and missing required fields', () => {
    const good = { incoming_phone_numbers: [{ sid: 'PN1', voice_url: null, capabilities: { voice: true } }], page: 0, next_page_uri: null };
    expect(checkResponse('GET', list, 200, good).errors).toEqual([]);
    expect(checkResponse('GET', list, 200, { ...good, page: '0' }).errors.join()).toMatch(/must be integer/);
    expect(checkResponse('GET', list, 200, { incoming_phone_numbers: [{ sid: 'PN1', frendly_name: 'typo' }] }).errors).toEqual(['undeclared field $.incoming_phone_numbers[0].frendly_name']);
    expect(checkResponse('GET', '/retell/get-phone-number/+1', 200, { phone_number: '+1', phone_number_type: 'custom' }).errors.join()).toMatch(/last_modification_timestamp/);
    expect(checkResponse('GET', '/retell/get-phone-number/+1', 200, { phone_number: '+1', phone_number_type: 'sip', last_modification_timestamp: 1 }).errors.join()).toMatch(/allowed values/);
    expect(checkResponse('GET', list, 404, { code: 20404, message: 'x', more_info: 'y' }).errors.join()).toMatch(/status/);
    expect(checkResponse('DELETE', '/retell/delete-phone-number/+1', 204, { unexpected: true }).errors).toHaveLength(1);
  });

  it('turns OpenAPI nullable into JSON Schema null types (including enums and refs)', () => {
    const ajv = new Ajv({ strict: false });
    const v = ajv.compile(toJsonSchema({ type: 'string', enum: ['GET', 'POST'], nullable: true }, 'retell') as object);
    expect([v(null), v('GET'), v('PUT')]).toEqual([true, true, false]);
    const w = ajv.compile(toJsonSchema({ type: 'object', properties: { a: { nullable: true, allOf: [{ type: 'string' }] } } }, 'retell') as object);
    expect([w({ a: null }), w({ a: 'x' }), w({ a: 1 })]).toEqual([true, true, false]);
  });

  it('checks logged requests against declared parameters', () => {
    expect(checkRequest({ method: 'GET', path: list, query: { PageSize: '50' }, status: 200, at: '' })).toEqual([]);
    expect(checkRequest({ method: 'GET', path: list, query: { Limit: '5' }, status: 200, at: '' })).toEqual([`GET ${list}: undeclared query parameter Limit`]);
    expect(checkRequest({ method: 'POST', path: '/retell/import-phone-number', query: {}, body: { phone_number: '+1' }, status: 201, at: '' }).join()).toMatch(/termination_uri/);
  });

  it('documents where the vendor document and the live wire format differ', () => {
    expect(KNOWN_DEVIATIONS).toHaveLength(2);
    const schemas = (rawDoc('twilio_api_v2010').components as { schemas: Record<string, { properties: Record<string, { type?: string }> }> }).schemas;
    const local = schemas['api.v2010.account.available_phone_number_country.available_phone_number_local'];
    expect(local?.properties.latitude?.type).toBe('number');
    expect(Object.keys((docs.twilio_api_v2010.paths as object))).toHaveLength(11);
  });
});
