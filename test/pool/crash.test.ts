/**
 * kill -9 in the middle of a provider call, and ambiguous provider failures: no number is bought twice,
 * none is lost, the next command settles what was left, and validate passes afterwards.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { startProject, ok, expectValid, expectInSync, purchases, retellAgents, twilioHas, directoryEntries, runtimeState, runtimeFile, writeRuntimeState, waitFor, TRUNK_MAIN, MAIN_CREDENTIALS, STAGING_SALES, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const PURCHASE = 'POST /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers.json';

describe('crashes and ambiguous failures', () => {
  let p: Project;
  beforeAll(async () => {
    p = await startProject({ pools: { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['212'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } } });
  }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('kill -9 during a purchase: the next command finds it bought, finishes it and records it; bought once', async () => {
    p.sb.faults.add({ match: PURCHASE, latency_ms: 1500, times: 1 });
    const proc = p.spawn(['pool', 'provision', '--workspace', 'staging', '--count', '1', '--yes']);
    const intent = await waitFor('the purchase intent', async () => (await runtimeState(p))?.intents?.[0]);
    await new Promise((r) => setTimeout(r, 400)); // the purchase request is in flight (the sandbox holds it 1.5 s)
    proc.kill('SIGKILL');
    await proc;
    const phone = intent.phone_number as string;
    // The sandbox finishes the purchase although the client is gone: bought, but not recorded.
    await waitFor('the purchase to land', () => twilioHas(p.sb, phone));
    expect((await directoryEntries(p))[phone]).toBeUndefined();
    expect((await runtimeState(p))?.intents.map((i: any) => i.phone_number)).toEqual([phone]);

    // Any pool command settles it (here: one with nothing else to do).
    const next = await p.run(['pool', 'release', '--expired']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/it was bought; finished and recorded it/);
    expect(purchases(p.sb).get(phone)).toBe(1);
    expect(p.sb.state.twilio.findByPhone(phone)?.trunkSid).toBe(TRUNK_MAIN);
    expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [], outbound: [] });
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: 'sales', status: 'active', workspaces: { staging: { assignment_type: 'unassigned' } } });
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
    await expectInSync(p);
  }, 30_000);

  it('an ambiguous purchase failure (5xx) keeps the intent: looked up again while the sale may land, dropped with a warning after its window', async () => {
    p.sb.faults.add({ match: PURCHASE, status: 500, times: 1 });
    const before = new Map(purchases(p.sb));
    const r = await p.run(['pool', 'provision', '--workspace', 'staging', '--count', '1', '--yes', '--json']);
    expect(r.exitCode).toBe(5);
    const out = JSON.parse(r.stdout);
    expect(out.bought).toEqual([]);
    expect(out.failed).toEqual([expect.objectContaining({ pending: true })]);
    const phone = out.failed[0].phone_number as string;
    expect((await runtimeState(p))?.intents.map((i: any) => i.phone_number)).toEqual([phone]);
    expect(twilioHas(p.sb, phone)).toBe(false);

    const next = await p.run(['pool', 'health']); // a reading command settles nothing
    expect(next.exitCode).toBe(0);
    expect((await runtimeState(p))?.intents).toHaveLength(1);
    // Not at Twilio (yet): the outcome is still unknown, so the intent stays for the next command.
    const early = await p.run(['pool', 'release', '--expired']);
    expect(early.exitCode, early.stderr).toBe(0);
    expect(early.stderr).toMatch(new RegExp(`purchase of \\${phone}.*not at Twilio yet; the next phone-dir command \\(or sync\\) looks again, until `));
    expect((await runtimeState(p))?.intents.map((i: any) => i.phone_number)).toEqual([phone]);
    // Once its window has passed (here: made 2 hours old), "not at Twilio" means not bought: dropped, with what to check.
    const state = (await runtimeState(p))!;
    state.intents[0].created = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await writeRuntimeState(p, state);
    const settle = await p.run(['pool', 'release', '--expired']);
    expect(settle.exitCode, settle.stderr).toBe(0);
    expect(settle.stderr).toMatch(new RegExp(`purchase of \\${phone}.*not at Twilio after 30 minutes, taken as not bought; dropped it. If the Twilio console lists \\${phone}, phone-dir sync adds it`));
    expect(existsSync(runtimeFile(p))).toBe(false);
    expect(twilioHas(p.sb, phone)).toBe(false);
    // The one attempt was never repeated blindly: the only request for it is the failed one.
    expect((purchases(p.sb).get(phone) ?? 0) - (before.get(phone) ?? 0)).toBe(1);
    // And provisioning works again.
    const again = await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '1', '--yes']);
    expect(again.bought).toHaveLength(1);
    await expectValid(p);
    await expectInSync(p);
  }, 60_000);

  it('a sale that lands after the command gave up: the intent stays until it is found, and sync adopts the number into its pool', async () => {
    // The client's connection is dropped; Twilio completes the purchase when the test releases the fault.
    const lateSale = p.sb.faults.add({ match: PURCHASE, drop: true, commit_after_ms: 0, hold: true, times: 1 });
    const r = await p.run(['pool', 'provision', '--workspace', 'staging', '--count', '1', '--yes', '--json']);
    expect(r.exitCode).toBe(5);
    const phone = JSON.parse(r.stdout).failed[0].phone_number as string;
    expect(twilioHas(p.sb, phone)).toBe(false);

    // A command at once looks it up, does not find it yet, and keeps the intent (the bug: it dropped it).
    const early = await p.run(['pool', 'release', '--expired']);
    expect(early.exitCode, early.stderr).toBe(0);
    expect(twilioHas(p.sb, phone)).toBe(false); // still before the sale: this run saw "not found"
    expect(early.stderr).toMatch(/not at Twilio yet/);
    expect((await runtimeState(p))?.intents.map((i: any) => i.phone_number)).toEqual([phone]);

    p.sb.faults.release(lateSale.id);
    await waitFor('the late sale', () => twilioHas(p.sb, phone), 20_000);
    const sync = await p.run(['sync', '--all']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(sync.stderr).toMatch(/it was bought; finished and recorded it as available/);
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: 'sales', status: 'active', workspaces: { staging: { assignment_type: 'unassigned' } } });
    expect(p.sb.state.twilio.findByPhone(phone)?.trunkSid).toBe(TRUNK_MAIN);
    expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [], outbound: [] });
    expect(purchases(p.sb).get(phone)).toBe(1);
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
    await expectInSync(p);
  }, 60_000);

  it('kill -9 during the Retell call of an assign: the next command records what Retell did', async () => {
    const entries = await directoryEntries(p);
    const free = Object.values(entries).filter((e: any) => e.pool === 'sales' && e.workspaces.staging.assignment_type === 'unassigned');
    expect(free.length).toBeGreaterThanOrEqual(1);
    p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', latency_ms: 1500, times: 1 });
    const proc = p.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--hold', '3h']);
    const res = await waitFor('the reservation', async () => (await runtimeState(p))?.reservations?.[0]);
    await new Promise((r) => setTimeout(r, 400));
    proc.kill('SIGKILL');
    await proc;
    const phone = res.phone_number as string;
    await waitFor('Retell to apply the update', () => retellAgents(p.sb, 'staging', phone)?.inbound.length === 1);
    expect((await directoryEntries(p))[phone].workspaces.staging.assignment_type).toBe('unassigned');

    // Meanwhile the number is never handed out again (the dead reservation blocks it until settled)…
    const other = await p.json(['pool', 'assign', '--workspace', 'staging', '--agent', 'support-tier1']);
    expect(other.phone_number).not.toBe(phone);
    // …and that command settled it: recorded as Retell has it, with the hold the dead command asked for.
    const a = (await p.readJson('phone-numbers/staging/assignments.json')).assignments.find((x: any) => x.phone_number === phone);
    expect(a).toMatchObject({ agent_id: STAGING_SALES, agent_path: 'agents/sales-agent', assignment_type: 'inbound-outbound' });
    expect(Date.parse(a.release_at) - Date.now()).toBeGreaterThan(2.9 * 3_600_000);
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
    await expectInSync(p);
  }, 30_000);

  it('kill -9 while an assign holds its reservation before Retell answers with an error: nothing is recorded', async () => {
    // Retell refuses the update after the process is gone: the settling command records Retell's (unchanged) state.
    await ok(p.run(['pool', 'provision', '--workspace', 'staging', '--count', '2', '--yes']));
    p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', latency_ms: 1200, status: 400, times: 1 });
    const proc = p.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent']);
    const res = await waitFor('the reservation', async () => (await runtimeState(p))?.reservations?.[0]);
    await new Promise((r) => setTimeout(r, 300));
    proc.kill('SIGKILL');
    await proc;
    await new Promise((r) => setTimeout(r, 1200));
    const settle = await p.run(['pool', 'hold', res.phone_number, '-w', 'staging', '--until', '1h']);
    expect(settle.exitCode).toBe(4); // settled first, then: it is not assigned, so there is no hold to set
    expect((await directoryEntries(p))[res.phone_number].workspaces.staging.assignment_type).toBe('unassigned');
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
    await expectInSync(p);
  }, 30_000);

  it('Retell failing an assign rolls the reservation back: nothing changes locally, exit 5', async () => {
    const before = await p.readJson('phone-numbers/staging/assignments.json');
    p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', status: 503, times: 10 });
    const r = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent'], { env: { PHONE_DIR_MAX_ATTEMPTS: '2' } });
    p.sb.faults.clear();
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/retell/i);
    expect(await p.readJson('phone-numbers/staging/assignments.json')).toEqual(before);
    expect(existsSync(runtimeFile(p))).toBe(false);
    await expectValid(p);
  }, 30_000);
});
