/**
 * --quiet on every command (README "Commands"): commands that report a status print errors and at most
 * one summary line, and only when something changed or failed; data a user asked for still prints.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { editJson } from '../helpers/fixture.js';
import { startProject, TRUNK_MAIN, MAIN_CREDENTIALS, type Project } from '../pool/helpers.js';

const POOLS = { sales: { workspace: 'staging', min_available: 0, default_hold: '18h', provision: { country: 'US', type: 'local', area_codes: ['650'], trunk_sid: TRUNK_MAIN, ...MAIN_CREDENTIALS } } };

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('--quiet', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); });
  afterAll(async () => { await p?.close(); });

  /** Runs with -q: the exit code, stdout's lines, and stderr must be empty. */
  async function quiet(args: string[], exitCode = 0): Promise<string[]> {
    const r = await p.run([...args, '--quiet']);
    expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(exitCode);
    if (exitCode === 0) expect(r.stderr, args.join(' ')).toBe('');
    return lines(r.stdout);
  }

  it('status commands with nothing to report print nothing (cron mails only news)', async () => {
    expect(await quiet(['init'])).toEqual([]);
    expect(await quiet(['sync', '--all'])).toEqual([]);
    expect(await quiet(['validate'])).toEqual([]);
    expect(await quiet(['pool', 'health'])).toEqual([]);
    expect(await quiet(['pool', 'release', '--expired'])).toEqual([]);
    expect(await quiet(['pool', 'ensure', '-w', 'staging', '--pool', 'sales', '--min', '0'])).toEqual([]);
  });

  it('a failed check is one summary line, not the table', async () => {
    const health = await quiet(['pool', 'health', '--min', '99'], 1);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatch(/^pool health: below minimum: sales \(staging\) \d+ available < 99$/);

    const numbers = p.file('phone-numbers/staging/numbers.json');
    await editJson(numbers, (j) => { j.numbers.push({ ...j.numbers[0] }); });
    try {
      const validate = await quiet(['validate'], 1);
      expect(validate).toHaveLength(1);
      expect(validate[0]).toMatch(/^validate: \d+ errors, \d+ warnings/);
    } finally {
      await editJson(numbers, (j) => { j.numbers.pop(); });
    }
  });

  it('commands that changed something print exactly one line', async () => {
    const bought = await quiet(['pool', 'provision', '-w', 'staging', '--pool', 'sales', '--count', '1', '--yes']);
    expect(bought).toHaveLength(1);
    expect(bought[0]).toMatch(/^provisioned 1 number into pool sales/);
    expect(await quiet(['pool', 'provision', '-w', 'staging', '--pool', 'sales', '--count', '2', '--dry-run'])).toHaveLength(1);

    const assigned = await quiet(['pool', 'assign', '-w', 'staging', '-a', 'agents/sales-agent', '--pool', 'sales']);
    // Data the user asked for: the number itself, and nothing else.
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatch(/^\+1\d{10}$/);
    const number = assigned[0]!;

    expect(await quiet(['pool', 'hold', number, '-w', 'staging', '--until', '2h'])).toHaveLength(1);
    const released = await quiet(['pool', 'release', number, '-w', 'staging']);
    expect(released).toEqual(['released 1 number']);
    const updated = await quiet(['number', 'update', number, '-w', 'staging', '--nickname', 'quiet test']);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatch(new RegExp(`^updated \\${number} in staging`));

    await editJson(p.file('phone-numbers/staging/numbers.json'), (j) => { j.numbers.find((n: { phone_number: string }) => n.phone_number === number).nickname = 'hand edit'; });
    const sync = await quiet(['sync', '--all']);
    expect(sync).toHaveLength(1);
    expect(sync[0]).toMatch(/^sync: changed: /);
    const deleted = await quiet(['number', 'delete', number, '-w', 'staging', '--yes']);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatch(new RegExp(`^deleted \\${number} from staging`));
  });

  it('data a user asked for still prints in full', async () => {
    expect((await quiet(['list'])).length).toBeGreaterThan(3);
    expect((await quiet(['show', '+14155550101'])).length).toBeGreaterThan(3);
    expect((await quiet(['report'])).length).toBeGreaterThan(3);
    expect((await quiet(['list', '--json'])).length).toBeGreaterThan(3);
    expect((await quiet(['pool', 'health', '--json'])).length).toBeGreaterThan(1);
  });
});
