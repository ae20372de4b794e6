import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { retellClient, twilioClient } from '../sandbox/helpers.js';
import { checkRequest, docs, findOperation } from './spec.js';

let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(async () => h.close());

/** Every operation in the trimmed documents, as "METHOD template". */
function allOperations(): string[] {
  const out: string[] = [];
  for (const d of Object.values(docs)) {
    for (const [template, item] of Object.entries(d.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(item)) out.push(`${m.toUpperCase()} ${template}`);
    }
  }
  return out.sort();
}

describe('requests sent by the real SDKs match the vendor documents', () => {
  it('twilio 6.2.0: paths, methods, query parameters and form fields', async () => {
    h.clearRequests();
    const c = twilioClient(h);
    const numbers = await c.incomingPhoneNumbers.list({ pageSize: 7, phoneNumber: '+1415', friendlyName: 'SF Sales' });
    expect(numbers).toHaveLength(1);
    await c.incomingPhoneNumbers.list({ pageSize: 20 });
    await c.incomingPhoneNumbers.local.list({ pageSize: 50 });
    await c.incomingPhoneNumbers.tollFree.list();
    await c.incomingPhoneNumbers.mobile.list();
    const [avail] = await c.availablePhoneNumbers('US').local.list({ areaCode: 650, smsEnabled: true, voiceEnabled: true, limit: 1 });
    const [tfAvail] = await c.availablePhoneNumbers('US').tollFree.list({ contains: '888', pageSize: 2, limit: 2 });
    const bought = await c.incomingPhoneNumbers.create({ phoneNumber: avail?.phoneNumber as string, friendlyName: 'req', voiceUrl: 'https://example.test/v', smsUrl: 'https://example.test/s' });
    const byArea = await c.incomingPhoneNumbers.create({ areaCode: '212' });
    const [local212] = await c.availablePhoneNumbers('US').local.list({ areaCode: 212, limit: 1 });
    const local = await c.incomingPhoneNumbers.local.create({ phoneNumber: local212?.phoneNumber as string });
    const tf = await c.incomingPhoneNumbers.tollFree.create({ phoneNumber: tfAvail?.phoneNumber as string });
    await c.incomingPhoneNumbers(bought.sid).fetch();
    await c.incomingPhoneNumbers(bought.sid).update({ friendlyName: 'req2', voiceUrl: '', voiceMethod: 'GET', smsMethod: 'POST', trunkSid: '' });
    const trunks = await c.trunking.v1.trunks.list();
    const tk = trunks[0]?.sid as string;
    await c.trunking.v1.trunks(tk).fetch();
    await c.trunking.v1.trunks(tk).phoneNumbers.create({ phoneNumberSid: bought.sid });
    await c.trunking.v1.trunks(tk).phoneNumbers(bought.sid).fetch();
    await c.trunking.v1.trunks(tk).phoneNumbers.list({ pageSize: 5 });
    await c.trunking.v1.trunks(tk).phoneNumbers(bought.sid).remove();
    await c.trunking.v1.trunks(tk).originationUrls.list();
    await c.trunking.v1.trunks(tk).originationUrls.create({ weight: 10, priority: 10, enabled: true, friendlyName: 'req', sipUrl: 'sip:req.sip.retellai.com' });
    await c.trunking.v1.trunks(tk).credentialsLists.list();
    const cl = await c.sip.credentialLists.create({ friendlyName: 'req list' });
    await c.trunking.v1.trunks(tk).credentialsLists.create({ credentialListSid: cl.sid });
    await c.sip.credentialLists.list();
    await c.sip.credentialLists(cl.sid).fetch();
    const cr = await c.sip.credentialLists(cl.sid).credentials.create({ username: 'req_user', password: 'Request-Passw0rd' });
    await c.sip.credentialLists(cl.sid).credentials.list();
    await c.sip.credentialLists(cl.sid).credentials(cr.sid).fetch();
    for (const sid of [bought.sid, byArea.sid, local.sid, tf.sid]) await c.incomingPhoneNumbers(sid).remove();

    const log = h.requests();
    expect(log.every((e) => e.status < 400), JSON.stringify(log.filter((e) => e.status >= 400))).toBe(true);
    expect(log.flatMap(checkRequest)).toEqual([]);
    const pw = log.find((e) => e.path.endsWith('/Credentials.json') && e.method === 'POST');
    expect(pw?.body).toEqual({ Username: 'req_user', Password: '***' });
  });

  it('retell-sdk 5.66.1: paths, methods, query parameters and JSON bodies', async () => {
    h.clearRequests();
    const r = retellClient(h);
    const page = await r.phoneNumber.list({ limit: 3, sort_order: 'ascending' });
    await r.phoneNumber.list({ limit: 3, pagination_key: page.pagination_key as string });
    await r.phoneNumber.retrieve('+14155550101');
    await r.phoneNumber.import({
      phone_number: '+14155550193', termination_uri: 'acme-main.pstn.twilio.com', sip_trunk_auth_username: 'retell_user', sip_trunk_auth_password: 'pw',
      inbound_agents: [{ agent_id: 'agent_stg_custsvc_4f2a9c', weight: 1 }], outbound_agents: [{ agent_id: 'agent_stg_custsvc_4f2a9c', weight: 1 }],
      nickname: 'req', transport: 'TCP',
    });
    await r.phoneNumber.update('+14155550193', {
      inbound_agents: [{ agent_id: 'agent_stg_sales_7c3e1a', agent_version: 4, weight: 1 }], nickname: 'renamed', termination_uri: 'acme-main.pstn.twilio.com', auth_username: 'retell_user', auth_password: 'pw2',
    });
    await r.phoneNumber.delete('+14155550193');
    await r.phoneNumber.create({ area_code: 650, nickname: 'bought', inbound_agents: [{ agent_id: 'agent_stg_sales_7c3e1a', weight: 1 }] });
    await r.agent.list({ limit: 2 });
    await r.agent.list({ filter_criteria: { channel: { type: 'string', op: 'eq', value: 'voice' } } });
    await r.agent.retrieve('agent_stg_custsvc_4f2a9c', { version: 3 });

    const log = h.requests();
    expect(log.every((e) => e.status < 400 && e.workspace === 'staging')).toBe(true);
    expect(log.flatMap(checkRequest)).toEqual([]);
    const imp = log.find((e) => e.path === '/retell/import-phone-number');
    expect(imp?.body).toMatchObject({ sip_trunk_auth_password: '***', sip_trunk_auth_username: 'retell_user' });
  });

  it('every operation in the trimmed documents is served by the emulator', async () => {
    // A request the emulator routes never answers with the generic "unknown route" body.
    const served = allOperations().filter((op) => {
      const [method, template] = op.split(' ') as [string, string];
      const prefix = template.startsWith('/2010') || template.startsWith('/v1/Trunks') ? '/twilio' : '/retell';
      return findOperation(method, prefix + template.replace(/\{[^}]+\}/g, 'X')) !== undefined;
    });
    expect(served).toEqual(allOperations());
    for (const op of allOperations()) {
      const [method, template] = op.split(' ') as [string, string];
      const isTwilio = template.startsWith('/2010') || template.startsWith('/v1/');
      const path = (isTwilio ? '/twilio' : '/retell') + template
        .replace('{AccountSid}', h.credentials.twilio.accountSid)
        .replace('{CountryCode}', 'US')
        .replace(/\{[^}]+\}/g, 'XX00000000000000000000000000000000');
      const res = await fetch(`${h.url}${path}`, {
        method,
        headers: {
          authorization: isTwilio
            ? `Basic ${Buffer.from(`${h.credentials.twilio.accountSid}:${h.credentials.twilio.authToken}`).toString('base64')}`
            : `Bearer ${h.credentials.retell.staging}`,
          'content-type': isTwilio ? 'application/x-www-form-urlencoded' : 'application/json',
        },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: isTwilio ? '' : '{}' }),
      });
      const text = await res.text();
      expect([404, 405].includes(res.status) && /Cannot |Method not allowed/.test(text) && !/XX0/.test(text), `${op} is not routed: ${res.status} ${text}`).toBe(false);
    }
  });
});
