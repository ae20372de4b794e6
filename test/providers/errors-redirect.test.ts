import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import { registerSecret } from '../../src/core/secrets.js';
import { isAmbiguous, isNotFound, toProviderError } from '../../src/providers/errors.js';
import { effectiveTwilioBaseUrl, rewriteTwilioUrl } from '../../src/providers/twilio/redirect.js';
import { withTwilioErrorFields } from '../../src/providers/twilio/transport.js';

describe('rewriteTwilioUrl', () => {
  it('moves every *.twilio.com host onto the base URL, keeping path and query', () => {
    const base = 'http://127.0.0.1:4010/twilio';
    expect(rewriteTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PageSize=1000&Page=1&PageToken=PA1', base)).toBe(
      'http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PageSize=1000&Page=1&PageToken=PA1',
    );
    expect(rewriteTwilioUrl('https://trunking.twilio.com/v1/Trunks/TK1/PhoneNumbers?PageSize=50&Page=1&PageToken=PAPN1', base)).toBe(
      'http://127.0.0.1:4010/twilio/v1/Trunks/TK1/PhoneNumbers?PageSize=50&Page=1&PageToken=PAPN1',
    );
    expect(rewriteTwilioUrl('https://api.dublin.ie1.twilio.com/2010-04-01/x.json', 'https://carrier.example/api/laml/')).toBe('https://carrier.example/api/laml/2010-04-01/x.json');
    expect(rewriteTwilioUrl('https://trunking.twilio.com/v1/Trunks', 'http://localhost:9')).toBe('http://localhost:9/v1/Trunks');
  });

  it('does not prefix twice a page link that already carries the end of the base path (SignalWire\'s /api/laml next_page_uri)', () => {
    const sandbox = 'http://127.0.0.1:4010/signalwire/api/laml';
    expect(rewriteTwilioUrl('https://api.twilio.com/api/laml/2010-04-01/Accounts/p1/IncomingPhoneNumbers.json?Page=1&PageToken=PAx', sandbox)).toBe(
      'http://127.0.0.1:4010/signalwire/api/laml/2010-04-01/Accounts/p1/IncomingPhoneNumbers.json?Page=1&PageToken=PAx',
    );
    expect(rewriteTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/p1/IncomingPhoneNumbers.json', sandbox)).toBe(
      'http://127.0.0.1:4010/signalwire/api/laml/2010-04-01/Accounts/p1/IncomingPhoneNumbers.json',
    );
    const space = 'https://acme.signalwire.com/api/laml';
    expect(rewriteTwilioUrl('https://api.twilio.com/api/laml/2010-04-01/Accounts/p1/IncomingPhoneNumbers.json?Page=1', space)).toBe(
      'https://acme.signalwire.com/api/laml/2010-04-01/Accounts/p1/IncomingPhoneNumbers.json?Page=1',
    );
    // Whole segments only: /api/lamlx is not /api/laml.
    expect(rewriteTwilioUrl('https://api.twilio.com/lamlx/2010-04-01/x.json', space)).toBe('https://acme.signalwire.com/api/laml/lamlx/2010-04-01/x.json');
  });

  it('leaves URLs already redirected alone', () => {
    const u = 'http://127.0.0.1:4010/twilio/v1/Trunks?PageSize=1';
    expect(rewriteTwilioUrl(u, 'http://127.0.0.1:4010/twilio')).toBe(u);
  });

  it('treats the real Twilio origin as "no redirect"', () => {
    expect(effectiveTwilioBaseUrl(null)).toBeNull();
    expect(effectiveTwilioBaseUrl('https://api.twilio.com')).toBeNull();
    expect(effectiveTwilioBaseUrl('https://api.twilio.com/')).toBeNull();
    expect(effectiveTwilioBaseUrl('http://127.0.0.1:1/twilio')).toBe('http://127.0.0.1:1/twilio');
  });
});

describe('withTwilioErrorFields', () => {
  it('lifts SignalWire\'s {errors: [{code, message}]} to the fields twilio\'s RestException reads', () => {
    const sw = JSON.stringify({ errors: [{ type: 'authentication_error', code: 'unauthorized', message: 'Unauthorized', attribute: null }] });
    expect(withTwilioErrorFields({ statusCode: 401, body: sw, headers: {} })).toEqual({ statusCode: 401, body: { message: 'Unauthorized', code: 'unauthorized', status: 401 }, headers: {} });
  });

  it('leaves Twilio\'s bodies, successes and non-JSON alone', () => {
    const twilioBody = JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 });
    for (const r of [
      { statusCode: 401, body: twilioBody },
      { statusCode: 200, body: JSON.stringify({ errors: [{ message: 'not an error' }] }) },
      { statusCode: 502, body: '<html>Bad Gateway</html>' },
      { statusCode: 400, body: JSON.stringify({ errors: [] }) },
    ]) expect(withTwilioErrorFields(r)).toBe(r);
  });
});

describe('toProviderError', () => {
  it('maps a twilio RestException with a credential hint', () => {
    const rest = Object.assign(new Error('Authenticate'), { status: 401, code: 20003, moreInfo: 'https://www.twilio.com/docs/errors/20003' });
    const e = toProviderError('twilio', 'listing incoming phone numbers', rest, { credentialHint: 'TWILIO_AUTH_TOKEN / the twilio section of workspaces.json' });
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.exitCode).toBe(5);
    expect(e.status).toBe(401);
    expect(e.message).toBe('twilio: listing incoming phone numbers failed: 401 Authenticate [20003] (check TWILIO_AUTH_TOKEN / the twilio section of workspaces.json)');
  });

  it('never carries what an axios error holds besides code and message', () => {
    const secret = 'tok_0123456789abcdef0123456789';
    const axiosError = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      config: { headers: { Authorization: `Basic ${Buffer.from(`AC1:${secret}`).toString('base64')}` }, auth: { password: secret } },
      request: { _header: `Authorization: Basic ${Buffer.from(`AC1:${secret}`).toString('base64')}` },
    });
    const e = toProviderError('twilio', 'listing trunks', axiosError, { attempts: 4 });
    expect(e.message).toBe('twilio: listing trunks failed after 4 attempts: connection failed (ECONNRESET): socket hang up');
    const everything = JSON.stringify({ ...e, message: e.message, stack: e.stack });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from(`AC1:${secret}`).toString('base64'));
    expect(e.cause).toBeUndefined();
    expect(isAmbiguous(e)).toBe(true);
  });

  it('redacts registered secrets that a server echoes back', () => {
    registerSecret('key_supersecret_echoed');
    const apiError = Object.assign(new Error('400 bad key key_supersecret_echoed'), { status: 400, error: { message: 'bad key key_supersecret_echoed' } });
    expect(toProviderError('retell', 'x', apiError).message).toBe('retell: x failed: 400 bad key ***');
  });

  it('recognises not-found: twilio 404, retell 404 and 422 "cannot find"', () => {
    expect(isNotFound(toProviderError('twilio', 'x', Object.assign(new Error('not found'), { status: 404, code: 20404 })))).toBe(true);
    expect(isNotFound(toProviderError('retell', 'x', Object.assign(new Error('404 Not found'), { status: 404 })))).toBe(true);
    const r422 = Object.assign(new Error('422 Cannot find requested asset under given api key.'), { status: 422, error: { status: 'error', message: 'Cannot find requested asset under given api key.' } });
    expect(isNotFound(toProviderError('retell', 'x', r422))).toBe(true);
    const invalid = Object.assign(new Error('422 invalid weight'), { status: 422, error: { message: 'weights must sum to 1' } });
    expect(isNotFound(toProviderError('retell', 'x', invalid))).toBe(false);
    expect(isNotFound(new Error('404'))).toBe(false);
  });

  it('does not repeat the status of a twilio error without a JSON body', () => {
    const e = toProviderError('twilio', 'x', Object.assign(new Error('[HTTP 502] Failed to execute request'), { status: 502 }));
    expect(e.message).toBe('twilio: x failed: 502 Failed to execute request');
  });

  it('keeps messages on one line', () => {
    const e = toProviderError('retell', 'x', Object.assign(new Error('500 a\nb'), { status: 500, error: { message: 'a\n  b' } }));
    expect(e.message).toBe('retell: x failed: 500 a b');
    expect(e.ambiguous).toBe(true);
  });
});

describe('import cost', () => {
  // Reading commands import src/providers/index.ts (or nothing); neither it nor anything it imports
  // statically may load an SDK. Walk the static (non-type) import graph from index.ts.
  it('src/providers/index.ts reaches no SDK through static imports', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/providers/index.ts');
    const seen = new Set<string>();
    const sdkImports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else if (/^(twilio|retell-sdk)(\/|$)/.test(spec)) sdkImports.push(`${file}: ${spec}`);
      }
    };
    visit(root);
    expect(sdkImports).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('no adapter module imports an SDK at load time (only `await import()` inside functions)', () => {
    const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/providers');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const src = readFileSync(resolve(dir, f), 'utf8');
      expect(src, f).not.toMatch(/^import\s+(?!type\b)[^;]*?from\s+'(twilio|retell-sdk)(\/[^']*)?'/ms);
    }
  });
});
