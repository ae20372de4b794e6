import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Retell from 'retell-sdk';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { runSandboxForeground } from '../../src/sandbox/foreground.js';
import { defaultScenario, startSandbox } from '../../src/sandbox/index.js';
import { call, createRedirectingRequestClient, elapsed, RedirectingRequestClient, rejection, retellClient, twilioClient } from './helpers.js';

describe('server lifecycle', () => {
  it('close() resolves promptly with keep-alive sockets open, and the port stops answering', async () => {
    const h = await startSandbox();
    await twilioClient(h).incomingPhoneNumbers.list({ limit: 2 });
    await retellClient(h).phoneNumber.list({ limit: 1 });
    const closed = await elapsed(() => h.close());
    expect(closed.ms).toBeLessThan(1000);
    expect(await rejection(fetch(`${h.url}/__sandbox/health`))).toBeInstanceOf(Error);
  });

  it('close() does not wait for requests sleeping in injected latency', async () => {
    const h = await startSandbox({ latencyMs: 5_000 });
    const pending = fetch(`${h.retellBaseUrl}/v2/list-phone-numbers`, { headers: { authorization: `Bearer ${h.credentials.retell.staging}` } }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const closed = await elapsed(() => h.close());
    expect(closed.ms).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('listens on a fixed port when asked', async () => {
    const probe = await startSandbox();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const h = await startSandbox({ port });
    try {
      expect(h.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await h.close();
    }
  });
});

describe('control endpoints and request log', () => {
  it('reports health, serves snippets and keeps a request log', async () => {
    const h = await startSandbox();
    try {
      const health = await call(h, 'GET', '/__sandbox/health');
      expect(health.body).toEqual({
        status: 'ok', twilio: { incoming_phone_numbers: 30, trunks: 2 }, signalwire: { incoming_phone_numbers: 12 },
        retell: { staging: { phone_numbers: 18, agents: 6 }, production: { phone_numbers: 13, agents: 5 } },
        vapi: { 'vapi-support': { phone_numbers: 8, assistants: 3 } },
      });
      const snippets = (await call(h, 'GET', '/__sandbox/snippets')).body as { workspaces: Record<string, { base_url: string }>; env: Record<string, string> };
      expect(snippets.workspaces.staging?.base_url).toBe(h.retellBaseUrl);
      expect(snippets.env.RETELL_PRODUCTION_API_KEY).toBe(h.credentials.retell.production);
      expect(snippets.workspaces['vapi-support']).toEqual({ platform: 'vapi', api_key_env: 'VAPI_SUPPORT_API_KEY', name: 'Support (Vapi)', base_url: h.vapiBaseUrl });
      expect(snippets.env).toMatchObject({ VAPI_SUPPORT_API_KEY: h.credentials.vapi?.['vapi-support']?.apiKey, PHONE_DIR_VAPI_BASE_URL: h.vapiBaseUrl });

      await retellClient(h, 'production').phoneNumber.import({ phone_number: '+14155550193', termination_uri: 'acme-main.pstn.twilio.com', sip_trunk_auth_password: 'hunter2' });
      await call(h, 'GET', '/retell/v2/list-phone-numbers?limit=1', { auth: 'Bearer wrong' });
      const log = (await call(h, 'GET', '/__sandbox/requests')).body as { requests: Record<string, unknown>[] };
      expect(log.requests).toEqual([
        { method: 'POST', path: '/retell/import-phone-number', query: {}, status: 201, workspace: 'production', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), body: expect.objectContaining({ sip_trunk_auth_password: '***' }) },
        { method: 'GET', path: '/retell/v2/list-phone-numbers', query: { limit: '1' }, status: 401, at: expect.any(String) },
      ]);
      expect(JSON.stringify(h.requests())).not.toContain('hunter2');
      expect((await call(h, 'DELETE', '/__sandbox/requests')).status).toBe(204);
      expect(h.requests()).toEqual([]);
      expect((await call(h, 'GET', '/__sandbox/nope')).status).toBe(404);
      expect((await call(h, 'GET', '/elsewhere')).status).toBe(404);
      expect((await call(h, 'PUT', '/__sandbox/latency', { json: { latency_ms: -1 } })).status).toBe(400);
    } finally {
      await h.close();
    }
  });
});

describe('twilio redirecting request client', () => {
  it('keeps the base URL path prefix, the request path and the query', () => {
    const c = new RedirectingRequestClient('http://127.0.0.1:9999/twilio/');
    expect(c.redirect('https://trunking.twilio.com/v1/Trunks/TK1/PhoneNumbers?PageSize=50&Page=1&PageToken=PAPN1'))
      .toBe('http://127.0.0.1:9999/twilio/v1/Trunks/TK1/PhoneNumbers?PageSize=50&Page=1&PageToken=PAPN1');
    expect(createRedirectingRequestClient('https://carrier.example/api/laml').redirect('https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json'))
      .toBe('https://carrier.example/api/laml/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json');
  });
});

describe('runSandboxForeground', () => {
  it('prints the banner, workspaces.json and exports, serves until aborted, then closes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-fg-'));
    const scenarioPath = path.join(dir, 'scenario.json');
    await writeFile(scenarioPath, JSON.stringify(defaultScenario()));
    let out = '';
    let err = '';
    const ac = new AbortController();
    const run = runSandboxForeground({ port: 0, scenarioPath, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal: ac.signal });
    for (let i = 0; i < 100 && !out.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(out).toMatch(/^phone-dir sandbox listening on http:\/\/127\.0\.0\.1:\d+ {2}\(scenario: .*scenario\.json\)/);
    const json = out.slice(out.indexOf('# workspaces.json\n') + 18, out.indexOf('\n\n# environment'));
    const workspaces = JSON.parse(json) as { staging: { api_key_env: string; base_url: string }; twilio: { base_url: string } };
    const env = Object.fromEntries([...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]])) as Record<string, string>;

    // Configure both SDKs the way phone-dir would, from the printed snippets only.
    const tw = twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, { httpClient: createRedirectingRequestClient(workspaces.twilio.base_url) });
    expect(await tw.incomingPhoneNumbers.list({ limit: 5 })).toHaveLength(5);
    const rt = new Retell({ apiKey: env[workspaces.staging.api_key_env] as string, baseURL: workspaces.staging.base_url, maxRetries: 0 });
    expect((await rt.phoneNumber.list({ limit: 3 })).items).toHaveLength(3);

    ac.abort();
    await run;
    expect(err).toContain('stopped');
    expect(await rejection(fetch(`${env.PHONE_DIR_RETELL_BASE_URL}/v2/list-phone-numbers`))).toBeInstanceOf(Error);
  });

  it('rejects with a one-line error for a bad scenario file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-fg-'));
    const scenarioPath = path.join(dir, 'bad.json');
    await writeFile(scenarioPath, JSON.stringify({ twilio: {}, retell: { workspaces: {} } }));
    const e = (await rejection(runSandboxForeground({ scenarioPath, stdout: { write: () => true }, stderr: { write: () => true }, signal: new AbortController().signal }))) as Error;
    expect(e.message).toBe(`${scenarioPath}: invalid scenario at twilio.account_sid: Invalid input: expected string, received undefined`);
  });
});
