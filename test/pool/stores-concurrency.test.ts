/**
 * The pool under load, on the store PHONE_DIR_TEST_POOL_STORE names (vitest.config.ts runs it on both):
 * 4 processes × 25 `pool assign` from one pool of 200, 8 × 100 `pool lease` (a tenth of that unless
 * PHONE_DIR_TEST_LOAD=full), and kill -9 trials during
 * assign and lease. Files: every process in one project directory (one machine). PostgreSQL: each worker
 * in its own clone of the project (one "machine" each), sharing the database and the sandbox.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startProject, ok, expectValid, expectInSync, retellAgents, directoryEntries, runtimeState, poolCounts, waitFor, TRUNK_MAIN, MAIN_CREDENTIALS, STAGING_SALES, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const AGENT_IDS: Record<string, string> = {
  'sales-agent': STAGING_SALES, 'customer-service': 'agent_stg_custsvc_4f2a9c', 'support-tier1': 'agent_stg_support1_91ab04',
  'appointment-setter': 'agent_stg_appts_5e8d21',
};
const AGENTS = Object.keys(AGENT_IDS);
// The sandbox offers 50 numbers per area code and search: enough area codes for every pool below.
const AREA_CODES = ['415', '650', '212', '646', '718', '310', '312', '512', '202', '206', '213', '214', '303', '305', '404', '408', '503', '602', '617', '702', '713', '720', '773', '805', '818', '858'];
const provision = (codes: string[]) => ({ country: 'US', type: 'local', area_codes: codes, trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS });
const POOLS = {
  sales: { workspace: 'staging', min_available: 0, provision: provision(AREA_CODES.slice(0, 5)) },
  leads: { workspace: 'staging', min_available: 0, provision: provision(AREA_CODES.slice(5)) },
};
const SALES_SIZE = 200;
// The issue's sizes (4 × 25 assigns, 8 × 100 leases) take about 4 minutes per store on two cores: `npm run
// test:load` runs them (PHONE_DIR_TEST_LOAD=full); `npm test` runs the same tests with fewer commands a process (4 assigns, 3 leases).
const FULL = process.env.PHONE_DIR_TEST_LOAD === 'full';
const ASSIGNS_EACH = FULL ? 25 : 4;
const LEASES_EACH = FULL ? 100 : 3;
const LEADS_SIZE = 8 * LEASES_EACH + 50;
const ASSIGNED = 4 * ASSIGNS_EACH;

/** Runs `count` commands one after another; resolves to their results. */
async function inSequence(machine: Project, count: number, args: (i: number) => string[]): Promise<Array<{ exitCode: number; stdout: string; stderr: string }>> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = await machine.spawn(args(i));
    out.push({ exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) });
  }
  return out;
}

/** Buys `size` numbers into the pool, 200 a command (one command per minute at most, on a loaded machine). */
async function provisionPool(p: Project, pool: string, size: number): Promise<Set<string>> {
  const bought = new Set<string>();
  while (bought.size < size) {
    const count = Math.min(200, size - bought.size);
    const r = await p.json(['pool', 'provision', '--workspace', 'staging', '--pool', pool, '--count', String(count), '--yes']);
    for (const b of r.bought) bought.add(b.phone_number);
  }
  return bought;
}

/** Every pool number Retell has bound to an agent in staging. */
function boundInRetell(p: Project, pool: Set<string>): string[] {
  return [...pool].filter((phone) => (retellAgents(p.sb, 'staging', phone)?.inbound.length ?? 0) > 0);
}

/** sync --all, then the views validate and a second sync would change nothing. */
async function expectSyncedAgreement(machine: Project): Promise<void> {
  await ok(machine.run(['sync', '--all']));
  await expectValid(machine);
  await expectInSync(machine);
}

describe(`the pool under load (${process.env.PHONE_DIR_TEST_POOL_STORE ?? 'files'} store)`, () => {
  let p: Project;
  let machines: Project[] = [];
  let sales = new Set<string>();
  let leads = new Set<string>();
  beforeAll(async () => {
    p = await startProject({ pools: POOLS });
    const started = performance.now();
    sales = await provisionPool(p, 'sales', SALES_SIZE);
    leads = await provisionPool(p, 'leads', LEADS_SIZE);
    console.log(`provisioned pools of ${sales.size} and ${leads.size} in ${(performance.now() - started).toFixed(0)} ms`);
    expect(sales.size).toBe(SALES_SIZE);
    expect(leads.size).toBe(LEADS_SIZE);
    // Clones made after provisioning: with postgres each sees the pool only through the store from now on.
    machines = p.store === 'postgres' ? [p, ...(await Promise.all([1, 2, 3].map(() => p.clone())))] : [p, p, p, p];
  }, 300_000);
  afterAll(async () => { await p?.close(); });

  it(`4 processes × ${ASSIGNS_EACH} pool assign from a pool of 200: ${ASSIGNED} distinct numbers, Retell in agreement`, async () => {
    const started = performance.now();
    const results = await Promise.all(machines.map((machine, worker) =>
      inSequence(machine, ASSIGNS_EACH, () => ['pool', 'assign', '--workspace', 'staging', '--pool', 'sales', '--agent', AGENTS[worker]!, '--json'])));
    console.log(`4 × ${ASSIGNS_EACH} pool assign (${p.store}): ${(performance.now() - started).toFixed(0)} ms`);
    const handed = new Map<string, string>();
    for (const [worker, runs] of results.entries()) {
      for (const r of runs) {
        expect(r.exitCode, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(handed.has(out.phone_number), `${out.phone_number} handed out twice`).toBe(false);
        handed.set(out.phone_number, AGENTS[worker]!);
      }
    }
    expect(handed.size).toBe(ASSIGNED);
    for (const [phone, agent] of handed) {
      expect(sales.has(phone)).toBe(true);
      expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [AGENT_IDS[agent]], outbound: [AGENT_IDS[agent]] });
    }
    expect(boundInRetell(p, sales).sort()).toEqual([...handed.keys()].sort());
    for (const machine of new Set(machines)) expect(await poolCounts(machine, 'sales')).toMatchObject({ assigned: ASSIGNED, available: SALES_SIZE - ASSIGNED, total: SALES_SIZE });
    if (p.store === 'files') {
      const assignments = (await p.readJson('phone-numbers/staging/assignments.json')).assignments as any[];
      for (const [phone, agent] of handed) expect(assignments.find((a) => a.phone_number === phone)).toMatchObject({ agent_id: AGENT_IDS[agent], agent_path: `agents/${agent}` });
      await expectValid(p);
      await expectInSync(p);
    } else {
      // A machine whose views are behind catches up with sync (through the store) and then agrees with Retell.
      await expectSyncedAgreement(machines[3]!);
    }
    for (const [worker, agent] of AGENTS.entries()) {
      const r = await machines[worker]!.json(['pool', 'release', '--agent', agent, '--workspace', 'staging', '--yes']);
      expect(r.failed).toEqual([]);
    }
    expect(boundInRetell(p, sales)).toEqual([]);
    expect(await poolCounts(p, 'sales')).toMatchObject({ assigned: 0, available: SALES_SIZE });
  }, 300_000);

  it(`8 × ${LEASES_EACH} pool lease: ${8 * LEASES_EACH} distinct leases; leasing a ref again returns its number`, async () => {
    const leasers = Array.from({ length: 8 }, (_, k) => machines[k % machines.length]!);
    const started = performance.now();
    const results = await Promise.all(leasers.map((machine, worker) =>
      inSequence(machine, LEASES_EACH, (i) => ['pool', 'lease', '--pool', 'leads', '--for', `lead-${worker}-${i}`, '--json'])));
    console.log(`8 × ${LEASES_EACH} pool lease (${p.store}): ${(performance.now() - started).toFixed(0)} ms`);
    const byRef = new Map<string, string>();
    for (const runs of results) {
      for (const r of runs) {
        expect(r.exitCode, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout);
        byRef.set(out.ref, out.phone_number);
      }
    }
    expect(byRef.size).toBe(8 * LEASES_EACH);
    const numbers = [...byRef.values()];
    expect(new Set(numbers).size).toBe(8 * LEASES_EACH);
    for (const phone of numbers) expect(leads.has(phone)).toBe(true);
    const listed = (await p.json(['pool', 'leases'])).leases.filter((l: any) => l.pool === 'leads');
    expect(new Map(listed.map((l: any) => [l.ref, l.phone_number]))).toEqual(byRef);
    // The same refs again, at once and from other machines: the same numbers, nothing new leased.
    const again = await Promise.all(Array.from({ length: 8 }, (_, worker) =>
      leasers[(worker + 1) % leasers.length]!.spawn(['pool', 'lease', '--pool', 'leads', '--for', `lead-${worker}-${LEASES_EACH - 1}`, '--json'])));
    for (const [worker, r] of again.entries()) {
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(JSON.parse(String(r.stdout)).phone_number).toBe(byRef.get(`lead-${worker}-${LEASES_EACH - 1}`));
    }
    expect(await poolCounts(p, 'leads')).toMatchObject({ leased: 8 * LEASES_EACH, available: LEADS_SIZE - 8 * LEASES_EACH });
    // No number is ever bound in Retell by a lease.
    expect(boundInRetell(p, leads)).toEqual([]);
  }, 600_000);

  it('kill -9 during pool assign, at any moment: the next command (another machine with postgres) settles it; nothing double-assigned or leaked', async () => {
    const settler = machines[1]!;
    for (let trial = 0; trial < 6; trial++) {
      // Half the trials die inside the Retell call (the sandbox holds it), half at a random moment.
      const inRetell = trial % 2 === 0;
      if (inRetell) p.sb.faults.add({ match: 'PATCH /retell/update-phone-number/*', latency_ms: 1200, times: 1 });
      const proc = machines[trial % machines.length]!.spawn(['pool', 'assign', '--workspace', 'staging', '--pool', 'sales', '--agent', AGENTS[trial % AGENTS.length]!]);
      if (inRetell) {
        await waitFor('the reservation', async () => (await runtimeState(p))?.reservations?.[0]);
        await new Promise((r) => setTimeout(r, 300));
      } else {
        await new Promise((r) => setTimeout(r, 150 + trial * 70));
      }
      proc.kill('SIGKILL');
      await proc;
      p.sb.faults.clear();
      await new Promise((r) => setTimeout(r, inRetell ? 1200 : 0)); // Retell finishes the call the dead process started
      const next = await settler.json(['pool', 'assign', '--workspace', 'staging', '--pool', 'sales', '--agent', 'after-hours']);
      expect(sales.has(next.phone_number)).toBe(true);
    }
    expect((await runtimeState(p))?.reservations ?? []).toEqual([]);
    const bound = boundInRetell(p, sales);
    // Every number Retell has bound is assigned in the store, and no other: nothing leaked, nothing lost.
    const counts = await poolCounts(settler, 'sales');
    expect(counts).toMatchObject({ assigned: bound.length, available: SALES_SIZE - bound.length });
    expect(bound.length).toBeGreaterThanOrEqual(6);
    for (const phone of bound) expect(retellAgents(p.sb, 'staging', phone)!.inbound).toHaveLength(1);
    const entries = await directoryEntries(settler);
    if (p.store === 'files') {
      for (const phone of sales) expect(entries[phone].workspaces.staging.assignment_type !== 'unassigned', phone).toBe(bound.includes(phone));
      await expectValid(p);
      await expectInSync(p);
    } else {
      await expectSyncedAgreement(machines[2]!);
    }
  }, 120_000);

  it('kill -9 during pool lease: the lease exists whole or not at all, never twice, never blocking a number', async () => {
    const before = await poolCounts(p, 'leads');
    for (let trial = 0; trial < 8; trial++) {
      const ref = `lead-kill-${trial}`;
      const proc = machines[trial % machines.length]!.spawn(['pool', 'lease', '--pool', 'leads', '--for', ref]);
      await new Promise((r) => setTimeout(r, 100 + trial * 45));
      proc.kill('SIGKILL');
      await proc;
      const again = await machines[(trial + 1) % machines.length]!.json(['pool', 'lease', '--pool', 'leads', '--for', ref]);
      const leases = (await p.json(['pool', 'leases'])).leases;
      expect(leases.filter((l: any) => l.ref === ref).map((l: any) => l.phone_number)).toEqual([again.phone_number]);
      const numbers = leases.map((l: any) => l.phone_number);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect((await runtimeState(p))?.reservations ?? []).toEqual([]);
    }
    const after = await poolCounts(p, 'leads');
    expect(after).toMatchObject({ leased: before.leased + 8, available: before.available - 8, total: LEADS_SIZE });
  }, 120_000);
});
