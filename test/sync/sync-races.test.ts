/**
 * A sync reads the providers without the lock and applies what it read under the lock. These tests hold the
 * sync's list answers in the sandbox (a `hold` fault: answered from the state at arrival, sent on release),
 * run a command in between, then let the sync finish: what the command recorded must survive.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startProject, ok, expectValid, expectInSync, purchases, TRUNK_MAIN, MAIN_CREDENTIALS, STAGING_SALES, type Project } from '../pool/helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } };
const TWILIO_LIST = 'GET /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json';
const RETELL_LIST = 'GET /retell/v2/list-phone-numbers';

/** Starts `sync --workspace staging`, runs `between` once both provider lists have been answered (and held), then lets the sync finish. */
async function slowSync(p: Project, between: () => Promise<unknown>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const twilio = p.sb.faults.add({ match: TWILIO_LIST, hold: true, times: 1 });
  const retell = p.sb.faults.add({ match: RETELL_LIST, hold: true, times: 1 });
  const sync = p.spawn(['sync', '--workspace', 'staging', '--json']);
  await Promise.all([p.sb.faults.whenHeld(twilio.id), p.sb.faults.whenHeld(retell.id)]);
  try {
    await between();
  } finally {
    p.sb.faults.release(twilio.id);
    p.sb.faults.release(retell.id);
  }
  const r = await sync;
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const entry = async (p: Project, phone: string) => (await p.readJson('phone-numbers/directory.json')).numbers[phone];

describe('a sync never undoes what a command recorded after the sync read the providers', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('keeps the numbers pool ensure bought meanwhile, in their pool, and the next ensure buys nothing', async () => {
    let bought: string[] = [];
    const sync = await slowSync(p, async () => {
      bought = (await p.json(['pool', 'ensure', '--workspace', 'staging', '--min', '2'])).bought.map((b: any) => b.phone_number);
    });
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(bought).toHaveLength(2);
    for (const phone of bought) expect(await entry(p, phone), phone).toMatchObject({ pool: 'sales', workspaces: { staging: { imported: true } } });
    await expectValid(p);
    await expectInSync(p);
    expect((await p.json(['pool', 'ensure', '--workspace', 'staging', '--min', '2'])).bought).toEqual([]);
    expect(purchases(p.sb).size).toBe(2);
  });

  it('does not bring back a number deleted meanwhile, nor drop one imported meanwhile', async () => {
    await ok(p.run(['sync', '--all']));
    const sync = await slowSync(p, async () => {
      await ok(p.run(['number', 'delete', '+14155550105', '--workspace', 'staging', '--yes']));
      await ok(p.run(['number', 'import', '+14155550193', 'acme-main.pstn.twilio.com', '--workspace', 'staging']));
    });
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect((await entry(p, '+14155550105')).workspaces.staging).toBeUndefined();
    expect((await entry(p, '+14155550193')).workspaces.staging).toMatchObject({ imported: true });
    await expectValid(p);
    await expectInSync(p);
  });

  it('keeps an assignment made between release and the sync\'s apply, so the next assign does not hand the number out again', async () => {
    const [number] = (await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '1', '--yes'])).bought.map((b: any) => b.phone_number);
    await ok(p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'support-tier1', '--number', number]));
    await ok(p.run(['pool', 'release', number, '--workspace', 'staging']));
    const sync = await slowSync(p, () => ok(p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--number', number])));
    expect(sync.exitCode, sync.stderr).toBe(0);
    const retell = p.sb.state.retell.get('staging')!.numbers.get(number)!;
    expect(retell.inboundAgents?.map((a) => a.agent_id)).toEqual([STAGING_SALES]);
    expect((await entry(p, number)).workspaces.staging).toMatchObject({ agent_path: 'agents/sales-agent' });
    await expectValid(p);
    await expectInSync(p);
  });
});
