/**
 * Property: whatever sequence of number import / update / delete (with pool assign / release and sync in
 * between) runs against the sandbox, every step leaves a directory `validate` accepts, and none is a bug
 * (exit 70). The sequence is drawn from a seeded generator: PHONE_DIR_SEED=<n> replays one, and
 * PHONE_DIR_SEQUENCE_LOG=1 prints its steps.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startProject, directoryEntries, type Project } from './helpers.js';
import { mulberry32 } from '../../src/sandbox/prng.js';

const POOLS = { 'sales-pool': { workspace: 'staging', min_available: 0 }, 'prod-pool': { workspace: 'production', min_available: 0 } };
const POOL_OF: Record<string, string> = { staging: 'sales-pool', production: 'prod-pool' };
const WORKSPACES = ['staging', 'production'];
// Imported in one workspace, in both, or in none (the last two) in the default scenario.
const NUMBERS = ['+14155550101', '+14155550102', '+14155550105', '+14155550107', '+16505550123', '+12125550142', '+14155550193', '+12125550192'];
const STEPS = 36;


/** The next step; mostly one that applies (a workspace the number is in, or not in for import), sometimes a refused one. */
function stepArgs(random: () => number, entryOf: (phone: string) => { workspaces?: Record<string, unknown>; pool?: string | null } | undefined): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const phone = pick(NUMBERS);
  const entry = entryOf(phone);
  const inside = Object.keys(entry?.workspaces ?? {});
  const outside = WORKSPACES.filter((w) => !inside.includes(w));
  const fitting = (list: string[]) => (list.length && random() < 0.85 ? pick(list) : pick(WORKSPACES));
  const ws = fitting(inside);
  switch (pick(['import', 'update', 'update', 'update', 'delete', 'delete', 'assign', 'release', 'sync'] as const)) {
    case 'import': {
      const target = fitting(outside);
      return ['number', 'import', phone, 'acme-main.pstn.twilio.com', '-w', target, ...(random() < 0.6 ? ['--pool', POOL_OF[target]!] : [])];
    }
    case 'update':
      return ['number', 'update', phone, '-w', ws, ...pick([
        ['--pool', POOL_OF[ws]!], ['--pool', POOL_OF[ws]!], ['--pool', 'none'], ['--status', pick(['active', 'reserved', 'protected'])], ['--tag', pick(['a', 'b'])],
        ['--untag', 'a'], ['--notes', pick(['', 'note'])], ['--inbound-agent', 'none'], ['--inbound-agent', 'agents/sales-agent', '--pool', POOL_OF[ws]!],
      ])];
    case 'delete': {
      // Mostly from its pool's workspace, where leaving the pool matters.
      const poolWs = WORKSPACES.find((w) => POOL_OF[w] === entry?.pool && inside.includes(w));
      return ['number', 'delete', phone, '-w', poolWs && random() < 0.7 ? poolWs : ws, '--yes', ...(random() < 0.2 ? ['--release'] : [])];
    }
    case 'assign':
      return ['pool', 'assign', '-w', ws, '-a', 'sales-agent', '--pool', POOL_OF[ws]!, ...(random() < 0.5 ? ['--hold', '2h'] : [])];
    case 'release':
      return ['pool', 'release', phone, '-w', ws];
    case 'sync':
      return ['sync', '--workspace', ws, '--force'];
  }
}

describe('random sequences of number and pool commands', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject({ pools: POOLS }); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('leave a directory validate accepts after every step', async () => {
    const seed = Number(process.env.PHONE_DIR_SEED ?? 20261202);
    const random = mulberry32(seed);
    const log: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      const entries = await directoryEntries(p);
      const args = stepArgs(random, (phone) => entries[phone]);
      const r = await p.run(args);
      log.push(`${r.exitCode}  ${args.join(' ')}${r.exitCode ? `  (${r.stderr.trim().split('\n')[0]})` : ''}`);
      const context = `seed ${seed}, after step ${step + 1}:\n${log.join('\n')}`;
      expect(r.exitCode, context).not.toBe(70);
      const validate = await p.run(['validate', '--json']);
      expect(JSON.parse(validate.stdout).errors, context).toEqual([]);
      expect(validate.exitCode, context).toBe(0);
    }
    if (process.env.PHONE_DIR_SEQUENCE_LOG) console.log(log.join('\n'));
    // The sequence did real work, not only refusals.
    expect(log.filter((line) => line.startsWith('0 ')).length).toBeGreaterThan(STEPS / 3);
  }, 180_000);
});
