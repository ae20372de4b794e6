/**
 * The pool audit trail (phone-numbers/twilio/pool-audit.jsonl) through the built CLI: one line per
 * operation, `pool audit` newest first with --number/--limit filters, a torn last line skipped.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFile, readFile } from 'node:fs/promises';
import { startProject, ok, TRUNK_MAIN, MAIN_CREDENTIALS, SIP_PASSWORD_ENV, type Project } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const POOLS = { sales: { workspace: 'staging', min_available: 0, provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } };
const AUDIT = 'phone-numbers/twilio/pool-audit.jsonl';

describe('pool audit', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('records provision, assign, hold, release, lease, release --for and expiry, one line each, with who', async () => {
    const bought = (await p.json(['pool', 'provision', '--workspace', 'staging', '--count', '3', '--yes'])).bought.map((b: any) => b.phone_number);
    const a = await p.json(['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent']);
    await ok(p.run(['pool', 'hold', a.phone_number, '--workspace', 'staging', '--until', '3h']));
    await ok(p.run(['pool', 'release', a.phone_number, '--workspace', 'staging']));
    const l = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-a']);
    await ok(p.run(['pool', 'lease', '--pool', 'sales', '--for', 'lead-a']));
    await ok(p.run(['pool', 'hold', '--for', 'lead-a', '--until', '2020-01-01T00:00:00Z']));
    await ok(p.run(['pool', 'release', '--expired']));
    const l2 = await p.json(['pool', 'lease', '--pool', 'sales', '--for', 'lead-b']);
    await ok(p.run(['pool', 'release', '--for', 'lead-b']));

    const lines = (await readFile(p.file(AUDIT), 'utf8')).trimEnd().split('\n').map((x) => JSON.parse(x));
    expect(lines.map((x) => `${x.operation}:${x.result}`)).toEqual([
      'provision:bought', 'provision:bought', 'provision:bought', 'assign:assigned', 'hold:moved', 'release:released',
      'lease:leased', 'lease:already-leased', 'hold:moved', 'expire:released', 'lease:leased', 'release:released',
    ]);
    expect(lines.slice(0, 3).map((x) => x.phone_number).sort()).toEqual([...bought].sort());
    expect(lines[3]).toMatchObject({ phone_number: a.phone_number, agent_path: 'agents/sales-agent', workspace: 'staging' });
    expect(lines[6]).toMatchObject({ phone_number: l.phone_number, ref: 'lead-a', pool: 'sales' });
    expect(lines[11]).toMatchObject({ phone_number: l2.phone_number, ref: 'lead-b' });
    for (const x of lines) {
      expect(x.who).toEqual({ host: expect.any(String), pid: expect.any(Number), user: expect.anything() });
      expect(Number.isFinite(Date.parse(x.time))).toBe(true);
    }
    const text = await readFile(p.file(AUDIT), 'utf8');
    expect(text).not.toContain(p.env[SIP_PASSWORD_ENV]!);
    for (const [k, v] of Object.entries(p.env)) if (/TOKEN|KEY|SECRET/.test(k) && v.length > 6) expect(text, k).not.toContain(v);
  }, 60_000);

  it('pool audit reads newest first, filters by --number and --limit, and the file is gitignored', async () => {
    const all = (await p.json(['pool', 'audit'])).records;
    expect(all).toHaveLength(12);
    expect(all[0]).toMatchObject({ operation: 'release', ref: 'lead-b' });
    const n = all.find((x: any) => x.operation === 'assign').phone_number;
    const mine = (await p.json(['pool', 'audit', '--number', n])).records;
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((x: any) => x.phone_number === n)).toBe(true);
    expect((await p.json(['pool', 'audit', '--limit', '2'])).records).toEqual(all.slice(0, 2));
    expect((await p.json(['pool', 'audit', '--since', '2099-01-01T00:00:00Z'])).records).toEqual([]);
    expect((await p.json(['pool', 'audit', '--since', '1h'])).records).toHaveLength(12);
    expect((await p.run(['pool', 'audit', '--since', 'later'])).exitCode).toBe(2);
    expect((await ok(p.run(['pool', 'audit', '--limit', '1']))).stdout).toMatch(/release .*for lead-b.*released/);
    expect(await readFile(p.file('.gitignore'), 'utf8')).toMatch(/phone-numbers\/twilio\//);
  });

  it('a torn last line is skipped when read, and the next append starts on a fresh line', async () => {
    await appendFile(p.file(AUDIT), '{"time":"2025-01-01T00:00:00Z","operation":"lea');
    const r = await ok(p.run(['pool', 'audit', '--json']));
    expect(JSON.parse(r.stdout).records).toHaveLength(12);
    expect(r.stderr).toMatch(/skipped 1 line/);
    await ok(p.run(['pool', 'lease', '--pool', 'sales', '--for', 'lead-c']));
    const after = (await p.json(['pool', 'audit'])).records;
    expect(after).toHaveLength(13);
    expect(after[0]).toMatchObject({ operation: 'lease', ref: 'lead-c', result: 'leased' });
  });

  it('records number import, update and delete, one line each', async () => {
    const phone = '+14155550193'; // on the main trunk, imported nowhere
    const before = (await p.json(['pool', 'audit'])).records.length;
    await ok(p.run(['number', 'import', phone, 'acme-main.pstn.twilio.com', '-w', 'staging', '--inbound-agent', 'agents/sales-agent']));
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'sales']));
    await ok(p.run(['number', 'update', phone, '-w', 'staging', '--tag', 'audit-test']));
    await ok(p.run(['number', 'delete', phone, '-w', 'staging', '--yes']));
    const mine = (await p.json(['pool', 'audit', '--number', phone])).records.reverse();
    expect(mine.map((x: any) => `${x.operation}:${x.result}`)).toEqual(['import:imported', 'update:updated', 'update:updated', 'delete:removed']);
    expect(mine[0]).toMatchObject({ workspace: 'staging', agent_path: 'agents/sales-agent', pool: null });
    expect(mine[1]).toMatchObject({ pool: 'sales' });
    expect(mine[3]).toMatchObject({ pool: 'sales', detail: { workspaces: 'staging', released_at_carrier: false, left_pool: 'sales' } });
    expect((await p.json(['pool', 'audit'])).records).toHaveLength(before + 4);
  });
});
