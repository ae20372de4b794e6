/**
 * The pool on the PostgreSQL store, end to end through the built CLI and the sandbox: pool store init/status,
 * assign/release/lease/release --for/hold from two "machines" (two project directories, one database),
 * pool export, sync keeping the store's fields, a kill -9 settled from the other machine, and SQL leases
 * racing CLI assigns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startProject, ok, retellAgents, waitFor, TRUNK_MAIN, MAIN_CREDENTIALS, STAGING_SALES, STAGING_SUPPORT, type Project } from './helpers.js';
import { usePostgres } from '../helpers/postgres.js';
import { cloneMachine, usePostgresStore, type Machine } from './postgres-helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } };

const db = usePostgres();

describe('pool on the PostgreSQL store (two machines, one database)', () => {
  let p: Project;
  let a: Machine;
  let b: Machine;
  let sql: Client;
  let s: string;
  let pool: string[] = [];
  const json = async (m: Machine, args: string[]) => {
    const r = await m.run([...args, '--json']);
    expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  const rows = async () => (await sql.query(`SELECT phone_number, status, assignment, number_status FROM ${s}.pool_numbers ORDER BY phone_number`)).rows;

  beforeAll(async () => {
    sql = await db.connect();
    s = `"${db.schema}"`;
    p = await startProject({ pools: POOLS });
    a = await usePostgresStore(p, db, db.schema);
  }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('pool store init creates the schema (idempotent), status shows it without credentials', async () => {
    const before = await json(a, ['pool', 'store', 'status']);
    expect(before).toMatchObject({ kind: 'postgres', version: 0 });
    const first = await json(a, ['pool', 'store', 'init']);
    expect(first).toMatchObject({ kind: 'postgres', schema: db.schema, from: 0, to: 2, applied: [1, 2] });
    const again = await ok(a.run(['pool', 'store', 'init']));
    expect(again.stdout).toMatch(/is at version 2 already/);
    const status = await ok(a.run(['pool', 'store', 'status', '--debug']));
    expect(status.stdout).toMatch(/postgres \(127\.0\.0\.1:5432\/\S+ schema test_/);
    for (const out of [status.stdout, status.stderr, again.stdout, again.stderr]) {
      expect(out).not.toContain(db.url);
      expect(out).not.toContain(new URL(db.url).password);
    }
  });

  it('provision puts the numbers in the store; a second machine (a copy of the project) sees them', async () => {
    const r = await json(a, ['pool', 'provision', '--workspace', 'staging', '--count', '6', '--yes']);
    pool = r.bought.map((x: any) => x.phone_number).sort();
    expect(pool).toHaveLength(6);
    expect((await rows()).map((x) => [x.phone_number, x.status])).toEqual(pool.map((n) => [n, 'available']));
    b = await cloneMachine(p);
    const status = await json(b, ['pool', 'store', 'status']);
    expect(status.pools).toEqual({ sales: { available: 6 } });
  }, 60_000);

  it('assign on A, then assign on B whose files are behind: two different numbers; B never hands out A\'s', async () => {
    b = await cloneMachine(p); // B's files as they are before A assigns
    const first = await json(a, ['pool', 'assign', '--workspace', 'staging', '--agent', STAGING_SALES, '--hold', '2h']);
    const second = await json(b, ['pool', 'assign', '--workspace', 'staging', '--agent', STAGING_SALES]);
    expect(first.phone_number).not.toBe(second.phone_number);
    const byNumber = new Map((await rows()).map((x) => [x.phone_number, x]));
    expect(byNumber.get(first.phone_number)).toMatchObject({ status: 'assigned', assignment: { agent_id: STAGING_SALES, release_at: first.release_at } });
    expect(byNumber.get(second.phone_number)).toMatchObject({ status: 'assigned' });
    expect(retellAgents(p.sb, 'staging', first.phone_number)!.inbound).toEqual([STAGING_SALES]);
    const holds = await sql.query(`SELECT phone_number, release_at FROM ${s}.holds`);
    expect(holds.rows.map((h) => h.phone_number)).toEqual([first.phone_number]);
    // Every machine counts from the store, whatever its own files say.
    for (const m of [a, b, await cloneMachine(p)]) {
      expect((await json(m, ['pool', 'health'])).pools).toMatchObject([{ pool: 'sales', assigned: 2, available: 4, total: 6 }]);
    }
  }, 60_000);

  it('lease, lease again (same number), hold --for, release --for: in the store only, never in the views', async () => {
    const views = await a.readJson('phone-numbers/directory.json');
    const first = await json(a, ['pool', 'lease', '--pool', 'sales', '--for', 'lead-1']);
    const again = await json(b, ['pool', 'lease', '--pool', 'sales', '--for', 'lead-1']);
    expect(again).toEqual(first);
    // `phone-dir status` on any machine shows the shared store's work in flight, without credentials.
    const status = await b.run(['status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).store).toMatchObject({ kind: 'postgres', shared: true, leases: 1, reservations: 0 });
    expect(status.stdout).not.toContain(new URL(db.url).password);
    expect((await rows()).find((x) => x.phone_number === first.phone_number)).toMatchObject({ status: 'leased' });
    const moved = await json(b, ['pool', 'hold', '--for', 'lead-1', '--until', '3h']);
    expect(Date.parse(moved.release_at) - Date.now()).toBeGreaterThan(2.9 * 3_600_000);
    const leases = await json(a, ['pool', 'leases']);
    expect(leases.leases).toMatchObject([{ ref: 'lead-1', phone_number: first.phone_number, workspace: 'staging', release_at: moved.release_at }]);
    const ended = await json(a, ['pool', 'release', '--for', 'lead-1']);
    expect(ended).toMatchObject({ ref: 'lead-1', phone_number: first.phone_number });
    const row = (await sql.query(`SELECT status, lease_ended FROM ${s}.pool_numbers WHERE phone_number = $1`, [first.phone_number])).rows[0];
    expect(row.status).toBe('available');
    expect(row.lease_ended).not.toBeNull();
    expect((await a.run(['pool', 'release', '--for', 'lead-1'])).exitCode).toBe(4);
    expect(await a.readJson('phone-numbers/directory.json')).toEqual(views);
    const audit = await json(b, ['pool', 'audit', '--limit', '3']);
    expect(audit.records.map((r: any) => [r.operation, r.ref, r.result])).toEqual([['release', 'lead-1', 'released'], ['hold', 'lead-1', 'moved'], ['lease', 'lead-1', 'already-leased']]);
  }, 60_000);

  it('release on B of the number A assigned: unbound at Retell, available in the store; pool export brings it into A\'s views', async () => {
    const assigned = (await rows()).filter((x) => x.status === 'assigned').map((x) => x.phone_number);
    expect(assigned).toHaveLength(2);
    const [phone] = assigned;
    await json(b, ['pool', 'release', phone!, '--workspace', 'staging']);
    expect(retellAgents(p.sb, 'staging', phone!)!.inbound).toEqual([]);
    expect((await rows()).find((x) => x.phone_number === phone)).toMatchObject({ status: 'available', assignment: null });
    const exported = await json(a, ['pool', 'export']);
    expect(exported.updated).toContain(phone);
    const entries = (await a.readJson('phone-numbers/directory.json')).numbers;
    expect(entries[phone!].workspaces.staging.assignment_type).toBe('unassigned');
    expect((await json(a, ['pool', 'export'])).updated).toEqual([]);
    const other = assigned[1]!;
    const onB = (await b.readJson('phone-numbers/directory.json')).numbers;
    expect(onB[other].workspaces.staging.assignment_type).not.toBe('unassigned');
  }, 60_000);

  it('sync keeps the store\'s fields (hold, last_released) and records the platforms\' bindings in the store', async () => {
    const held = (await rows()).find((x) => x.status === 'assigned')!;
    await ok(a.run(['sync', '--all']));
    const after = (await rows()).find((x) => x.phone_number === held.phone_number)!;
    expect(after).toMatchObject({ status: 'assigned', assignment: { agent_id: held.assignment.agent_id, release_at: held.assignment.release_at } });
    const entries = (await a.readJson('phone-numbers/directory.json')).numbers;
    expect(entries[held.phone_number].workspaces.staging.agent_id).toBe(held.assignment.agent_id);
    // An agent unbound at the platform by hand: sync records it in the store too.
    p.sb.state.retell.get('staging')!.numbers.get(held.phone_number)!.inboundAgents = [];
    p.sb.state.retell.get('staging')!.numbers.get(held.phone_number)!.outboundAgents = [];
    await ok(b.run(['sync', '--all']));
    expect((await rows()).find((x) => x.phone_number === held.phone_number)).toMatchObject({ status: 'available', assignment: null });
  }, 60_000);

  const reservationRows = async () => (await sql.query(`SELECT phone_number FROM ${s}.reservations`)).rows;
  const retellPatches = () => p.sb.requests().filter((r) => r.method === 'PATCH' && r.path.includes('/update-phone-number/')).length;

  it('kill -9 of an assign on A while Retell works on it: the next command on B records what Retell did', async () => {
    p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', latency_ms: 1500, times: 1 });
    const patches = retellPatches();
    const proc = a.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--hold', '3h']);
    const reserved = await waitFor('the reservation', async () => (await reservationRows())[0]);
    expect((await rows()).find((x) => x.phone_number === reserved.phone_number)).toMatchObject({ status: 'reserved' });
    await waitFor('the Retell call', () => retellPatches() > patches);
    proc.kill('SIGKILL');
    await proc;
    const phone = reserved.phone_number as string;
    await waitFor('Retell to apply the update', () => retellAgents(p.sb, 'staging', phone)?.inbound.length === 1);
    const other = await json(b, ['pool', 'assign', '--workspace', 'staging', '--agent', 'support-tier1']);
    expect(other.phone_number).not.toBe(phone);
    expect(await reservationRows()).toEqual([]);
    const row = (await rows()).find((x) => x.phone_number === phone)!;
    expect(row).toMatchObject({ status: 'assigned', assignment: { agent_id: STAGING_SALES } });
    expect(Date.parse(row.assignment.release_at) - Date.now()).toBeGreaterThan(2.9 * 3_600_000);
  }, 60_000);

  it('kill -9 of an assign on A as soon as it reserved (before or during its Retell call): B settles it as Retell has it', async () => {
    await json(a, ['pool', 'provision', '--workspace', 'staging', '--count', '2', '--yes']);
    p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', latency_ms: 800, times: 1 });
    const proc = a.spawn(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent']);
    const reserved = await waitFor('the reservation', async () => (await reservationRows())[0]);
    proc.kill('SIGKILL');
    await proc;
    await new Promise((resolve) => setTimeout(resolve, 1000)); // a call in flight lands meanwhile
    const phone = reserved.phone_number as string;
    const other = await json(b, ['pool', 'assign', '--workspace', 'staging', '--agent', 'support-tier1']);
    expect(await reservationRows()).toEqual([]);
    const agents = retellAgents(p.sb, 'staging', phone)!.inbound;
    if (other.phone_number === phone) {
      // A died before Retell heard of it: the number was free again, and B handed it out once.
      expect(agents).toEqual([STAGING_SUPPORT]);
    } else {
      expect((await rows()).find((x) => x.phone_number === phone)).toMatchObject({ status: agents.length ? 'assigned' : 'available' });
    }
  }, 60_000);

  it('phone_dir.lease() from 4 SQL clients and CLI assigns and leases from two machines at once never share a number', async () => {
    await json(a, ['pool', 'provision', '--workspace', 'staging', '--count', '16', '--yes']);
    const free = (await rows()).filter((x) => x.status === 'available').length;
    expect(free).toBeGreaterThanOrEqual(16);
    const clients = await Promise.all([0, 1, 2, 3].map(() => db.connect()));
    const sqlLeases = Promise.all(clients.map(async (client, c) => {
      const got: string[] = [];
      for (let i = 0; i < 3; i++) {
        const n = (await client.query(`SELECT ${s}.lease('sales', $1, '1 hour') AS n`, [`sql-${c}-${i}`])).rows[0].n;
        if (n) got.push(n);
      }
      return got;
    }));
    const cli = Promise.all([
      ...[0, 1].map((i) => (i ? b : a).run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--json'])),
      ...[0, 1].map((i) => (i ? a : b).run(['pool', 'lease', '--pool', 'sales', '--for', `cli-${i}`, '--json'])),
    ]);
    const [bySql, byCli] = await Promise.all([sqlLeases, cli]);
    for (const r of byCli) expect(r.exitCode, r.stderr).toBe(0);
    const handed = [...bySql.flat(), ...byCli.map((r) => JSON.parse(r.stdout).phone_number as string)];
    expect(handed).toHaveLength(16);
    expect(new Set(handed).size).toBe(16);
    const leased = (await sql.query(`SELECT phone_number FROM ${s}.leases`)).rows.map((r) => r.phone_number);
    expect(new Set(leased).size).toBe(leased.length);
    const assigned = (await rows()).filter((x) => x.status === 'assigned').map((x) => x.phone_number);
    expect(assigned.filter((n) => leased.includes(n))).toEqual([]);
  }, 90_000);

  it('pool export --push commits the store\'s fields and pushes them to the remote; nothing new, nothing pushed', async () => {
    const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;
    const remote = await mkdtemp(path.join(os.tmpdir(), 'phone-dir-export-remote-'));
    await git(remote, 'init', '-q', '--bare', '-b', 'main');
    await git(a.dir, 'init', '-q', '-b', 'main');
    await git(a.dir, 'config', 'user.email', 'machine-a@phone-dir.test');
    await git(a.dir, 'config', 'user.name', 'machine a');
    await git(a.dir, 'add', '-A');
    await git(a.dir, 'commit', '-q', '-m', 'the directory as machine A has it');
    await git(a.dir, 'remote', 'add', 'origin', remote);
    await git(a.dir, 'push', '-q', '-u', 'origin', 'main');
    const phone = (await rows()).find((x) => x.status === 'assigned')!.phone_number as string;
    await json(b, ['pool', 'release', phone, '--workspace', 'staging']);
    const pushed = await a.run(['pool', 'export', '--push', '--json']);
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    expect(JSON.parse(pushed.stdout).updated).toContain(phone);
    expect(pushed.stderr).toMatch(/^pushed [0-9a-f]{7}/m);
    const onRemote = JSON.parse(await git(remote, 'show', 'main:phone-numbers/directory.json'));
    expect(onRemote.numbers[phone].workspaces.staging.assignment_type).toBe('unassigned');
    expect(await git(a.dir, 'status', '--porcelain', '--', 'phone-numbers')).toBe('');
    const commits = await git(remote, 'rev-list', '--count', 'main');
    const again = await a.run(['pool', 'export', '--push']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/nothing to push/);
    expect(await git(remote, 'rev-list', '--count', 'main')).toBe(commits);
  }, 90_000);
});
