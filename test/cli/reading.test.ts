/**
 * The reading commands through the built binary (run `npx tsc -p tsconfig.build.json` after changing src/):
 * their human output (the seed's key lines), their --json shapes (spec/cli.md), and their exit codes.
 */
import { describe, it, beforeAll, afterAll, expect } from 'vitest';
import { readFile, writeFile, mkdir, readdir, symlink, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, REPO_ROOT, type CliResult } from '../helpers/cli.js';
import { sampleProject, removeProject, editJson, readJson, snapshotTree } from '../helpers/fixture.js';
import { writeModuleLogHooks } from '../helpers/module-log.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const ANSI = /\u001b\[/; // eslint-disable-line no-control-regex

/** Every command of spec/cli.md's table. */
const CONTRACT_COMMANDS = [
  'init', 'sync', 'sync-twilio', 'sync-retell', 'list', 'show', 'agent-numbers', 'unassigned', 'search',
  'validate', 'diff', 'report', 'number', 'pool', 'sandbox', 'demo', 'completion',
];

function lines(text: string): string[] {
  return text.split('\n');
}

/** A line matching `pattern` exists. */
function hasLine(text: string, pattern: RegExp): boolean {
  return lines(text).some((l) => pattern.test(l));
}

/** Parses --json output: the whole of stdout must be exactly one JSON document. */
function json(r: CliResult): any {
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** A --json number entry minus the legs that list, search and show add to each workspace: directory.json's entry. */
function withoutLegs(entry: any): any {
  const workspaces = Object.fromEntries(Object.entries(entry.workspaces).map(([ws, w]: [string, any]) => {
    const { inbound_agents: _in, outbound_agents: _out, platform: _platform, ...rest } = w;
    return [ws, rest];
  }));
  return { ...entry, workspaces };
}

function numbersOf(r: CliResult): string[] {
  return (json(r) as { phone_number: string }[]).map((e) => e.phone_number);
}

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') {
      row.push(field); field = ''; wasQuoted = false;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; wasQuoted = false; i++;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i} (RFC 4180 wants CRLF)`);
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || wasQuoted || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

describe.concurrent('reading commands on the sample directory', () => {
  let root: string;
  let directory: any;
  const run = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: root, env });

  beforeAll(async () => {
    root = await sampleProject();
    directory = await readJson(path.join(root, 'phone-numbers', 'directory.json'));
  });
  afterAll(async () => { await removeProject(root); });

  describe('list', () => {
    it('prints a table with one row per number and workspace, and a count', async ({ expect }) => {
      const r = await run(['list']);
      expect(r.exitCode).toBe(0);
      expect(lines(r.stdout)[0]).toMatch(/^Number\s+Pretty\s+Type\s+Provider\s+Workspace\s+Platform\s+Agent\s+Nickname\s+Pool$/);
      expect(hasLine(r.stdout, /^\+18885550107\s+\(888\) 555-0107\s+toll-free\s+twilio\s+production\s+Retell\s+agents\/sales-agent \(inbound-only\)\s+Sales Hotline$/)).toBe(true);
      expect(hasLine(r.stdout, /^\+18885550107\s+\(888\) 555-0107\s+toll-free\s+twilio\s+staging\s+Retell\s+unassigned\s+Sales Hotline$/)).toBe(true);
      expect(hasLine(r.stdout, /^\+14155550109\s.*staging\s+Retell\s+unassigned\s+Pool 1\s+sales-pool$/)).toBe(true);
      expect(r.stdout).toMatch(/^12 numbers$/m);
      expect(r.stderr).toBe('');
    });

    it('--json is the array of directory entries (plus both legs\' agents), sorted by number', async ({ expect }) => {
      const entries = json(await run(['list', '--json']));
      expect(entries.map(withoutLegs)).toEqual(Object.values(directory.numbers));
      // Same key order as directory.json, too (jq users and diffs see it).
      expect(entries.map((e: object) => Object.keys(e))).toEqual(Object.values(directory.numbers).map((e) => Object.keys(e as object)));
    });

    it('--workspace keeps the numbers imported there', async ({ expect }) => {
      const nums = numbersOf(await run(['list', '--workspace', 'production', '--json']));
      expect(nums).toHaveLength(11);
      expect(nums).not.toContain('+14155550112');
    });

    it('--unassigned --workspace keeps the numbers without an agent there', async ({ expect }) => {
      expect(numbersOf(await run(['list', '--unassigned', '--workspace', 'staging', '--json']))).toEqual(['+14155550109', '+14155550111', '+18885550107']);
    });

    it('--unassigned alone keeps numbers unassigned in any workspace', async ({ expect }) => {
      expect(numbersOf(await run(['list', '--unassigned', '--json']))).toEqual(['+14155550108', '+14155550109', '+14155550110', '+14155550111', '+18885550107']);
    });

    it('--agent takes a path or a workspace agent id, and counts weighted agents', async ({ expect }) => {
      const byPath = numbersOf(await run(['list', '--agent', 'agents/support-tier1', '--json']));
      expect(byPath).toEqual(['+12125550106', '+14155550102']);
      expect(numbersOf(await run(['list', '--agent', 'agent_prd_support1_c07e55', '--json']))).toEqual(byPath);
      expect(numbersOf(await run(['list', '--agent', 'support-tier1', '--json']))).toEqual(byPath);
    });

    it('prints "No numbers match." for an empty result, and [] with --json', async ({ expect }) => {
      const r = await run(['search', '--tag', 'no-such-tag']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim()).toBe('No numbers match.');
      expect(json(await run(['search', '--tag', 'no-such-tag', '--json']))).toEqual([]);
    });
  });

  describe('show', () => {
    it("prints the seed's detail view", async ({ expect }) => {
      const r = await run(['show', '+14155550101']);
      expect(r.exitCode).toBe(0);
      const out = lines(r.stdout);
      for (const l of [
        'Phone Number: +14155550101', 'Pretty: (415) 555-0101', 'Type: local', 'Provider: twilio', 'Area Code: 415',
        'Twilio Configuration:', '  Phone Number SID: PNe41814d7e9af23f17459970a3c3bee00', '  Trunk SID: TK7d3c6a1f0e9b8a7c6d5e4f3a2b1c0d9e',
        '  Friendly Name: Customer Service Line', 'SIP Configuration:', '  Termination URI: acme-main.pstn.twilio.com',
        '  Origination URI: sip:sip.retellai.com', '  Auth Type: credential', 'Workspace Assignments:', '  Staging:', '  Production:',
      ]) expect(out, l).toContain(l);
      expect(out[0]).toBe('Phone Number: +14155550101');
      // Sections in the seed's order.
      const at = (l: string) => out.indexOf(l);
      expect(at('Twilio Configuration:')).toBeLessThan(at('SIP Configuration:'));
      expect(at('SIP Configuration:')).toBeLessThan(at('Workspace Assignments:'));
      // Each workspace block carries that workspace's agent.
      const block = (title: string) => {
        const start = at(title);
        const end = out.findIndex((l, i) => i > start && /^ {2}\S.*:$/.test(l));
        return out.slice(start, end === -1 ? undefined : end);
      };
      expect(block('  Staging:')).toEqual(expect.arrayContaining([
        '    ✓ Imported: 2025-11-16T09:00:00Z', '    Agent Path: agents/customer-service', '    Agent ID: agent_stg_custsvc_4f2a9c',
        '    Agent Name: Customer Service Agent', '    Assignment: inbound-outbound',
      ]));
      expect(block('  Production:')).toEqual(expect.arrayContaining([
        '    ✓ Imported: 2025-11-17T14:00:00Z', '    Agent ID: agent_prd_custsvc_8b1d3e', '    Assignment: inbound-outbound',
      ]));
    });

    it('shows an unassigned workspace as unassigned', async ({ expect }) => {
      const r = await run(['show', '+18885550107']);
      const out = lines(r.stdout);
      const staging = out.indexOf('  Staging:');
      expect(staging).toBeGreaterThan(0);
      expect(out.slice(staging)).toContain('    Assignment: unassigned');
      expect(out).toContain('Type: toll-free');
    });

    it('--json is the directory entry', async ({ expect }) => {
      expect(withoutLegs(json(await run(['show', '+14155550101', '--json'])))).toEqual(directory.numbers['+14155550101']);
    });

    it.for(['(415) 555-0101', '415-555-0101', '415.555.0101', '1 415 555 0101', '+1 (415) 555-0101'])('accepts the national form %s', async (input, { expect }) => {
      const r = await run(['show', input, '--json']);
      expect(json(r).phone_number).toBe('+14155550101');
    });
  });

  describe('agent-numbers', () => {
    it("prints the seed's per-workspace lists", async ({ expect }) => {
      const r = await run(['agent-numbers', 'agents/sales-agent']);
      expect(r.exitCode).toBe(0);
      const out = lines(r.stdout);
      expect(out.slice(0, 2)).toEqual(['Agent: Sales Agent', 'Path: agents/sales-agent']);
      expect(out).toContain('Staging Numbers (3):');
      expect(out).toContain('Production Numbers (3):');
      const staging = out.indexOf('Staging Numbers (3):');
      expect(out.slice(staging + 1, staging + 4).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['+14155550103', '+14155550110', '+16505550105']);
      expect(hasLine(r.stdout, /^ {2}\+14155550103\s+\(inbound-outbound\)\s+Sales Line$/)).toBe(true);
      expect(hasLine(r.stdout, /^ {2}\+18885550107\s+\(inbound-only\)\s+Sales Hotline$/)).toBe(true);
    });

    it('--json is [{workspace, phone_number, assignment_type, nickname}] (plus direction and legs)', async ({ expect }) => {
      const specFields = ({ workspace, phone_number, assignment_type, nickname }: any) => ({ workspace, phone_number, assignment_type, nickname });
      expect(json(await run(['agent-numbers', 'agents/sales-agent', '--json'])).map(specFields)).toEqual([
        { workspace: 'production', phone_number: '+14155550103', assignment_type: 'inbound-outbound', nickname: 'Sales Line' },
        { workspace: 'production', phone_number: '+16505550105', assignment_type: 'inbound-outbound', nickname: 'Sales Inbound / Booking Outbound' },
        { workspace: 'production', phone_number: '+18885550107', assignment_type: 'inbound-only', nickname: 'Sales Hotline' },
        { workspace: 'staging', phone_number: '+14155550103', assignment_type: 'inbound-outbound', nickname: 'Sales Line' },
        { workspace: 'staging', phone_number: '+14155550110', assignment_type: 'inbound-outbound', nickname: 'Pool 2' },
        { workspace: 'staging', phone_number: '+16505550105', assignment_type: 'inbound-outbound', nickname: 'Sales Inbound / Booking Outbound' },
      ]);
    });

    it('takes an agent id and --workspace', async ({ expect }) => {
      const rows = json(await run(['agent-numbers', 'agent_stg_sales_7c3e1a', '--workspace', 'staging', '--json']));
      expect(rows.map((x: any) => `${x.workspace} ${x.phone_number}`)).toEqual(['staging +14155550103', 'staging +14155550110', 'staging +16505550105']);
      const text = await run(['agent-numbers', 'agents/sales-agent', '--workspace', 'staging']);
      expect(text.stdout).toContain('Staging Numbers (3):');
      expect(text.stdout).not.toContain('Production Numbers');
    });

    it('lists an agent folder without numbers with zero counts', async ({ expect }) => {
      const r = await run(['agent-numbers', 'agents/after-hours', '--workspace', 'production']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Production Numbers (0):');
    });
  });

  describe('unassigned', () => {
    it('prints "Unassigned Numbers in <Workspace>" sections', async ({ expect }) => {
      const r = await run(['unassigned']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^Unassigned Numbers in Staging\b/m);
      expect(r.stdout).toMatch(/^Unassigned Numbers in Production\b/m);
      const staging = r.stdout.slice(r.stdout.indexOf('Unassigned Numbers in Staging'));
      expect(hasLine(staging, /^\+18885550107\s+toll-free\s+\(888\) 555-0107\s+Sales Hotline$/)).toBe(true);
      expect(hasLine(staging, /^\+14155550109\s+local\s+\(415\) 555-0109\s+Pool 1$/)).toBe(true);
    });

    it('--json is [{workspace, phone_number, phone_number_type, phone_number_pretty, nickname}]', async ({ expect }) => {
      const row = (workspace: string, n: string, type: string, pretty: string, nickname: string) => ({ workspace, phone_number: n, phone_number_type: type, phone_number_pretty: pretty, nickname });
      expect(json(await run(['unassigned', '--json']))).toEqual([
        row('production', '+14155550108', 'local', '(415) 555-0108', 'After Hours'),
        row('production', '+14155550109', 'local', '(415) 555-0109', 'Pool 1'),
        row('production', '+14155550110', 'local', '(415) 555-0110', 'Pool 2'),
        row('production', '+14155550111', 'local', '(415) 555-0111', 'Pool 3'),
        row('staging', '+14155550109', 'local', '(415) 555-0109', 'Pool 1'),
        row('staging', '+14155550111', 'local', '(415) 555-0111', 'Pool 3'),
        row('staging', '+18885550107', 'toll-free', '(888) 555-0107', 'Sales Hotline'),
      ]);
    });

    it('--workspace keeps one workspace', async ({ expect }) => {
      const rows = json(await run(['unassigned', '--workspace', 'staging', '--json']));
      expect(rows.map((x: any) => x.phone_number)).toEqual(['+14155550109', '+14155550111', '+18885550107']);
      const text = await run(['unassigned', '--workspace', 'staging']);
      expect(text.stdout).not.toContain('Production');
    });
  });

  describe('search', () => {
    it.for([
      [['--area-code', '650'], ['+16505550104', '+16505550105']],
      [['--type', 'toll-free'], ['+18885550107']],
      [['--tag', 'sales'], ['+14155550103', '+16505550104', '+16505550105', '+18885550107']],
      [['--tag', 'sales', '--area-code', '650'], ['+16505550104', '+16505550105']],
      [['--tag', 'sales', '--type', 'toll-free'], ['+18885550107']],
      [['--tag', 'support', '--area-code', '415'], ['+14155550102']],
      [['--agent', 'agents/sales-agent'], ['+14155550103', '+14155550110', '+16505550105', '+18885550107']],
      [['--agent', 'agents/sales-agent', '--workspace', 'production'], ['+14155550103', '+16505550105', '+18885550107']],
      [['--agent', 'agents/sales-agent', '--workspace', 'staging'], ['+14155550103', '+14155550110', '+16505550105']],
      [['--workspace', 'production', '--pool', 'sales-pool', '--agent', 'agents/sales-agent'], []],
      [['--pool', 'sales-pool'], ['+14155550109', '+14155550110', '+14155550111']],
      [['--pool', 'sales-pool', '--agent', 'agents/sales-agent'], ['+14155550110']],
      [['--trunk', 'TK2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b'], ['+12125550106', '+14155550108']],
      [['--trunk', 'TK2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b', '--tag', 'support'], ['+12125550106']],
      [['--type', 'mobile'], []],
    ] as [string[], string[]][])('search %j', async ([args, expected], { expect }) => {
      expect(numbersOf(await run(['search', ...args, '--json']))).toEqual(expected);
    });

    it('--json entries are directory entries', async ({ expect }) => {
      expect(json(await run(['search', '--type', 'toll-free', '--json'])).map(withoutLegs)).toEqual([directory.numbers['+18885550107']]);
    });

    it('prints the table like list', async ({ expect }) => {
      const r = await run(['search', '--area-code', '212']);
      expect(r.exitCode).toBe(0);
      expect(hasLine(r.stdout, /^\+12125550106\s+\(212\) 555-0106\s+local\s+twilio\s+production\s+Retell\s+agents\/customer-service \(inbound-outbound\)/)).toBe(true);
      expect(r.stdout).toMatch(/^1 number$/m);
    });
  });

  describe('diff', () => {
    it('prints only-in-A, only-in-B and assigned-differently sections', async ({ expect }) => {
      const r = await run(['diff', 'staging', 'production']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^Only in staging \(1\):$/m);
      expect(r.stdout).toMatch(/^Only in production \(0\):$/m);
      expect(r.stdout).toMatch(/^Assigned differently \(4\):$/m);
      expect(hasLine(r.stdout, /\+14155550112\s+agents\/customer-service \(inbound-only\)/)).toBe(true);
    });

    it('--json is {only_in_a, only_in_b, different}', async ({ expect }) => {
      const d = json(await run(['diff', 'staging', 'production', '--json']));
      expect(Object.keys(d).sort()).toEqual(['different', 'only_in_a', 'only_in_b']);
      expect(d.only_in_a).toEqual([{
        phone_number: '+14155550112', assignment_type: 'inbound-only', agent_path: 'agents/customer-service',
        inbound_agents: [{ agent_id: 'agent_stg_custsvc_4f2a9c', agent_path: 'agents/customer-service', weight: 1 }], outbound_agents: [],
      }]);
      expect(d.only_in_b).toEqual([]);
      // +12125550106 splits its inbound calls 70/30 in staging only: a difference on the weighted leg.
      expect(d.different.map((x: any) => x.phone_number)).toEqual(['+12125550106', '+14155550108', '+14155550110', '+18885550107']);
      expect(d.different[1]).toEqual({
        phone_number: '+14155550108',
        a: {
          agent_path: 'agents/after-hours', agent_id: 'agent_stg_afterhrs_b2c4d6', assignment_type: 'inbound-only',
          inbound_agents: [{ agent_id: 'agent_stg_afterhrs_b2c4d6', agent_path: 'agents/after-hours', weight: 1 }], outbound_agents: [],
        },
        b: { agent_path: null, agent_id: null, assignment_type: 'unassigned', inbound_agents: [], outbound_agents: [] },
      });
      // Swapping the sides swaps the lists.
      const back = json(await run(['diff', 'production', 'staging', '--json']));
      expect(back.only_in_b).toEqual(d.only_in_a);
      expect(back.only_in_a).toEqual([]);
    });

    it('--exit-code exits 1 when the workspaces differ, 0 when they do not', async ({ expect }) => {
      const differs = await run(['diff', 'staging', 'production', '--exit-code', '--json']);
      expect(differs.exitCode).toBe(1);
      expect(JSON.parse(differs.stdout).only_in_a).toHaveLength(1);
      expect((await run(['diff', 'staging', 'staging', '--exit-code'])).exitCode).toBe(0);
    });
  });

  describe('validate', () => {
    it('passes on the sample with the seed\'s text', async ({ expect }) => {
      const r = await run(['validate']);
      expect(r.exitCode).toBe(0);
      const out = lines(r.stdout);
      expect(out[0]).toBe('Validating phone number directory...');
      expect(out).toContain('✓ All numbers have valid carrier SIDs');
      expect(out).toContain('✓ All assigned numbers reference existing agents');
      expect(out.slice(-2)).toEqual(['Errors: 0', 'Warnings: 0']);
    });

    it('--json is {ok, errors, warnings}', async ({ expect }) => {
      expect(json(await run(['validate', '--json']))).toEqual({ ok: true, errors: [], warnings: [] });
      expect(json(await run(['validate', '--format', 'json']))).toEqual({ ok: true, errors: [], warnings: [] });
    });

    it('--format github prints nothing for a clean directory', async ({ expect }) => {
      const r = await run(['validate', '--format', 'github']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('');
    });
  });

  describe('report', () => {
    it("prints the seed's sections with the sample's numbers", async ({ expect }) => {
      const r = await run(['report']);
      expect(r.exitCode).toBe(0);
      const out = lines(r.stdout);
      const sections = ['Phone Number Directory Report', 'Summary:', 'By Workspace:', 'By Platform:', 'By Type:', 'By Provider:', 'Top Agents by Number Count:', 'Import Methods:', 'Recent Activity:'];
      const at = sections.map((s) => out.indexOf(s));
      expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(out[1]).toMatch(/^Generated: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      for (const l of [
        '  Total Numbers: 12', '  Assigned: 10', '  Unassigned: 2',
        '  Staging: 12 numbers, 9 assigned', '  Production: 11 numbers, 7 assigned', '  Retell: 12 numbers, 10 assigned (production, staging)',
        '  Local: 11', '  Toll-Free: 1', '  Twilio: 11', '  SIP Trunk: 22', '  Direct Purchase: 1',
        '  Last Assignment: +14155550110 → agents/sales-agent (2025-11-18T15:30:00Z)', '  Last Twilio Sync: never',
      ]) expect(out, l).toContain(l);
      expect(hasLine(r.stdout, /^ {2}1\. agents\/sales-agent\s+4 numbers$/)).toBe(true);
      expect(hasLine(r.stdout, /^ {2}5\. agents\/after-hours\s+1 number$/)).toBe(true);
    });

    it('--json carries the same figures', async ({ expect }) => {
      const rep = json(await run(['report', '--json']));
      expect(rep.summary).toEqual({ total_numbers: 12, assigned: 10, unassigned: 2 });
      expect(rep.by_workspace).toEqual({ production: { numbers: 11, assigned: 7, platform: 'retell' }, staging: { numbers: 12, assigned: 9, platform: 'retell' } });
      expect(rep.by_platform).toEqual({ retell: { workspaces: 2, numbers: 12, assigned: 10 } });
      expect(rep.by_type).toEqual({ local: 11, 'toll-free': 1 });
      expect(rep.top_agents[0]).toEqual({ agent_path: 'agents/sales-agent', agent_name: 'Sales Agent', numbers: 4 });
      expect(rep.import_methods).toEqual({ 'direct-purchase': 1, 'sip-trunk': 22 });
      expect(json(await run(['report', '--format', 'json'])).summary).toEqual(rep.summary);
    });

    it('--format csv is RFC 4180 with a header and one row per number and workspace', async ({ expect }) => {
      const r = await run(['report', '--format', 'csv']);
      expect(r.exitCode).toBe(0);
      // execa strips the final line break; every other record ends in CRLF, with no bare LF anywhere.
      expect(r.stdout.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const [header, ...rows] = parseCsv(r.stdout);
      expect(header).toEqual(expect.arrayContaining(['phone_number', 'workspace', 'agent_path', 'agent_id', 'assignment_type', 'phone_number_type', 'nickname']));
      const col = (name: string) => header!.indexOf(name);
      const expected = Object.values(directory.numbers as Record<string, any>).flatMap((n) => Object.keys(n.workspaces).map((ws) => `${n.phone_number} ${ws}`));
      expect(rows).toHaveLength(23);
      expect(rows.map((row) => `${row[col('phone_number')]} ${row[col('workspace')]}`).sort()).toEqual(expected.sort());
      for (const row of rows) expect(row).toHaveLength(header!.length);
      const salesProd = rows.find((row) => row[col('phone_number')] === '+18885550107' && row[col('workspace')] === 'production')!;
      expect([salesProd[col('agent_path')], salesProd[col('assignment_type')], salesProd[col('agent_id')]]).toEqual(['agents/sales-agent', 'inbound-only', 'agent_prd_sales_2d9f6b']);
      const salesStg = rows.find((row) => row[col('phone_number')] === '+18885550107' && row[col('workspace')] === 'staging')!;
      expect([salesStg[col('agent_path')], salesStg[col('assignment_type')]]).toEqual(['', 'unassigned']);
    });
  });

  describe('global behaviour', () => {
    it('--json puts exactly one JSON document on stdout for every reading command', async ({ expect }) => {
      for (const args of [['list'], ['show', '+14155550101'], ['agent-numbers', 'agents/sales-agent'], ['unassigned'], ['search', '--tag', 'sales'], ['validate'], ['diff', 'staging', 'production'], ['report']]) {
        const r = await run([...args, '--json']);
        expect(r.exitCode, args.join(' ')).toBe(0);
        expect(() => JSON.parse(r.stdout), args.join(' ')).not.toThrow();
        expect(r.stderr, args.join(' ')).toBe('');
      }
    });

    it('-C points at the project from anywhere, and the root is found from a subfolder', async ({ expect }) => {
      const elsewhere = await runCli(['-C', root, 'list', '--json'], { cwd: tmpdir() });
      expect(JSON.parse(elsewhere.stdout)).toHaveLength(12);
      const below = await runCli(['list', '--json'], { cwd: path.join(root, 'agents', 'sales-agent') });
      expect(JSON.parse(below.stdout)).toHaveLength(12);
    });

    it('reading commands never load the provider SDKs', async ({ expect }) => {
      // An ESM resolve hook logs every module the process resolves.
      const hooks = path.join(root, '.module-hooks');
      const nodeOptions = await writeModuleLogHooks(hooks);
      const loaded = async (args: string[], i: number) => {
        const log = path.join(hooks, `${i}.log`);
        const r = await run(args, { NODE_OPTIONS: nodeOptions, MODULE_LOG: log });
        expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        return (await readFile(log, 'utf8')).split('\n').filter((u) => /\/node_modules\/(twilio|retell-sdk|@vapi-ai\/server-sdk)\//.test(u));
      };
      const commands = [['--version'], ['list'], ['show', '+14155550101'], ['search', '--provider', 'signalwire'], ['search', '--platform', 'vapi'], ['agent-numbers', 'agents/sales-agent'], ['unassigned'], ['search', '--tag', 'sales'],
        ['validate'], ['diff', 'staging', 'production'], ['report'], ['report', '--format', 'csv'], ['report', '--format', 'markdown'], ['list', '--json'], ['history', '--help']];
      const found = await Promise.all(commands.map((args, i) => loaded(args, i)));
      expect(Object.fromEntries(commands.map((c, i) => [c.join(' '), found[i]]))).toEqual(Object.fromEntries(commands.map((c) => [c.join(' '), []])));
      // The hook does see the SDKs when they are loaded.
      const control = path.join(hooks, 'control.log');
      await execa('node', ['--input-type=module', '-e', "await import('twilio'); await import('@vapi-ai/server-sdk/phoneNumbers')"], {
        cwd: REPO_ROOT, env: { NODE_OPTIONS: nodeOptions, MODULE_LOG: control },
      });
      expect(await readFile(control, 'utf8')).toMatch(/\/node_modules\/twilio\//);
      expect(await readFile(control, 'utf8')).toMatch(/\/node_modules\/@vapi-ai\/server-sdk\//);
    });

    it('--version prints the package version', async ({ expect }) => {
      const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      const r = await run(['--version']);
      expect(r.stdout.trim()).toBe(pkg.version);
    });

    it('NO_COLOR and --no-color produce no ANSI escapes; FORCE_COLOR=1 produces them', async ({ expect }) => {
      for (const args of [['validate'], ['list'], ['show', '+14155550101'], ['report'], ['show', '555']]) {
        const plain = await run(args); // runCli sets NO_COLOR=1
        expect(plain.stdout + plain.stderr, args.join(' ')).not.toMatch(ANSI);
        const flag = await run(['--no-color', ...args], { NO_COLOR: '', FORCE_COLOR: '1' });
        expect(flag.stdout + flag.stderr, `--no-color ${args.join(' ')}`).not.toMatch(ANSI);
        const both = await run(args, { NO_COLOR: '1', FORCE_COLOR: '1' });
        expect(both.stdout + both.stderr, `NO_COLOR wins over FORCE_COLOR: ${args.join(' ')}`).not.toMatch(ANSI);
      }
      const forced = await run(['validate'], { NO_COLOR: '', FORCE_COLOR: '1' });
      expect(forced.stdout).toMatch(ANSI);
      expect(forced.stdout).toContain('\u001b[32m✓');
      const forcedErr = await run(['show', '555'], { NO_COLOR: '', FORCE_COLOR: '1' });
      expect(forcedErr.stderr).toMatch(ANSI);
      // --json stays plain even when colour is forced.
      const forcedJson = await run(['list', '--json'], { NO_COLOR: '', FORCE_COLOR: '1' });
      expect(forcedJson.stdout).not.toMatch(ANSI);
    });
  });

  describe('exit codes', () => {
    it.for([
      ['a bad flag', ['list', '--bogus'], /--bogus/],
      ['a bad --format for report', ['report', '--format', 'xml'], /xml/],
      ['a bad --format for validate', ['validate', '--format', 'xml'], /xml/],
      ['an invalid number', ['show', '555'], /"555"/],
      ['an invalid number in national form', ['show', '(415) 555-010'], /\(415\) 555-010/],
      ['a bad --type', ['search', '--type', 'landline'], /landline/],
      ['a bad --area-code', ['search', '--area-code', '41'], /41/],
      ['a missing argument', ['show'], /number/],
      ['an unknown command', ['frobnicate'], /frobnicate/],
      ['an unknown shell', ['completion', 'tcsh'], /tcsh/],
      ['an unknown workspace (list)', ['list', '--workspace', 'nope'], /nope/],
      ['an unknown workspace (search)', ['search', '--workspace', 'nope'], /nope/],
      ['an unknown workspace (unassigned)', ['unassigned', '--workspace', 'nope'], /nope/],
      ['an unknown workspace (agent-numbers)', ['agent-numbers', 'agents/sales-agent', '--workspace', 'nope'], /nope/],
      ['an unknown workspace (diff)', ['diff', 'staging', 'nope'], /nope/],
    ] as [string, string[], RegExp][])('2 for %s', async ([, args, message], { expect }) => {
      const r = await run(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });

    it.for([
      ['an unknown number', ['show', '+14155559999'], /\+14155559999/],
      ['an unknown number in national form', ['show', '(415) 555-9999'], /\+14155559999/],
      ['an unknown agent id (agent-numbers)', ['agent-numbers', 'agent_does_not_exist'], /agent_does_not_exist/],
      ['an unknown agent id (list)', ['list', '--agent', 'agent_does_not_exist'], /agent_does_not_exist/],
      ['an unknown agent id (search)', ['search', '--agent', 'agent_does_not_exist', '--json'], /agent_does_not_exist/],
      ['an unknown agent path', ['agent-numbers', 'agents/nobody'], /agents\/nobody/],
      ['an unknown agent path (list)', ['list', '--agent', 'agents/nobody'], /agents\/nobody/],
    ] as [string, string[], RegExp][])('4 for %s', async ([, args, message], { expect }) => {
      const r = await run(args);
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  });

  describe('help', () => {
    it('phone-dir --help lists every command of the contract, with examples', async ({ expect }) => {
      const r = await run(['--help']);
      expect(r.exitCode).toBe(0);
      const listed = commandNames(r.stdout);
      for (const c of CONTRACT_COMMANDS) expect(listed, c).toContain(c);
      expect(r.stdout).toMatch(/^Examples:$/m);
    });

    it("every command's --help shows an Examples: section", async ({ expect }) => {
      const top = commandNames((await run(['--help'])).stdout).filter((c) => c !== 'help');
      const missing: string[] = [];
      const visit = async (cmd: string[]) => {
        const r = await run([...cmd, '--help']);
        expect(r.exitCode, cmd.join(' ')).toBe(0);
        // Placeholders of commands not yet implemented have nothing to show an example of.
        if (/not yet\s+available/.test(r.stdout)) return;
        if (!/^Examples:\n {2}\$ \S/m.test(r.stdout)) missing.push(cmd.join(' '));
        for (const sub of commandNames(r.stdout).filter((c) => c !== 'help')) await visit([...cmd, sub]);
      };
      for (const c of top) await visit([c]);
      expect(missing).toEqual([]);
    });
  });
});

/** Command names from a commander help text's "Commands:" section. */
function commandNames(help: string): string[] {
  const out = lines(help);
  const start = out.indexOf('Commands:');
  if (start === -1) return [];
  const names: string[] = [];
  for (const l of out.slice(start + 1)) {
    if (l.trim() === '' || !l.startsWith('  ')) break;
    const m = /^ {2}([a-z][\w-]*)/.exec(l);
    if (m) names.push(m[1]!);
  }
  return names;
}

describe('failing checks exit 1', () => {
  let root: string;
  beforeAll(async () => { root = await sampleProject(); });
  afterAll(async () => { await removeProject(root); });

  it('warnings pass without --strict and fail with it', async () => {
    await editJson(path.join(root, 'phone-numbers', 'pools.json'), (j) => { j.pools['sales-pool'].min_available = 5; });
    const plain = await runCli(['validate', '--json'], { cwd: root });
    expect(plain.exitCode).toBe(0);
    const result = JSON.parse(plain.stdout);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w: any) => w.rule)).toEqual(['pool-below-minimum']);
    const strict = await runCli(['validate', '--strict', '--json'], { cwd: root });
    expect(strict.exitCode).toBe(1);
    expect(JSON.parse(strict.stdout).ok).toBe(false);
    const text = await runCli(['validate', '--strict'], { cwd: root });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/^⚠ 1 pool below its minimum found$/m);
    expect(text.stdout).toMatch(/^Warnings: 1$/m);
  });

  it('errors fail validate, in every format, with the findings named', async () => {
    await editJson(path.join(root, 'phone-numbers', 'directory.json'), (j) => { j.numbers['+14155550103'].twilio.phone_number_sid = 'PNnot-a-sid'; });
    const text = await runCli(['validate'], { cwd: root });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/^✗ 1 invalid carrier SID found$/m);
    expect(text.stdout).toMatch(/^ {2}- .*\+14155550103.*PNnot-a-sid/m);
    expect(text.stdout).toMatch(/^Errors: 1$/m);
    const asJson = await runCli(['validate', '--json'], { cwd: root });
    expect(asJson.exitCode).toBe(1);
    const result = JSON.parse(asJson.stdout);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ rule: 'carrier-sid', message: expect.stringContaining('PNnot-a-sid'), phone_number: '+14155550103', file: 'phone-numbers/directory.json' }]);
    for (const f of [...result.errors, ...result.warnings]) {
      expect(Object.keys(f).every((k) => ['rule', 'message', 'phone_number', 'workspace', 'file'].includes(k))).toBe(true);
    }
    const gh = await runCli(['validate', '--format', 'github'], { cwd: root });
    expect(gh.exitCode).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=phone-numbers\/directory\.json,title=phone-dir carrier-sid::.*PNnot-a-sid/m);
  });
});

describe('invalid data files exit 2 with one line naming file and field', () => {
  let root: string;
  const numbersFile = () => path.join(root, 'phone-numbers', 'staging', 'numbers.json');
  let original: string;
  beforeAll(async () => {
    root = await sampleProject();
    original = await readFile(numbersFile(), 'utf8');
  });
  afterAll(async () => { await removeProject(root); });

  const expectOneLineError = (r: CliResult, pattern: RegExp) => {
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const errLines = r.stderr.trim().split('\n');
    expect(errLines, r.stderr).toHaveLength(1);
    expect(errLines[0]).toMatch(pattern);
  };

  it('broken JSON', async () => {
    await writeFile(numbersFile(), original.slice(0, 200));
    for (const args of [['list'], ['show', '+14155550101'], ['agent-numbers', 'agents/sales-agent'], ['unassigned'], ['search', '--tag', 'sales'], ['diff', 'staging', 'production'], ['report']]) {
      expectOneLineError(await runCli(args, { cwd: root }), /^error: phone-numbers\/staging\/numbers\.json:\d+:\d+: invalid JSON\b/);
    }
    // validate reports it as a finding too, without the knock-on effects of a file it could not read (exit 2: unreadable data).
    const v = await runCli(['validate', '--json'], { cwd: root });
    expect(v.exitCode).toBe(2);
    const result = JSON.parse(v.stdout);
    expect(result.errors).toEqual([{ rule: 'schema', message: expect.stringMatching(/^phone-numbers\/staging\/numbers\.json:\d+:\d+: invalid JSON/), file: 'phone-numbers/staging/numbers.json', line: expect.any(Number), column: expect.any(Number) }]);
    expect(result.warnings).toEqual([]);
  });

  it('a schema violation (a field of the wrong type)', async () => {
    await writeFile(numbersFile(), original);
    await editJson(numbersFile(), (j) => { j.numbers[1].phone_number = 14155550101; });
    for (const args of [['list'], ['show', '+14155550101'], ['report', '--format', 'csv']]) {
      expectOneLineError(await runCli(args, { cwd: root }), /^error: phone-numbers\/staging\/numbers\.json: numbers\.1\.phone_number: \S/);
    }
    const v = await runCli(['validate', '--json'], { cwd: root });
    expect(v.exitCode).toBe(1);
    expect(JSON.parse(v.stdout).errors).toEqual([expect.objectContaining({ rule: 'schema', file: 'phone-numbers/staging/numbers.json', message: expect.stringContaining('numbers.1.phone_number') })]);
  });

  it('a schema violation (a value outside its enum)', async () => {
    await writeFile(numbersFile(), original);
    await editJson(path.join(root, 'phone-numbers', 'directory.json'), (j) => { j.numbers['+14155550102'].phone_number_type = 'landline'; });
    try {
      const r = await runCli(['show', '+14155550102'], { cwd: root });
      expectOneLineError(r, /^error: phone-numbers\/directory\.json: numbers\.\+14155550102\.phone_number_type: \S/);
      const v = await runCli(['validate', '--json'], { cwd: root });
      expect(v.exitCode).toBe(1);
      expect(JSON.parse(v.stdout).errors).toContainEqual(expect.objectContaining({ rule: 'schema', file: 'phone-numbers/directory.json', message: expect.stringContaining('numbers.+14155550102.phone_number_type') }));
    } finally {
      await editJson(path.join(root, 'phone-numbers', 'directory.json'), (j) => { j.numbers['+14155550102'].phone_number_type = 'local'; });
    }
  });

  it('a file that is not the right shape at all', async () => {
    await writeFile(numbersFile(), original);
    await editJson(path.join(root, 'phone-numbers', 'directory.json'), (j) => { j.numbers = []; });
    expectOneLineError(await runCli(['list'], { cwd: root }), /^error: phone-numbers\/directory\.json: numbers: \S/);
  });
});

describe('report output', () => {
  let root: string;
  beforeAll(async () => { root = await sampleProject(); });
  afterAll(async () => { await removeProject(root); });

  it('CSV quotes fields holding commas, quotes and line breaks, and they parse back', async () => {
    const nickname = 'Sales, "VIP"\nline';
    await editJson(path.join(root, 'phone-numbers', 'staging', 'numbers.json'), (j) => {
      j.numbers.find((n: any) => n.phone_number === '+14155550103').nickname = nickname;
    });
    const r = await runCli(['report', '--format', 'csv'], { cwd: root });
    expect(r.exitCode).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(rows).toHaveLength(23);
    const row = rows.find((x) => x[header!.indexOf('phone_number')] === '+14155550103' && x[header!.indexOf('workspace')] === 'staging')!;
    expect(row[header!.indexOf('nickname')]).toBe(nickname);
  });

  it("Last Twilio Sync is the newest sync that read Twilio (sync-retell runs do not)", async () => {
    await mkdir(path.join(root, 'phone-numbers', 'twilio'), { recursive: true });
    const entry = (timestamp: string, type: string, status = 'success') => ({ timestamp, type, numbers_synced: 12, trunks_synced: 2, duration_ms: 100, status });
    await writeFile(path.join(root, 'phone-numbers', 'twilio', 'sync.json'), JSON.stringify({
      version: '1.0.0', last_full_sync: '2025-11-19T11:00:00Z', last_incremental_sync: '2025-11-19T12:30:00Z',
      sync_history: [entry('2025-11-19T12:30:00Z', 'retell'), entry('2025-11-19T12:20:00Z', 'twilio', 'failed'), entry('2025-11-19T12:10:00Z', 'twilio'), entry('2025-11-19T11:00:00Z', 'full')],
      next_sync: null, sync_interval_minutes: 60,
    }));
    const text = await runCli(['report'], { cwd: root });
    expect(text.stdout).toMatch(/^ {2}Last Twilio Sync: 2025-11-19T12:10:00Z$/m);
    const js = await runCli(['report', '--json'], { cwd: root });
    expect(JSON.parse(js.stdout).recent_activity.last_twilio_sync).toBe('2025-11-19T12:10:00Z');
  });

  it('--output writes the file (relative to the working directory) and nothing to stdout', async () => {
    await mkdir(path.join(root, 'out'), { recursive: true });
    const csv = await runCli(['report', '--format', 'csv', '--output', 'out/inventory.csv'], { cwd: root });
    expect(csv.exitCode).toBe(0);
    expect(csv.stdout).toBe('');
    const written = await readFile(path.join(root, 'out', 'inventory.csv'), 'utf8');
    const direct = await runCli(['report', '--format', 'csv'], { cwd: root });
    expect(written).toBe(`${direct.stdout}\r\n`);
    expect(parseCsv(written).length).toBe(24);

    const js = await runCli(['report', '--json', '--output', 'report.json'], { cwd: path.join(root, 'out') });
    expect(js.exitCode).toBe(0);
    expect(js.stdout).toBe('');
    expect(JSON.parse(await readFile(path.join(root, 'out', 'report.json'), 'utf8')).summary.total_numbers).toBe(12);

    const text = await runCli(['report', '--output', 'report.txt'], { cwd: root, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(text.exitCode).toBe(0);
    const txt = await readFile(path.join(root, 'report.txt'), 'utf8');
    expect(txt).toMatch(/^Phone Number Directory Report\n/);
    expect(txt).not.toMatch(ANSI);
    expect(existsSync(path.join(root, 'phone-numbers', 'report.txt'))).toBe(false);
  });
});

describe('split and weighted numbers show every agent', () => {
  // In the sample, +16505550105 answers with agents/sales-agent and calls out as agents/appointment-setter.
  let root: string;
  beforeAll(async () => { root = await sampleProject(); });
  afterAll(async () => { await removeProject(root); });
  const run = (args: string[]) => runCli(args, { cwd: root });
  const leg = (agent_id: string, agent_path: string, weight = 1) => ({ agent_id, agent_path, weight });

  it('list and search name the inbound and the outbound agent', async () => {
    const list = await run(['list', '--workspace', 'production']);
    expect(hasLine(list.stdout, /^\+16505550105\s.*production\s+Retell\s+in: agents\/sales-agent; out: agents\/appointment-setter\s+Sales Inbound/)).toBe(true);
    const search = await run(['search', '--agent', 'agents/appointment-setter']);
    const rows = lines(search.stdout).filter((l) => l.startsWith('+'));
    expect(rows).toHaveLength(4);
    // Every row of an agent's search names that agent.
    for (const row of rows) expect(row).toContain('agents/appointment-setter');
  });

  it('a weighted side shows each agent with its share', async () => {
    const r = await run(['list', '--workspace', 'staging']);
    expect(hasLine(r.stdout, /^\+12125550106\s.*staging\s+Retell\s+in: agents\/customer-service 70%, agents\/support-tier1 30%; out: agents\/customer-service\s+NYC Support$/)).toBe(true);
    const agent = await run(['agent-numbers', 'agents/customer-service', '--workspace', 'staging']);
    expect(hasLine(agent.stdout, /^ {2}\+12125550106\s+\(inbound-outbound, shared: inbound: agents\/support-tier1 30%\)\s+NYC Support$/)).toBe(true);
  });

  it('search --agent shows only the rows where that agent is bound', async () => {
    const r = await run(['search', '--agent', 'agents/sales-agent']);
    expect(r.exitCode).toBe(0);
    // +18885550107 is the sales hotline in production and unassigned in staging: the staging row is not the agent's.
    expect(hasLine(r.stdout, /^\+18885550107\s.*production\s+Retell\s+agents\/sales-agent \(inbound-only\)/)).toBe(true);
    expect(hasLine(r.stdout, /^\+18885550107\s.*staging/)).toBe(false);
    expect(lines(r.stdout).filter((l) => l.startsWith('+')).every((l) => l.includes('agents/sales-agent'))).toBe(true);
    expect(r.stdout).toMatch(/^4 numbers$/m);
  });

  it('list --unassigned shows only the unassigned rows', async () => {
    const r = await run(['list', '--unassigned']);
    const rows = lines(r.stdout).filter((l) => l.startsWith('+'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/\sunassigned\s/);
  });

  it('list, search and show --json carry both legs per workspace', async () => {
    const expected = {
      inbound_agents: [leg('agent_prd_sales_2d9f6b', 'agents/sales-agent')],
      outbound_agents: [leg('agent_prd_appts_3a6f90', 'agents/appointment-setter')],
    };
    const show = json(await run(['show', '+16505550105', '--json']));
    expect(show.workspaces.production).toMatchObject({ agent_path: 'agents/sales-agent', assignment_type: 'inbound-outbound', ...expected });
    const listed = json(await run(['list', '--agent', 'agents/appointment-setter', '--json'])).find((e: any) => e.phone_number === '+16505550105');
    expect(listed.workspaces.production).toMatchObject(expected);
    const searched = json(await run(['search', '--area-code', '650', '--json'])).find((e: any) => e.phone_number === '+16505550105');
    expect(searched.workspaces.production).toMatchObject(expected);
    // A plain binding has one agent on each of its legs; an unassigned workspace none.
    const plain = json(await run(['show', '+16505550104', '--json']));
    expect(plain.workspaces.production).toMatchObject({ inbound_agents: [], outbound_agents: [leg('agent_prd_appts_3a6f90', 'agents/appointment-setter')] });
    const unassigned = json(await run(['show', '+18885550107', '--json']));
    expect(unassigned.workspaces.staging).toMatchObject({ inbound_agents: [], outbound_agents: [] });
  });

  it('show names the agent of each leg', async () => {
    const out = lines((await run(['show', '+16505550105'])).stdout);
    expect(out).toContain('    Inbound: agents/sales-agent (agent_prd_sales_2d9f6b)');
    expect(out).toContain('    Outbound: agents/appointment-setter (agent_prd_appts_3a6f90)');
    const weighted = lines((await run(['show', '+12125550106'])).stdout);
    expect(weighted).toContain('    Inbound: agents/customer-service (agent_stg_custsvc_4f2a9c) 70%, agents/support-tier1 (agent_stg_support1_91ab04) 30%');
  });

  it('agent-numbers says which leg the agent has and who has the other, in text and --json', async () => {
    const text = await run(['agent-numbers', 'agents/appointment-setter', '--workspace', 'production']);
    expect(hasLine(text.stdout, /^ {2}\+16505550105\s+\(inbound-outbound, outbound leg; inbound: agents\/sales-agent\)\s+Sales Inbound/)).toBe(true);
    const rows = json(await run(['agent-numbers', 'agents/appointment-setter', '--workspace', 'production', '--json']));
    expect(rows.find((x: any) => x.phone_number === '+16505550105')).toEqual({
      workspace: 'production', phone_number: '+16505550105', assignment_type: 'inbound-outbound', nickname: 'Sales Inbound / Booking Outbound',
      direction: 'outbound', inbound_agents: [leg('agent_prd_sales_2d9f6b', 'agents/sales-agent')], outbound_agents: [leg('agent_prd_appts_3a6f90', 'agents/appointment-setter')],
    });
    const sales = json(await run(['agent-numbers', 'agents/sales-agent', '--workspace', 'production', '--json']));
    expect(sales.find((x: any) => x.phone_number === '+16505550105').direction).toBe('inbound');
    expect(sales.find((x: any) => x.phone_number === '+14155550103').direction).toBe('both');
  });

  it('a split number without the weighted lists (hand-written) still shows its outbound agent', async () => {
    const file = path.join(root, 'phone-numbers', 'production', 'assignments.json');
    const original = await readFile(file, 'utf8');
    try {
      await editJson(file, (j) => {
        const a = j.assignments.find((x: any) => x.phone_number === '+16505550105');
        delete a.inbound_agents;
        delete a.outbound_agents;
      });
      const out = lines((await run(['show', '+16505550105'])).stdout);
      expect(out).toContain('    Outbound: agents/appointment-setter (agent_prd_appts_3a6f90)');
      const rows = json(await run(['agent-numbers', 'agents/sales-agent', '--workspace', 'production', '--json']));
      expect(rows.find((x: any) => x.phone_number === '+16505550105').direction).toBe('inbound');
      const entry = json(await run(['show', '+16505550105', '--json']));
      expect(entry.workspaces.production.outbound_agents).toEqual([{ agent_id: 'agent_prd_appts_3a6f90', agent_path: null, weight: 1 }]);
    } finally {
      await writeFile(file, original);
    }
  });

  it('report CSV has both legs per row', async () => {
    const [header, ...rows] = parseCsv((await run(['report', '--format', 'csv'])).stdout);
    const col = (name: string) => header!.indexOf(name);
    const row = rows.find((x) => x[col('phone_number')] === '+16505550105' && x[col('workspace')] === 'production')!;
    expect([row[col('inbound_agents')], row[col('outbound_agents')]]).toEqual(['agents/sales-agent', 'agents/appointment-setter']);
    const weighted = rows.find((x) => x[col('phone_number')] === '+12125550106' && x[col('workspace')] === 'staging')!;
    expect(weighted[col('inbound_agents')]).toBe('agents/customer-service=0.7;agents/support-tier1=0.3');
  });
});

describe('diff of a workspace with itself', () => {
  let root: string;
  beforeAll(async () => { root = await sampleProject(); });
  afterAll(async () => { await removeProject(root); });

  it('says once that it is identical, exit 0 (also with --exit-code), and --json is empty', async () => {
    const r = await runCli(['diff', 'staging', 'staging'], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('staging compared with itself: identical (12 numbers).');
    expect(r.stdout).not.toContain('Only in');
    expect((await runCli(['diff', 'staging', 'staging', '--exit-code'], { cwd: root })).exitCode).toBe(0);
    expect(json(await runCli(['diff', 'staging', 'staging', '--json'], { cwd: root }))).toEqual({ only_in_a: [], only_in_b: [], different: [] });
  });
});

describe('control characters from files never reach the terminal raw', () => {
  // What a hostile Retell nickname or a careless hand edit can hold: a window-title escape, a colour, a
  // newline that forges a row, an 8-bit CSI and a right-to-left override.
  const HOSTILE = 'Evil\u001b]0;pwned\u0007\u001b[31mRED\nFAKE ROW\r\u009b2J\u202eabc';
  const ESCAPED = 'Evil\\x1b]0;pwned\\x07\\x1b[31mRED\\nFAKE ROW\\r\\x9b2J\\u202eabc';
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/; // eslint-disable-line no-control-regex
  let root: string;
  beforeAll(async () => {
    root = await sampleProject();
    for (const ws of ['staging', 'production']) {
      await editJson(path.join(root, 'phone-numbers', ws, 'numbers.json'), (j) => {
        j.numbers.find((n: any) => n.phone_number === '+16505550105').nickname = HOSTILE;
        j.numbers.find((n: any) => n.phone_number === '+14155550109').nickname = HOSTILE; // unassigned
      });
    }
    // An agent path reaches the report's top agents and diff (production now differs from staging there).
    await editJson(path.join(root, 'phone-numbers', 'production', 'assignments.json'), (j) => {
      j.assignments.find((a: any) => a.phone_number === '+16505550104').agent_path = `agents/${HOSTILE}`;
    });
    await editJson(path.join(root, 'phone-numbers', 'directory.json'), (j) => {
      const n = j.numbers['+16505550105'];
      n.twilio.friendly_name = HOSTILE;
      n.notes = HOSTILE;
      n.tags = [HOSTILE];
    });
    await editJson(path.join(root, 'agents', 'appointment-setter', 'agent.json'), (j) => { j.agent_name = HOSTILE; });
    await editJson(path.join(root, 'phone-numbers', 'production', 'assignments.json'), (j) => {
      j.assignments.find((a: any) => a.phone_number === '+16505550105').agent_name = HOSTILE;
    });
  });
  afterAll(async () => { await removeProject(root); });

  it.for([
    ['list'], ['search', '--area-code', '650'], ['show', '+16505550105'], ['agent-numbers', 'agents/appointment-setter'],
    ['unassigned'], ['report'], ['diff', 'staging', 'production'],
  ])('%s prints them escaped, on one line', async (args, { expect }) => {
    const r = await runCli(args, { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(ESCAPED);
    expect(r.stdout).not.toMatch(RAW);
    expect(hasLine(r.stdout, /^\s*FAKE ROW/)).toBe(false);
  });

  it('shows the escaped text where the value belongs', async () => {
    const show = lines((await runCli(['show', '+16505550105'], { cwd: root })).stdout);
    expect(show).toContain(`    Nickname: ${ESCAPED}`);
    expect(show).toContain(`  Friendly Name: ${ESCAPED}`);
    expect(show).toContain(`Notes: ${ESCAPED}`);
    expect(show).toContain(`    Agent Name: ${ESCAPED}`);
    const list = await runCli(['list', '--workspace', 'staging'], { cwd: root });
    expect(list.stdout).toContain(ESCAPED);
    const agent = await runCli(['agent-numbers', 'agents/appointment-setter'], { cwd: root });
    expect(lines(agent.stdout)[0]).toBe(`Agent: ${ESCAPED}`);
  });

  it('CSV keeps the line break as quoted data but carries no raw escape', async () => {
    const r = await runCli(['report', '--format', 'csv'], { cwd: root });
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u009b');
    const [header, ...rows] = parseCsv(r.stdout);
    const row = rows.find((x) => x[header!.indexOf('phone_number')] === '+16505550105')!;
    expect(row[header!.indexOf('nickname')]).toBe('Evil\\x1b]0;pwned\\x07\\x1b[31mRED\nFAKE ROW\r\\x9b2J\\u202eabc');
  });

  it('--json keeps the value itself (JSON escapes it)', async () => {
    const r = await runCli(['show', '+16505550105', '--json'], { cwd: root });
    expect(r.stdout).not.toMatch(RAW);
    expect(JSON.parse(r.stdout).twilio.friendly_name).toBe(HOSTILE);
  });
});

describe('report --output', () => {
  let root: string;
  beforeAll(async () => { root = await sampleProject(); });
  afterAll(async () => { await removeProject(root); });

  it('takes the format from the extension unless --format is given', async () => {
    expect((await runCli(['report', '--output', 'x.csv'], { cwd: root })).exitCode).toBe(0);
    const [header] = parseCsv(await readFile(path.join(root, 'x.csv'), 'utf8'));
    expect(header).toContain('phone_number');
    expect((await runCli(['report', '--output', 'x.JSON'], { cwd: root })).exitCode).toBe(0);
    expect(JSON.parse(await readFile(path.join(root, 'x.JSON'), 'utf8')).summary.total_numbers).toBe(12);
    expect((await runCli(['report', '--output', 'x.md'], { cwd: root })).exitCode).toBe(0);
    expect(await readFile(path.join(root, 'x.md'), 'utf8')).toMatch(/^Phone Number Directory Report\n/);
    expect((await runCli(['report', '--format', 'text', '--output', 'y.csv'], { cwd: root })).exitCode).toBe(0);
    expect(await readFile(path.join(root, 'y.csv'), 'utf8')).toMatch(/^Phone Number Directory Report\n/);
  });

  it.for([
    'phone-numbers/directory.json', 'phone-numbers/staging/numbers.json', 'phone-numbers/new.csv', 'phone-numbers',
    'workspaces.json', 'agents/sales-agent/agent.json', 'agents/report.txt', '<link>/directory.json',
  ])('refuses to write over phone-dir data: %s (exit 2, nothing changed)', async (given, { expect }) => {
    // A symlink elsewhere that leads into phone-numbers/ is phone-numbers/.
    const links = await mkdtemp(path.join(tmpdir(), 'phone-dir-link-'));
    await symlink(path.join(root, 'phone-numbers'), path.join(links, 'data'));
    const target = given.replace('<link>', path.join(links, 'data'));
    if (given === 'workspaces.json') await writeFile(path.join(root, 'workspaces.json'), '{}\n');
    const before = await snapshotTree(root);
    const r = await runCli(['report', '--output', target], { cwd: root });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --output: .*phone-dir's own data/m);
    expect(r.stdout).toBe('');
    expect(await snapshotTree(root)).toEqual(before);
    await rm(links, { recursive: true });
    await rm(path.join(root, 'workspaces.json'), { force: true });
  });

  it('refuses from a subfolder and through -C too', async () => {
    const fromBelow = await runCli(['report', '--output', '../../phone-numbers/directory.json'], { cwd: path.join(root, 'agents', 'sales-agent') });
    expect(fromBelow.exitCode).toBe(2);
    const viaC = await runCli(['-C', root, 'report', '--output', path.join(root, 'workspaces.json')], { cwd: tmpdir() });
    expect(viaC.exitCode).toBe(2);
    expect(existsSync(path.join(root, 'workspaces.json'))).toBe(false);
  });

  it('a failed write leaves no file and no temporary file behind (exit 2)', async () => {
    const r = await runCli(['report', '--output', 'missing/dir/x.csv'], { cwd: root });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--output: cannot write .*missing\/dir\/x\.csv: the folder .* does not exist/);
    await mkdir(path.join(root, 'a-folder.csv'), { recursive: true });
    const overFolder = await runCli(['report', '--output', 'a-folder.csv'], { cwd: root });
    expect(overFolder.exitCode).toBe(2);
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing file whole', async () => {
    await writeFile(path.join(root, 'old.csv'), 'x'.repeat(100_000));
    expect((await runCli(['report', '--output', 'old.csv'], { cwd: root })).exitCode).toBe(0);
    const written = await readFile(path.join(root, 'old.csv'), 'utf8');
    expect(written.startsWith('phone_number,')).toBe(true);
    expect(written).not.toContain('xxx');
  });
});
