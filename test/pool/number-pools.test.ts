/**
 * number import / update / delete keep pool membership valid: a number that leaves its pool's workspace
 * leaves the pool, on every path (one workspace or several, --release, a hold, a provider failure half way,
 * kill -9), and `number update --pool none` repairs a directory that is already broken this way.
 * validate exits 0 after every mutating step.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { startProject, ok, expectValid, expectInSync, directoryEntries, runtimeState, waitFor, twilioHas, writePools, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = { 'sales-pool': { workspace: 'staging', min_available: 0 }, 'prod-pool': { workspace: 'production', min_available: 0 } };

async function poolOf(p: Project, phone: string): Promise<string | null | undefined> {
  return (await directoryEntries(p))[phone]?.pool;
}

async function validateErrors(p: Project): Promise<string[]> {
  return JSON.parse((await p.run(['validate', '--json'])).stdout).errors.map((e: any) => e.rule);
}

/** Puts `phone` (a production number) in pool legacy, then moves legacy to staging by a hand edit of pools.json: broken. */
async function leaveInPoolOfAnotherWorkspace(p: Project, phone: string): Promise<void> {
  await writePools(p, { ...POOLS, legacy: { workspace: 'production', min_available: 0 } });
  await ok(p.run(['number', 'update', phone, '-w', 'production', '--pool', 'legacy']));
  await writePools(p, { ...POOLS, legacy: { workspace: 'staging', min_available: 0 } });
  expect(await validateErrors(p)).toEqual(['pool-workspace']);
}

/** Puts a staging number in sales-pool, then kills `number delete` once Retell has its delete request (Retell still carries it out). */
async function killAfterRetellDelete(p: Project, phone: string, flags: string[]): Promise<void> {
  await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']));
  const slow = p.sb.faults.add({ match: 'DELETE /retell/delete-phone-number/*', latency_ms: 1500, times: 1 });
  const proc = p.spawn(['number', 'delete', phone, '-w', 'staging', ...flags, '--yes']);
  await waitFor('the reservation', async () => (await runtimeState(p))?.reservations?.[0]);
  // The fault retires when the request reaches the sandbox, which then holds it 1.5 s: kill the client meanwhile.
  await waitFor('the Retell delete to arrive', () => !p.sb.faults.list().some((f) => f.id === slow.id));
  proc.kill('SIGKILL');
  await proc;
  await waitFor('the sandbox to finish the delete', () => !p.sb.state.retell.get('staging')!.numbers.has(phone));
}

describe('number delete takes a number out of the pool of the workspace it leaves', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('a pooled number deleted from its only workspace leaves the pool (it stays a Twilio number)', async () => {
    const phone = '+14155550105'; // staging only, unassigned
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']));
    const r = await p.json(['number', 'delete', phone, '-w', 'staging', '--yes']);
    expect(r).toMatchObject({ workspaces: ['staging'], remains: true, left_pool: 'sales-pool' });
    expect(await poolOf(p, phone)).toBeNull();
    await expectValid(p);
    await expectInSync(p);
    const join = await p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']);
    expect(join.exitCode).toBe(4); // it cannot join the pool of a workspace it is not in
    expect(join.stderr).toContain(`${phone} is not imported into staging`);
  });

  it('in several workspaces: deleting it elsewhere keeps it in the pool; deleting it from the pool\'s workspace takes it out', async () => {
    const phone = '+14155550101'; // staging and production
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']));
    const elsewhere = await p.json(['number', 'delete', phone, '-w', 'production', '--yes']);
    expect(elsewhere).toMatchObject({ workspaces: ['production'], left_pool: null });
    expect(await poolOf(p, phone)).toBe('sales-pool');
    await expectValid(p);
    const text = await ok(p.run(['number', 'delete', phone, '-w', 'staging', '--yes']));
    expect(text.stdout).toContain(`deleted ${phone} from staging; it left pool sales-pool`);
    expect(await poolOf(p, phone)).toBeNull();
    await expectValid(p);
    await expectInSync(p);
  });

  it('a number kept in another workspace\'s pool leaves it when deleted from that workspace, and stays where it is', async () => {
    const phone = '+14155550102'; // staging and production
    await ok(p.run(['number', 'update', phone, '-w', 'production', '--pool', 'prod-pool']));
    const r = await p.json(['number', 'delete', phone, '-w', 'production', '--yes']);
    expect(r).toMatchObject({ left_pool: 'prod-pool', remains: true });
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: null, workspaces: { staging: { assignment_type: 'inbound-outbound' } } });
    await expectValid(p);
    await expectInSync(p);
  });

  it('--release of a pooled number: out of every workspace and the directory', async () => {
    const phone = '+14155550103'; // staging only
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']));
    const r = await p.json(['number', 'delete', phone, '-w', 'staging', '--release', '--yes']);
    expect(r).toMatchObject({ released: true, remains: false, left_pool: 'sales-pool' });
    expect((await directoryEntries(p))[phone]).toBeUndefined();
    await expectValid(p);
    await expectInSync(p);
  });

  it('a held pool number: delete drops the hold with the assignment and the pool', async () => {
    const phone = '+14155550110'; // staging only, support inbound
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--inbound-agent', 'none', '--outbound-agent', 'none', '--pool', 'sales-pool']));
    const assigned = await p.json(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--pool', 'sales-pool', '--number', phone, '--hold', '2h']);
    expect(assigned.release_at).toBeTruthy();
    await expectValid(p);
    const r = await p.json(['number', 'delete', phone, '-w', 'staging', '--yes']);
    expect(r).toMatchObject({ left_pool: 'sales-pool', affected_agents: [expect.objectContaining({ agent_path: 'agents/sales-agent' })] });
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: null, workspaces: {} });
    await expectValid(p);
    await expectInSync(p);
  });

  it('--release failing at Twilio after Retell: what happened is recorded, and the number leaves its pool', async () => {
    const phone = '+14155550109'; // staging only
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']));
    p.sb.faults.add({ match: 'DELETE /twilio/2010-04-01/Accounts/*/IncomingPhoneNumbers/*', status: 400, times: 1 });
    const r = await p.run(['number', 'delete', phone, '-w', 'staging', '--release', '--yes']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/removed from staging first; recorded/);
    expect(twilioHas(p.sb, phone)).toBe(true);
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: null, workspaces: {} });
    await expectValid(p);
    await expectInSync(p);
  });

  it('kill -9 during the Retell delete: the next command records it, and the number leaves its pool', async () => {
    const phone = '+14155550108'; // staging only
    await killAfterRetellDelete(p, phone, []);
    expect(await poolOf(p, phone)).toBe('sales-pool'); // not recorded yet
    const next = await ok(p.run(['pool', 'release', '--expired']));
    expect(next.stderr).toContain(`settled an interrupted number delete (delete) of ${phone}: recorded what Retell now says`);
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: null, workspaces: {} });
    await expectValid(p);
    await expectInSync(p);
  }, 30_000);

  it('kill -9 of delete --release after Retell, before Twilio: the next command finishes the release', async () => {
    const phone = '+14155550106'; // staging only
    await killAfterRetellDelete(p, phone, ['--release']); // the command never reaches Twilio
    expect(twilioHas(p.sb, phone)).toBe(true);
    const next = await ok(p.run(['pool', 'release', '--expired']));
    expect(next.stderr).toContain(`settled an interrupted number delete (delete) of ${phone}: finished it (released it at Twilio); recorded what Retell and Twilio now say`);
    expect(twilioHas(p.sb, phone)).toBe(false);
    expect((await directoryEntries(p))[phone]).toBeUndefined();
    const { records } = await p.json(['pool', 'audit', '--number', phone]);
    expect(records.filter((r: any) => r.operation === 'delete')).toHaveLength(1);
    expect(records.find((r: any) => r.operation === 'delete')).toMatchObject({ result: 'deleted', pool: 'sales-pool', detail: { finished_by_settle: 'released it at Twilio', released_at_carrier: true } });
    await expectValid(p);
    await expectInSync(p);
  }, 30_000);

  it('kill -9 of delete --release before Retell let the number go: the next command deletes it there, then releases it', async () => {
    const phone = '+16505550122'; // staging only
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales-pool']));
    const failing = p.sb.faults.add({ match: 'DELETE /retell/delete-phone-number/*', status: 503 });
    const proc = p.spawn(['number', 'delete', phone, '-w', 'staging', '--release', '--yes']);
    await waitFor('the Retell delete to be refused', () => p.sb.faults.list().find((f) => f.id === failing.id)!.hits > 0);
    proc.kill('SIGKILL'); // while it waits to retry
    await proc;
    p.sb.faults.remove(failing.id);
    expect(p.sb.state.retell.get('staging')!.numbers.has(phone)).toBe(true);
    const next = await ok(p.run(['sync', '--all']));
    expect(next.stderr).toContain(`settled an interrupted number delete (delete) of ${phone}: finished it (deleted it from staging, released it at Twilio)`);
    expect(p.sb.state.retell.get('staging')!.numbers.has(phone)).toBe(false);
    expect(twilioHas(p.sb, phone)).toBe(false);
    expect((await directoryEntries(p))[phone]).toBeUndefined();
    await expectValid(p);
    await expectInSync(p);
  }, 30_000);
});

describe('number import and update keep pool membership valid', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('import into a second workspace keeps the pool of the first; deleting from the first then takes it out', async () => {
    const phone = '+14155550193'; // on the main trunk, imported nowhere
    await ok(p.run(['number', 'import', phone, 'acme-main.pstn.twilio.com', '-w', 'production', '--pool', 'prod-pool']));
    await expectValid(p);
    expect((await p.run(['number', 'import', phone, 'acme-main.pstn.twilio.com', '-w', 'staging', '--pool', 'prod-pool'])).exitCode).toBe(2); // another workspace's pool
    await ok(p.run(['number', 'import', phone, 'acme-main.pstn.twilio.com', '-w', 'staging']));
    expect(await poolOf(p, phone)).toBe('prod-pool');
    await expectValid(p);
    expect((await p.json(['number', 'delete', phone, '-w', 'production', '--yes'])).left_pool).toBe('prod-pool');
    expect((await directoryEntries(p))[phone]).toMatchObject({ pool: null, workspaces: { staging: { assignment_type: 'unassigned' } } });
    await expectValid(p);
    await expectInSync(p);
  });

  it('update --pool none repairs a number left in the pool of a workspace that lost it (exit 0, then validate passes)', async () => {
    const phone = '+16505550123'; // production only
    await leaveInPoolOfAnotherWorkspace(p, phone);
    const before = await readFile(p.file('phone-numbers/directory.json'), 'utf8');
    const join = await p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'legacy']);
    expect(join.exitCode).toBe(4); // joining a pool needs the number in the pool's workspace
    expect(join.stderr).toContain(`${phone} is not imported into staging`);
    expect(await readFile(p.file('phone-numbers/directory.json'), 'utf8')).toBe(before);
    const r = await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'none']));
    expect(r.stdout).toContain(`updated ${phone} in staging: not imported there`);
    expect(await poolOf(p, phone)).toBeNull();
    await expectValid(p);
    await expectInSync(p);
  });

  it('any update of such a number repairs it too (here --status in the workspace it is in)', async () => {
    const phone = '+16505550124'; // production only
    await leaveInPoolOfAnotherWorkspace(p, phone);
    expect(await p.json(['number', 'update', phone, '-w', 'production', '--status', 'protected'])).toMatchObject({ pool: null, status: 'protected' });
    await expectValid(p);
  });

  it('update --pool none repairs a number in no workspace that a hand edit put in a pool', async () => {
    const phone = '+16505550191'; // a Twilio number imported nowhere
    const directory = await p.readJson('phone-numbers/directory.json');
    directory.numbers[phone].pool = 'sales-pool';
    await writeFile(p.file('phone-numbers/directory.json'), `${JSON.stringify(directory, null, 2)}\n`);
    expect(await validateErrors(p)).toEqual(['pool-workspace']);
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'none']));
    expect(await poolOf(p, phone)).toBeNull();
    await expectValid(p);
  });

  it('a directory-only update of a number another workspace has is still "not imported" (exit 4), changing nothing', async () => {
    const phone = '+16505550125'; // production only, in no pool
    const before = await readFile(p.file('phone-numbers/directory.json'), 'utf8');
    const r = await p.run(['number', 'update', phone, '-w', 'staging', '--tag', 'x']);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain(`${phone} is not imported into staging`);
    expect(await readFile(p.file('phone-numbers/directory.json'), 'utf8')).toBe(before);
  });
});
