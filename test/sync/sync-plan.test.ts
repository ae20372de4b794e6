/**
 * sync's plan is complete and honest: derived fields edited by hand, pooled numbers that leave their
 * workspace, what a refusal keeps back, what failed; and what sync does with numbers it cannot store.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { startProject, ok, expectValid, TRUNK_MAIN, MAIN_CREDENTIALS, type Project } from '../pool/helpers.js';
import { gitCommitAll } from '../helpers/sandbox-project.js';
import { acquireLock } from '../../src/store/lock.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } };
const DIRECTORY = 'phone-numbers/directory.json';

async function gitInit(dir: string): Promise<void> {
  await execa('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  await execa('git', ['config', 'user.email', 'test@phone-dir.test'], { cwd: dir });
  await execa('git', ['config', 'user.name', 'phone-dir test'], { cwd: dir });
  await gitCommitAll(dir, 'start');
}

describe('sync plan', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('lists hand-edited derived fields of directory.json; --check exits 1 until a sync rewrites them', async () => {
    const file = p.file(DIRECTORY);
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.numbers['+14155550101'].phone_number_pretty = '(999) 999-9999';
    json.numbers['+14155550101'].workspaces.staging.agent_path = 'agents/nobody';
    await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
    const dry = await p.run(['sync', '--all', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('~ +14155550101 phone-numbers/directory.json: phone_number_pretty "(999) 999-9999" → "(415) 555-0101"');
    expect(dry.stdout).toContain('~ +14155550101 phone-numbers/directory.json: workspaces.staging.agent_path "agents/nobody" → "agents/customer-service"');
    expect(dry.stdout).not.toMatch(/up to date/);
    const check = await p.run(['sync', '--all', '--check', '--json']);
    expect(check.exitCode).toBe(1);
    expect(JSON.parse(check.stdout).changes).toEqual(expect.arrayContaining([expect.objectContaining({ scope: 'file', file: DIRECTORY, phone_number: '+14155550101', fields: ['phone_number_pretty'] })]));
    await ok(p.run(['sync', '--all']));
    expect((await p.readJson(DIRECTORY)).numbers['+14155550101'].phone_number_pretty).toBe('(415) 555-0101');
    expect((await p.run(['sync', '--all', '--check'])).exitCode).toBe(0);
  });

  it('a pooled number that leaves its pool\'s workspace leaves the pool, in the plan, and the committed directory validates', async () => {
    const bought = (await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '2', '--yes'])).bought.map((b: any) => b.phone_number as string);
    await gitInit(p.dir);
    const staging = p.sb.state.retell.get('staging')!;
    for (const phone of bought) staging.numbers.delete(phone);
    const r = await p.run(['sync', '--all', '--force', '--commit', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const summaries = JSON.parse(r.stdout).changes.map((c: any) => c.summary);
    for (const phone of bought) {
      expect(summaries).toContain(`~ ${phone} leaves pool "sales" (no longer imported into staging)`);
      expect(summaries.filter((line: string) => line.startsWith(`~ ${phone}`) && line.includes('pool'))).toHaveLength(1); // said once
      expect((await p.readJson(DIRECTORY)).numbers[phone]).toMatchObject({ pool: null, workspaces: {} });
    }
    expect((await execa('git', ['status', '--porcelain', 'phone-numbers'], { cwd: p.dir })).stdout).toBe('');
    await expectValid(p);
  });

  it('a refused sync prints what it would have changed, in text and in --json', async () => {
    const staging = p.sb.state.retell.get('staging')!;
    const saved = new Map(staging.numbers);
    const drop = [...staging.numbers.keys()].slice(0, Math.ceil(staging.numbers.size * 0.4));
    for (const k of drop) staging.numbers.delete(k);
    try {
      const text = await p.run(['sync', '--all']);
      expect(text.exitCode).toBe(7);
      expect(text.stdout).toContain('refused, not applied (--force applies):');
      for (const k of drop) expect(text.stdout).toContain(`- ${k} removed from staging`);
      const json = JSON.parse((await p.run(['sync', '--all', '--json'])).stdout);
      expect(json.changes).toEqual([]);
      expect(json.refused_changes.map((c: any) => c.phone_number).sort()).toEqual([...drop].sort());
    } finally {
      for (const [k, v] of saved) staging.numbers.set(k, v);
    }
  });

  it('does not say "up to date" when a source failed, and --json names files relative to the project', async () => {
    p.sb.faults.add({ match: 'GET /retell/v2/list-phone-numbers', status: 401 });
    try {
      const r = await p.run(['sync', '--workspace', 'staging']);
      expect(r.exitCode).toBe(5);
      expect(r.stdout).not.toMatch(/up to date/);
      expect(r.stdout).toMatch(/1 failed \(staging\)/);
    } finally {
      p.sb.faults.clear();
    }
    const staging = p.sb.state.retell.get('staging')!;
    staging.numbers.set('+14155550101', { ...staging.numbers.get('+14155550101')!, nickname: 'relative paths' });
    const json = JSON.parse((await ok(p.run(['sync', '--all', '--json']))).stdout);
    expect(json.written).toContain('phone-numbers/staging/numbers.json');
    for (const f of json.written) expect(f).toMatch(/^phone-numbers\//);
  });

  it('sync-twilio --workspace is a usage error', async () => {
    const r = await p.run(['sync-twilio', '--workspace', 'staging']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--workspace/);
  });

  it('skips numbers that are not valid E.164 with a warning naming them, and the directory stays readable', async () => {
    const staging = p.sb.state.retell.get('staging')!;
    const template = staging.numbers.get('+14155550105')!;
    const bad = [' +14155550000', '+1415555', '__proto__'];
    for (const phone of bad) staging.numbers.set(phone, { ...template, phoneNumber: phone });
    const twilio = p.sb.state.twilio;
    const twilioTemplate = twilio.findByPhone('+14155550193')!;
    twilio.numbers.set('PNbadbadbadbadbadbadbadbadbadbad0', { ...twilioTemplate, sid: 'PNbadbadbadbadbadbadbadbadbadbad0', phoneNumber: '+1415' });
    try {
      const r = await p.run(['sync', '--all']);
      expect(r.exitCode, r.stderr).toBe(0);
      for (const phone of bad) expect(r.stderr).toContain(`Retell workspace staging lists ${JSON.stringify(phone)}, which is not a valid E.164 number; skipped`);
      expect(r.stderr).toContain('Twilio lists "+1415", which is not a valid E.164 number; skipped');
      for (const args of [['sync', '--all'], ['list'], ['report']]) expect((await p.run(args)).exitCode, args.join(' ')).toBe(0);
      await expectValid(p);
    } finally {
      for (const phone of bad) staging.numbers.delete(phone);
      twilio.numbers.delete('PNbadbadbadbadbadbadbadbadbadbad0');
    }
  });

  it('--check and --dry-run do not wait for the directory lock', async () => {
    const lock = await acquireLock(p.file('phone-numbers/.lock'), { timeoutMs: 1000, command: 'test holder' });
    try {
      expect((await p.run(['sync', '--all', '--check', '--lock-timeout', '1s'])).exitCode).toBe(0);
      expect((await p.run(['sync', '--all', '--dry-run', '--lock-timeout', '1s'])).exitCode).toBe(0);
      expect((await p.run(['sync', '--all', '--lock-timeout', '1s'])).exitCode).toBe(3);
    } finally {
      await lock.release();
    }
  });
});
