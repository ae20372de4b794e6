/**
 * The Vapi workspace end to end, through the built CLI against the sandbox over HTTP: pool assign and
 * release bind and unbind `assistantId`, number import / update / delete change Vapi and the files
 * together, and afterwards Vapi's own state and the directory agree (sync --check finds nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInSync, expectValid, ok, startProject, type Project } from './helpers.js';

const WS = 'vapi-support';
const SIP_DOMAIN = 'phone-dir-sandbox.sip.signalwire.com';
const SALES = 'e75fe980-bd55-4ce1-9970-bf61c8349efd'; // agents/sales-agent/vapi-support.json
const SUPPORT = '852464d6-3b1f-4e89-80f8-249cf2e56bbe'; // agents/support-tier1/vapi-support.json

/** What the emulated Vapi organisation holds for one E.164 number. */
function vapiNumber(p: Project, phone: string) {
  const org = p.sb.state.vapi.get(WS)!;
  return [...org.numbers.values()].find((n) => n.number === phone) ?? null;
}

describe('a Vapi workspace beside Retell and a SignalWire account beside Twilio', () => {
  let p: Project;
  beforeAll(async () => {
    p = await startProject({
      pools: { support: { workspace: WS, provision: { carrier: 'signalwire', termination_uri: SIP_DOMAIN } } },
    });
  }, 60_000);
  afterAll(() => p.close());

  it('sync records each number of the workspace with its carrier, its Vapi id and its platform', async () => {
    const numbers = await p.readJson(`phone-numbers/${WS}/numbers.json`);
    expect(numbers.platform).toBe('vapi');
    const byNumber = new Map<string, { provider: string; import_method: string; vapi_phone_number_id?: string }>(numbers.numbers.map((n: { phone_number: string }) => [n.phone_number, n]));
    // Every provider type Vapi has, except the SIP-URI-only number phone-dir cannot key by E.164.
    expect([...byNumber.keys()].sort()).toEqual(['+13125550402', '+14155550401', '+16285550100', '+16285550101', '+16285550102', '+16505550194', '+442071838750']);
    expect(byNumber.get('+16285550100')).toMatchObject({ provider: 'signalwire', import_method: 'sip-trunk' });
    expect(byNumber.get('+16505550194')).toMatchObject({ provider: 'twilio', import_method: 'carrier-api' });
    expect(byNumber.get('+14155550401')).toMatchObject({ provider: 'vapi', import_method: 'direct-purchase' });
    expect(byNumber.get('+442071838750')).toMatchObject({ provider: 'vonage', import_method: 'carrier-api' });
    for (const [phone, entry] of byNumber) expect(entry.vapi_phone_number_id, phone).toBe(vapiNumber(p, phone)!.id);
    const directory = await p.readJson('phone-numbers/directory.json');
    expect(directory.numbers['+16285550100'].signalwire.phone_number_sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(directory.numbers['+16285550100'].twilio).toBeNull();
    await expectValid(p);
    await expectInSync(p);
  });

  it('every reading command shows the carrier and the platform', async () => {
    const show = await ok(p.run(['show', '+16285550100']));
    expect(show.stdout).toContain('SignalWire Configuration:');
    expect(show.stdout).toMatch(/ {2}Vapi-support:\n.*\n {4}Platform: Vapi\n/);
    const list = await ok(p.run(['list', '--workspace', WS]));
    expect(list.stdout.split('\n').find((l) => l.startsWith('+16285550101'))).toMatch(/\bsignalwire\b.*\bvapi-support\b\s+Vapi\b/);
    const listed = await p.json(['list', '--workspace', WS]);
    expect(listed.every((n: { workspaces: Record<string, { platform: string }> }) => n.workspaces[WS]!.platform === 'vapi')).toBe(true);
    const signalwire = await p.json(['search', '--provider', 'signalwire']);
    expect(signalwire.map((n: { phone_number: string }) => n.phone_number)).toContain('+16285550105');
    expect(signalwire.every((n: { provider: string }) => n.provider === 'signalwire')).toBe(true);
    const onVapi = await p.json(['search', '--platform', 'vapi']);
    expect(onVapi).toHaveLength(7);
    const report = await p.json(['report']);
    expect(report.by_platform).toEqual({ retell: { workspaces: 2, numbers: 29, assigned: 26 }, vapi: { workspaces: 1, numbers: 7, assigned: 5 } });
    expect(report.by_provider.signalwire).toBe(12);
    const diff = await ok(p.run(['diff', 'production', WS]));
    expect(diff.stdout).toMatch(/^production is on Retell, vapi-support on Vapi\.$/m);
    expect(diff.stdout).toMatch(/^Only in vapi-support \(7\):$/m);
  });

  it('pool assign binds the assistant (inbound-only), release unbinds it; an outbound type is exit 2', async () => {
    await ok(p.run(['number', 'update', '+16285550102', '--workspace', WS, '--pool', 'support']));
    const before = p.sb.requests().length;
    const refused = await p.run(['pool', 'assign', '--workspace', WS, '--agent', 'agents/sales-agent', '--type', 'outbound-only']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/Vapi binds an agent to a number for inbound calls only/);
    expect(p.sb.requests().length).toBe(before);

    const assigned = await p.json(['pool', 'assign', '--workspace', WS, '--agent', 'agents/sales-agent']);
    expect(assigned).toMatchObject({ workspace: WS, phone_number: '+16285550102', agent_path: 'agents/sales-agent', agent_id: SALES, assignment_type: 'inbound-only' });
    expect(vapiNumber(p, '+16285550102')!.assistantId).toBe(SALES);
    await expectInSync(p);

    await ok(p.run(['pool', 'release', '+16285550102', '--workspace', WS]));
    expect(vapiNumber(p, '+16285550102')!.assistantId).toBeNull();
    const assignments = await p.readJson(`phone-numbers/${WS}/assignments.json`);
    expect(assignments.assignments.some((a: { phone_number: string }) => a.phone_number === '+16285550102')).toBe(false);
    await expectValid(p);
    await expectInSync(p);
  });

  it('number update changes the assistant; an outbound agent is exit 2 and changes nothing', async () => {
    await ok(p.run(['number', 'update', '+16285550100', '--workspace', WS, '--inbound-agent', 'agents/sales-agent', '--nickname', 'Sales overflow']));
    expect(vapiNumber(p, '+16285550100')).toMatchObject({ assistantId: SALES, name: 'Sales overflow' });
    const outbound = await p.run(['number', 'update', '+16285550100', '--workspace', WS, '--outbound-agent', 'agents/sales-agent']);
    expect(outbound.exitCode).toBe(2);
    expect(outbound.stderr).toMatch(/inbound calls only/);
    await expectInSync(p);
  });

  it('number import brings a SignalWire number in over SIP and a Twilio number through its carrier API; delete unlinks it', async () => {
    await ok(p.run(['number', 'import', '+16285550103', SIP_DOMAIN, '--workspace', WS, '--inbound-agent', 'agents/support-tier1', '--username', 'vapi_signalwire', '--password-env', 'POOL_SIP_PASSWORD']));
    const imported = vapiNumber(p, '+16285550103')!;
    expect(imported).toMatchObject({ provider: 'byo-phone-number', assistantId: SUPPORT });
    // The SIP password went to Vapi, never to a file.
    const numbers = await p.readJson(`phone-numbers/${WS}/numbers.json`);
    expect(JSON.stringify(numbers)).not.toContain('Sandbox-Main-Passw0rd');
    expect(numbers.numbers.find((n: { phone_number: string }) => n.phone_number === '+16285550103')).toMatchObject({ provider: 'signalwire', import_method: 'sip-trunk', vapi_phone_number_id: imported.id });

    // A Twilio number needs no termination URI: Vapi imports it with the account's own credentials.
    await ok(p.run(['number', 'import', '+12125550192', '--workspace', WS]));
    expect(vapiNumber(p, '+12125550192')).toMatchObject({ provider: 'twilio', twilioAccountSid: p.env.TWILIO_ACCOUNT_SID });
    const noUri = await p.run(['number', 'import', '+16285550104', '--workspace', WS]);
    expect(noUri.exitCode).toBe(2);
    expect(noUri.stderr).toMatch(/<termination-uri> is required/);
    await expectValid(p);
    await expectInSync(p);

    const deleted = await p.json(['number', 'delete', '+16285550103', '--workspace', WS, '--yes']);
    expect(deleted).toMatchObject({ phone_number: '+16285550103', workspaces: [WS], remains: true });
    expect(vapiNumber(p, '+16285550103')).toBeNull();
    const again = await p.run(['number', 'delete', '+16285550103', '--workspace', WS, '--yes']);
    expect(again.exitCode).toBe(4);
    await expectInSync(p);
  });

  it('pool provision buys from the pool\'s carrier (SignalWire: no trunk) and imports into Vapi over SIP', async () => {
    p.sb.clearRequests();
    const bought = await p.json(['pool', 'provision', '--workspace', WS, '--pool', 'support', '--count', '1', '--yes', '--area-code', '628']);
    expect(bought.bought).toHaveLength(1);
    const phone = bought.bought[0].phone_number as string;
    expect(bought.route).toMatchObject({ carrier: 'signalwire', trunk_sid: null, termination_uri: SIP_DOMAIN });
    expect(p.sb.requests().some((r) => r.path.includes('/Trunks'))).toBe(false);
    expect(vapiNumber(p, phone)).toMatchObject({ provider: 'byo-phone-number', assistantId: null });
    const entry = (await p.readJson('phone-numbers/directory.json')).numbers[phone];
    expect(entry).toMatchObject({ provider: 'signalwire', pool: 'support', status: 'active' });
    const assigned = await p.json(['pool', 'assign', '--workspace', WS, '--agent', 'agents/appointment-setter', '--number', phone]);
    expect(assigned.assignment_type).toBe('inbound-only');
    await expectValid(p);
    await expectInSync(p);
  });
});
