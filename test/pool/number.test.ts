/** number import / update / delete: Retell and the directory change together; secrets never leak. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { startProject, ok, expectValid, expectInSync, retellAgents, twilioHas, directoryEntries, STAGING_SALES, STAGING_SUPPORT, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SECRET = 'Sip-Trunk-Passw0rd-xyz';

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(await readFile(p, 'utf8'));
  }
  return out;
}

describe('number import, update, delete', () => {
  let p: Project;
  // --pool must name a known pool (declared in pools.json, or named by a number): "imports" is declared.
  beforeAll(async () => { p = await startProject({ pools: { imports: { workspace: 'staging', min_available: 0 } } }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('import: into Retell with the SIP credentials, and recorded with its agents and pool; the password is never printed or stored', async () => {
    const phone = '+14155550193'; // on the main trunk, imported nowhere (default scenario)
    const r = await p.run(['number', 'import', '(415) 555-0193', 'acme-main.pstn.twilio.com', '--workspace', 'staging', '--username', 'retell_user', '--password-env', 'SIP_PW',
      '--inbound-agent', 'agents/sales-agent', '--outbound-agent', STAGING_SUPPORT, '--nickname', 'Imported line', '--pool', 'imports', '--json'], { env: { SIP_PW: SECRET } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const entry = JSON.parse(r.stdout);
    expect(entry).toMatchObject({ phone_number: phone, pool: 'imports', workspaces: { staging: { agent_path: 'agents/sales-agent', assignment_type: 'inbound-outbound' } } });
    const n = p.sb.state.retell.get('staging')!.numbers.get(phone)!;
    expect(n.sip).toMatchObject({ terminationUri: 'acme-main.pstn.twilio.com', authUsername: 'retell_user', authPassword: SECRET });
    expect(n.nickname).toBe('Imported line');
    expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [STAGING_SALES], outbound: [STAGING_SUPPORT] });
    for (const text of await allFiles(p.file('phone-numbers'))) expect(text).not.toContain(SECRET);
    const ws = (await p.readJson('phone-numbers/staging/numbers.json')).numbers.find((x: any) => x.phone_number === phone);
    expect(ws).toMatchObject({ auth_username: 'retell_user', nickname: 'Imported line', termination_uri: 'acme-main.pstn.twilio.com', pool: 'imports' });
    await expectValid(p);
    await expectInSync(p);
  });

  it('import: errors', async () => {
    const again = await p.run(['number', 'import', '+14155550193', 'acme-main.pstn.twilio.com', '-w', 'staging']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already imported/);
    expect((await p.run(['number', 'import', '+14155550193', 'x.pstn.twilio.com', '-w', 'production', '--password-env', 'NOPE_NOT_SET'])).exitCode).toBe(2);
    expect((await p.run(['number', 'import', '+14155550193', 'x.pstn.twilio.com', '-w', 'production', '--inbound-agent', 'agents/ghost'])).exitCode).toBe(4);
    expect((await p.run(['number', 'import', 'not-a-number', 'x.pstn.twilio.com', '-w', 'production'])).exitCode).toBe(2);
  });

  it('update: agents and nickname in Retell, pool and status locally, in one step', async () => {
    const phone = '+14155550193';
    const r = await p.json(['number', 'update', phone, '--workspace', 'staging', '--outbound-agent', 'none', '--nickname', 'Renamed', '--status', 'protected']);
    expect(r).toMatchObject({ status: 'protected', workspaces: { staging: { assignment_type: 'inbound-only', agent_path: 'agents/sales-agent' } } });
    expect(retellAgents(p.sb, 'staging', phone)).toEqual({ inbound: [STAGING_SALES], outbound: [] });
    expect(p.sb.state.retell.get('staging')!.numbers.get(phone)!.nickname).toBe('Renamed');
    const local = await p.json(['number', 'update', phone, '-w', 'staging', '--pool', 'none']);
    expect(local.pool).toBeNull();
    expect((await p.run(['number', 'update', phone, '-w', 'staging'])).exitCode).toBe(2);
    expect((await p.run(['number', 'update', phone, '-w', 'staging', '--status', 'gone'])).exitCode).toBe(2);
    expect((await p.run(['number', 'update', '+14155559876', '-w', 'staging', '--nickname', 'x'])).exitCode).toBe(4);
    await expectValid(p);
    await expectInSync(p);
  });

  it('update --tag/--untag/--notes: directory-only fields, set without any provider request', async () => {
    const phone = '+14155550101'; // staging and production
    const requests = p.sb.requests().length;
    const r = await p.json(['number', 'update', phone, '-w', 'staging', '--tag', 'vip', '--tag', 'front-desk', '--tag', 'vip', '--notes', '  Main line, 2nd floor ']);
    expect(r).toMatchObject({ tags: ['front-desk', 'vip'], notes: 'Main line, 2nd floor' });
    expect(p.sb.requests().slice(requests)).toEqual([]);
    expect((await directoryEntries(p))[phone]).toMatchObject({ tags: ['front-desk', 'vip'], notes: 'Main line, 2nd floor' });
    expect((await p.json(['search', '--tag', 'vip'])).map((e: any) => e.phone_number)).toEqual([phone]);
    const show = await ok(p.run(['show', phone]));
    expect(show.stdout).toContain('Tags: front-desk, vip');
    expect(show.stdout).toContain('Notes: Main line, 2nd floor');
    await expectValid(p);
    await expectInSync(p); // sync keeps them

    const afterSync = p.sb.requests().length;
    const cleared = await p.json(['number', 'update', phone, '-w', 'staging', '--untag', 'vip', '--untag', 'never-set', '--notes', '']);
    expect(cleared).toMatchObject({ tags: ['front-desk'], notes: null });
    expect(p.sb.requests().slice(afterSync)).toEqual([]);
    await expectValid(p);
  });

  it('update --tag/--untag/--notes: bad values are exit 2 naming the flag, and change nothing', async () => {
    const phone = '+14155550101';
    const before = await readFile(p.file('phone-numbers/directory.json'), 'utf8');
    for (const [args, message] of [
      [['--tag', ' '], '--tag: a tag must not be empty'],
      [['--tag', 'a,b'], '--tag: "a,b" is not a tag'],
      [['--untag', 'x\u001b[31m'], '--untag: "x\\u001b[31m" is not a tag'],
      [['--tag', 'vip', '--untag', 'vip'], '"vip" is given to both --tag and --untag'],
      [['--notes', 'two\nlines'], '--notes: control characters'],
    ] as const) {
      const r = await p.run(['number', 'update', phone, '-w', 'staging', ...args]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(await readFile(p.file('phone-numbers/directory.json'), 'utf8')).toBe(before);
  });

  it('a protected number is never handed out by the pool', async () => {
    await ok(p.run(['number', 'update', '+14155550193', '-w', 'staging', '--pool', 'imports', '--inbound-agent', 'none']));
    const r = await p.run(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--pool', 'imports']);
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/1 reserved or protected/);
    await ok(p.run(['number', 'update', '+14155550193', '-w', 'staging', '--status', 'active']));
    expect((await p.json(['pool', 'assign', '-w', 'staging', '-a', 'sales-agent', '--pool', 'imports'])).phone_number).toBe('+14155550193');
  });

  it('delete: needs --yes without a terminal; lists the agents it unlinks; removes from Retell and every view', async () => {
    const phone = '+14155550103'; // staging only, support-tier1 inbound (default scenario)
    const refused = await p.run(['number', 'delete', phone, '--workspace', 'staging']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(p.sb.state.retell.get('staging')!.numbers.has(phone)).toBe(true);
    const r = await p.json(['number', 'delete', phone, '--workspace', 'staging', '--yes']);
    expect(r).toMatchObject({ phone_number: phone, workspaces: ['staging'], released: false, remains: true });
    expect(r.affected_agents).toEqual([{ workspace: 'staging', agent_path: 'agents/support-tier1', agent_id: STAGING_SUPPORT, assignment_type: 'inbound-only' }]);
    expect(p.sb.state.retell.get('staging')!.numbers.has(phone)).toBe(false);
    const entry = (await directoryEntries(p))[phone];
    expect(entry.workspaces).toEqual({}); // still a Twilio number, in no workspace
    const stagingFiles = JSON.stringify(await p.readJson('phone-numbers/staging/assignments.json')) + JSON.stringify(await p.readJson('phone-numbers/staging/numbers.json'));
    expect(stagingFiles).not.toContain(phone);
    expect((await p.run(['number', 'delete', phone, '--workspace', 'staging', '--yes'])).exitCode).toBe(4);
    await expectValid(p);
    await expectInSync(p);
  });

  it('delete --release: out of every workspace, released at Twilio, and out of the directory', async () => {
    const phone = '+14155550102'; // staging (sales) and production (sales) in the default scenario
    const r = await p.json(['number', 'delete', phone, '--workspace', 'staging', '--release', '--yes']);
    expect(r.workspaces.sort()).toEqual(['production', 'staging']);
    expect(r).toMatchObject({ released: true, remains: false });
    expect(r.affected_agents.map((a: any) => a.workspace).sort()).toEqual(['production', 'staging']);
    expect(twilioHas(p.sb, phone)).toBe(false);
    expect(p.sb.state.retell.get('production')!.numbers.has(phone)).toBe(false);
    expect((await directoryEntries(p))[phone]).toBeUndefined();
    await expectValid(p);
    await expectInSync(p);
  });
});

describe('number import into a project without a directory yet', () => {
  it('creates the views (full write) and records the number', async () => {
    const p = await startProject({ sync: false });
    try {
      const r = await p.json(['number', 'import', '+14155550193', 'acme-main.pstn.twilio.com', '--workspace', 'production', '--inbound-agent', 'agents/sales-agent']);
      expect(r).toMatchObject({ phone_number: '+14155550193', workspaces: { production: { agent_path: 'agents/sales-agent', assignment_type: 'inbound-only' } } });
      const ws = await p.readJson('phone-numbers/production/numbers.json');
      expect(ws.numbers.map((n: any) => n.phone_number)).toEqual(['+14155550193']);
      await expectValid(p);
    } finally {
      await p.close();
    }
  });
});
