/**
 * The pool commands refuse what they cannot do honestly: unknown pools (typos), credential-list trunks
 * without credentials, bulk releases nobody confirmed, and numbers the views disagree about. Each refusal
 * is exit 2 with nothing changed; after every mutating step validate passes.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { startProject, ok, expectValid, retellAgents, directoryEntries, runtimeFile, TRUNK_MAIN, MAIN_CREDENTIALS, SIP_PASSWORD_ENV, STAGING_SALES, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = {
  'sales-pool': { workspace: 'staging', min_available: 5, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } },
  'bare-pool': { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN } },
};
const PASSWORD = 'Sandbox-Main-Passw0rd';

describe('pool guards', () => {
  let p: Project;
  let pooled: string[] = [];
  const viewFiles = ['phone-numbers/directory.json', 'phone-numbers/staging/numbers.json', 'phone-numbers/staging/assignments.json'];
  const snapshot = () => Promise.all(viewFiles.map((f) => readFile(p.file(f), 'utf8')));

  beforeAll(async () => {
    p = await startProject({ pools: POOLS });
    const r = await p.json(['pool', 'provision', '--workspace', 'staging', '--pool', 'sales-pool', '--count', '2', '--yes']);
    pooled = r.bought.map((b: any) => b.phone_number);
    expect(pooled).toHaveLength(2);
  }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('provision takes the credential-list trunk\'s credentials from the pool settings: recorded with the username, no password anywhere', async () => {
    const entries = await directoryEntries(p);
    for (const phone of pooled) {
      expect(p.sb.state.retell.get('staging')!.numbers.get(phone)?.sip).toMatchObject({ authUsername: 'retell_user', authPassword: PASSWORD });
      expect(entries[phone].sip_config).toMatchObject({ has_credentials: true });
    }
    const numbers = await readFile(p.file('phone-numbers/staging/numbers.json'), 'utf8');
    expect(numbers).not.toContain(PASSWORD);
    await expectValid(p);
  });

  it('provision on a credential-list trunk without credentials is exit 2 naming the trunk and the flags; nothing bought', async () => {
    const before = p.sb.state.twilio.numbers.size;
    const r = await p.run(['pool', 'provision', '--workspace', 'staging', '--pool', 'bare-pool', '--count', '1', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(TRUNK_MAIN);
    expect(r.stderr).toMatch(/credential lists.*--username and --password-env/);
    const onlyUser = await p.run(['pool', 'provision', '--workspace', 'staging', '--pool', 'bare-pool', '--count', '1', '--dry-run', '--username', 'retell_user']);
    expect(onlyUser.exitCode).toBe(2);
    expect(onlyUser.stderr).toMatch(/needs --password-env/);
    expect(p.sb.state.twilio.numbers.size).toBe(before);
  });

  it('provision --dry-run shows the trunk and the credentials it will use: the username and the variable, never the password', async () => {
    const args = ['pool', 'provision', '--workspace', 'staging', '--pool', 'bare-pool', '--count', '1', '--dry-run', '--username', 'retell_user', '--password-env', SIP_PASSWORD_ENV];
    const json = await p.json(args);
    expect(json.route).toEqual({ carrier: 'twilio', trunk_sid: TRUNK_MAIN, termination_uri: 'acme-main.pstn.twilio.com', auth_username: 'retell_user', auth_password_env: SIP_PASSWORD_ENV });
    const text = await ok(p.run(args));
    expect(text.stdout).toContain(`trunk ${TRUNK_MAIN}`);
    expect(text.stdout).toContain(`SIP user retell_user, password from $${SIP_PASSWORD_ENV}`);
    expect(`${text.stdout}${text.stderr}${JSON.stringify(json)}`).not.toContain(PASSWORD);
  });

  it('pool health --min overrides the pool\'s min_available, lower as well as higher', async () => {
    const plain = await p.run(['pool', 'health', '--workspace', 'staging', '--json']);
    expect(plain.exitCode).toBe(1); // sales-pool: 2 available, min_available 5
    const lower = await p.run(['pool', 'health', '--workspace', 'staging', '--min', '2', '--json']);
    expect(JSON.parse(lower.stdout).pools.find((x: any) => x.pool === 'sales-pool')).toMatchObject({ available: 2, minimum: 2, below_minimum: false });
    expect((await p.run(['pool', 'health', '--workspace', 'staging', '--min', '0'])).exitCode).toBe(0);
    const higher = await p.run(['pool', 'health', '--workspace', 'staging', '--min', '3', '--json']);
    expect(higher.exitCode).toBe(1);
    expect(JSON.parse(higher.stdout).pools.find((x: any) => x.pool === 'sales-pool')).toMatchObject({ minimum: 3, below_minimum: true });
    expect((await p.run(['pool', 'health', '--help'])).stdout).toMatch(/overrides each\s+pool's min_available/);
  });

  it('an unknown --pool is exit 2 with "did you mean", in every command that takes one; nothing changes', async () => {
    const before = await snapshot();
    const typo = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--pool', 'sales-pol']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('unknown pool "sales-pol": did you mean "sales-pool"?');
    const nosuch = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--pool', 'nosuch']);
    expect(nosuch.exitCode).toBe(2);
    expect(nosuch.stderr).not.toMatch(/provision .*--pool nosuch/);
    const ensure = await p.run(['pool', 'ensure', '--workspace', 'staging', '--pool', 'sales-pol', '--min', '1']);
    expect(ensure.exitCode).toBe(2);
    expect(ensure.stderr).toContain('did you mean "sales-pool"?');
    const update = await p.run(['number', 'update', '+14155550101', '--workspace', 'staging', '--pool', 'sales-pol']);
    expect(update.exitCode).toBe(2);
    expect(update.stderr).toContain('did you mean "sales-pool"?');
    expect(await snapshot()).toEqual(before);
    expect(existsSync(runtimeFile(p))).toBe(false);
    expect(retellAgents(p.sb, 'staging', pooled[0]!)).toEqual({ inbound: [], outbound: [] });
  });

  it('provision --pool into a new pool needs it declared in pools.json', async () => {
    const before = p.sb.state.twilio.numbers.size;
    const r = await p.run(['pool', 'provision', '--workspace', 'staging', '--pool', 'brand-new', '--count', '1', '--dry-run']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown pool "brand-new"/);
    expect(r.stderr).toMatch(/declare it in phone-numbers\/pools\.json/);
    expect(p.sb.state.twilio.numbers.size).toBe(before);
  });

  it('the implicit "default" pool of a workspace without pools stays usable by name, even while empty', async () => {
    const r = await p.json(['pool', 'provision', '--workspace', 'production', '--pool', 'default', '--count', '1', '--dry-run', '--trunk', TRUNK_MAIN, '--username', 'retell_user', '--password-env', SIP_PASSWORD_ENV]);
    expect(r).toMatchObject({ pool: 'default', workspace: 'production', dry_run: true });
    // Empty, but it exists: exit 6 (no available number), not exit 2 (unknown pool).
    const empty = await p.run(['pool', 'assign', '--workspace', 'production', '--agent', 'sales-agent', '--pool', 'default']);
    expect(empty.exitCode).toBe(6);
  });

  it('a pool that only the directory names is known; --pool none still means no pool', async () => {
    const pools = JSON.parse(await readFile(p.file('phone-numbers/pools.json'), 'utf8'));
    await writeFile(p.file('phone-numbers/pools.json'), JSON.stringify({ ...pools, pools: {} })); // keeps a store entry
    try {
      await ok(p.run(['number', 'update', '+14155550101', '--workspace', 'staging', '--pool', 'sales-pool']));
      expect((await directoryEntries(p))['+14155550101'].pool).toBe('sales-pool');
      await expectValid(p);
      await ok(p.run(['number', 'update', '+14155550101', '--workspace', 'staging', '--pool', 'none']));
      expect((await directoryEntries(p))['+14155550101'].pool).toBeNull();
      await expectValid(p);
    } finally {
      await writeFile(p.file('phone-numbers/pools.json'), JSON.stringify(pools));
    }
  });

  it('release --agent without a terminal and without --yes is exit 2 with the hint; nothing is unassigned', async () => {
    const phone = (await p.json(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--pool', 'sales-pool'])).phone_number as string;
    await expectValid(p);
    const before = await snapshot();
    const r = await p.run(['pool', 'release', '--agent', 'agents/sales-agent', '--workspace', 'staging']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unassigns \d+ numbers? in Retell: confirm with --yes/);
    expect(r.stderr).toMatch(/--dry-run/);
    expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [STAGING_SALES], outbound: [STAGING_SALES] });
    expect(await snapshot()).toEqual(before);
  });

  it('release --dry-run lists what it would unassign, pooled or not, and changes nothing', async () => {
    const before = await snapshot();
    const json = await p.json(['pool', 'release', '--agent', 'agents/sales-agent', '--workspace', 'staging', '--dry-run']);
    expect(json.dry_run).toBe(true);
    expect(json.released).toEqual([]);
    const would = json.would_release.map((n: any) => n.phone_number);
    expect(would).toEqual(expect.arrayContaining([expect.stringMatching(/^\+1650/)]));
    const assignments = (await p.readJson('phone-numbers/staging/assignments.json')).assignments;
    expect(would).toEqual(expect.arrayContaining(assignments.filter((a: any) => a.agent_path === 'agents/sales-agent').map((a: any) => a.phone_number)));
    const text = await ok(p.run(['pool', 'release', '--agent', 'agents/sales-agent', '--workspace', 'staging', '--dry-run']));
    expect(text.stdout).toMatch(/would release \d+ numbers? \(dry run: nothing changed\)/);
    expect(await snapshot()).toEqual(before);
    for (const n of would) {
      const agents = retellAgents(p.sb, 'staging', n)!;
      expect([...agents.inbound, ...agents.outbound]).toContain(STAGING_SALES);
    }
  });

  it('refuses to bind or unbind a number the views disagree about (exit 2, naming the number and the files); Retell untouched', async () => {
    const free = await p.json(['pool', 'assign', '--workspace', 'staging', '--agent', 'support-tier1', '--pool', 'sales-pool']);
    const phone = free.phone_number as string;
    const bound = retellAgents(p.sb, 'staging', phone);
    // A hand edit (or bad merge) makes it look free in directory.json only.
    const dirFile = p.file('phone-numbers/directory.json');
    const directory = JSON.parse(await readFile(dirFile, 'utf8'));
    Object.assign(directory.numbers[phone].workspaces.staging, { agent_path: null, agent_id: null, assignment_type: 'unassigned' });
    await writeFile(dirFile, `${JSON.stringify(directory, null, 2)}\n`);
    const before = await snapshot();

    const byNumber = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--number', phone]);
    expect(byNumber.exitCode).toBe(2);
    expect(byNumber.stderr).toContain(phone);
    expect(byNumber.stderr).toMatch(/views disagree on assigned: phone-numbers\/directory\.json says false, phone-numbers\/staging\/assignments\.json says true/);
    expect(byNumber.stderr).toMatch(/phone-dir validate/);
    // The least recently used pick reaches it too (the other pool numbers are assigned by now)…
    const lru = await p.run(['pool', 'assign', '--workspace', 'staging', '--agent', 'sales-agent', '--pool', 'sales-pool']);
    if (p.store === 'files') {
      expect(lru.exitCode).toBe(2);
      expect(lru.stderr).toContain(phone);
    } else {
      // …except on PostgreSQL, the authority on which numbers are free: it says assigned, so the pool is exhausted.
      expect(lru.exitCode, lru.stderr).toBe(6);
    }
    const release = await p.run(['pool', 'release', phone, '--workspace', 'staging']);
    expect(release.exitCode).toBe(2);
    expect(release.stderr).toMatch(/views disagree on assigned: phone-numbers\/directory\.json says false, phone-numbers\/staging\/numbers\.json says true, phone-numbers\/staging\/assignments\.json says true/);

    expect(retellAgents(p.sb, 'staging', phone)).toEqual(bound);
    expect(await snapshot()).toEqual(before);
    expect(existsSync(runtimeFile(p))).toBe(false);
    expect((await p.run(['validate'])).exitCode).not.toBe(0);
  });
});
