import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import { BIN } from '../helpers/cli.js';
import { startProject, twilioHas, directoryEntries, expectValid, retellAgents, STAGING_SALES, type Project } from './helpers.js';

let p: Project;
beforeAll(async () => { p = await startProject({ pools: { spares: { workspace: 'staging', min_available: 0 } } }); });
afterAll(async () => { await p.close(); });

/** Runs the CLI on a pseudo-terminal (util-linux `script`) and types `input` at its prompt. */
async function atTerminal(args: string[], input: string): Promise<{ exitCode: number; output: string }> {
  const command = ['node', BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = await execa('script', ['-qec', command, '/dev/null'], {
    cwd: p.dir, input, reject: false,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...p.env }, extendEnv: false,
  });
  return { exitCode: r.exitCode ?? -1, output: r.stdout };
}

describe('number delete asks at a terminal', () => {
  it('lists the affected agents and changes nothing when the answer is no', async () => {
    const r = await atTerminal(['number', 'delete', '+14155550101', '--workspace', 'staging'], 'n\n');
    expect(r.output).toContain('agents/customer-service');
    expect(r.exitCode).toBe(1);
    expect(p.sb.state.retell.get('staging')!.numbers.has('+14155550101')).toBe(true);
    expect((await directoryEntries(p))['+14155550101'].workspaces.staging).toBeDefined();
  });

  it('says which pool the number leaves', async () => {
    const phone = '+14155550103'; // staging only
    expect((await p.run(['number', 'update', phone, '-w', 'staging', '--pool', 'spares'])).exitCode).toBe(0);
    const r = await atTerminal(['number', 'delete', phone, '--workspace', 'staging'], 'n\n');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('It leaves pool spares.');
    expect((await directoryEntries(p))[phone].pool).toBe('spares');
  });

  it('deletes when the answer is yes', async () => {
    const r = await atTerminal(['number', 'delete', '+14155550101', '--workspace', 'staging'], 'y\n');
    expect(r.exitCode).toBe(0);
    expect(p.sb.state.retell.get('staging')!.numbers.has('+14155550101')).toBe(false);
    await expectValid(p);
  });

  it('--release needs the number typed out; anything else keeps it at Twilio', async () => {
    const wrong = await atTerminal(['number', 'delete', '+14155550102', '--workspace', 'staging', '--release'], 'yes\n');
    expect(wrong.exitCode).toBe(1);
    expect(twilioHas(p.sb, '+14155550102')).toBe(true);
    expect(p.sb.state.retell.get('staging')!.numbers.has('+14155550102')).toBe(true);
    const typed = await atTerminal(['number', 'delete', '+14155550102', '--workspace', 'staging', '--release'], '+14155550102\n');
    expect(typed.exitCode).toBe(0);
    expect(twilioHas(p.sb, '+14155550102')).toBe(false);
    expect((await directoryEntries(p))['+14155550102']).toBeUndefined();
    await expectValid(p);
  });
});

describe('pool release --agent asks at a terminal', () => {
  const bound = async () => (await p.readJson('phone-numbers/staging/assignments.json')).assignments
    .filter((a: { agent_path: string | null }) => a.agent_path === 'agents/sales-agent').map((a: { phone_number: string }) => a.phone_number) as string[];

  it('lists the numbers it would unassign and changes nothing when the answer is no', async () => {
    const numbers = await bound();
    expect(numbers.length).toBeGreaterThan(0);
    const r = await atTerminal(['pool', 'release', '--agent', 'agents/sales-agent', '--workspace', 'staging'], 'n\n');
    expect(r.exitCode).toBe(1);
    for (const n of numbers) expect(r.output).toContain(n);
    expect(r.output).toContain('cancelled: nothing released');
    expect(await bound()).toEqual(numbers);
    for (const n of numbers) {
      const agents = retellAgents(p.sb, 'staging', n)!;
      expect([...agents.inbound, ...agents.outbound]).toContain(STAGING_SALES);
    }
  });

  it('releases them when the answer is yes', async () => {
    const numbers = await bound();
    const r = await atTerminal(['pool', 'release', '--agent', 'agents/sales-agent', '--workspace', 'staging'], 'y\n');
    expect(r.exitCode, r.output).toBe(0);
    expect(await bound()).toEqual([]);
    expect(r.output).toMatch(/released \d+ numbers/);
    for (const n of numbers) expect(r.output).toContain(n);
    for (const n of p.sb.state.retell.get('staging')!.numbers.keys()) {
      const agents = retellAgents(p.sb, 'staging', n)!;
      expect([...agents.inbound, ...agents.outbound]).not.toContain(STAGING_SALES);
    }
    await expectValid(p);
  });
});
