/**
 * The steps of the property test: each is chosen from what the directory and the sandbox hold right now,
 * so it acts on a real number, and says which exit code it must end with.
 */
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { Random } from './random.js';
import { retellRebind, retellRemove, twilioRelease } from './provider-side.js';

export interface EntryView {
  pool: string | null;
  status: string;
  twilio: { phone_number_sid: string } | null;
  workspaces: Record<string, { assignment_type: string }>;
}

export interface PoolSetting { name: string; workspace: string }

export interface World {
  sb: SandboxHandle;
  /** directory.json's numbers, read just before the step is chosen. */
  entries: Record<string, EntryView>;
  pools: PoolSetting[];
  /** workspace → agent path → agent id (from agents/*). */
  agents: Record<string, Record<string, string>>;
}

export interface Step {
  /** The command line, or the provider-side change followed by the settling sync. */
  label: string;
  args: string[];
  /** 'documented': any exit code of the spec's table but 70 (the step probes input phone-dir may refuse). */
  expectedExit: number | 'documented';
  /** Made at the sandbox before `args` run. */
  providerChange?: () => Promise<void>;
}

const SETTLE = ['sync', '--all', '--force'];
const HOLDS = ['2s', '2h', '18h'];

const numbersWhere = (world: World, keep: (entry: EntryView) => boolean) =>
  Object.entries(world.entries).filter(([, entry]) => keep(entry)).map(([phone]) => phone).sort();

const isAssigned = (entry: EntryView, workspace: string) => {
  const side = entry.workspaces[workspace];
  return side !== undefined && side.assignment_type !== 'unassigned';
};

const agentPaths = (world: World, workspace: string) => Object.keys(world.agents[workspace] ?? {}).sort();

type Chooser = (world: World, random: Random, pool: PoolSetting) => Step | null;

const CHOOSERS: Record<string, { weight: number; choose: Chooser }> = {
  provision: {
    weight: 1,
    choose: (_w, random, pool) => ({ label: '', args: ['pool', 'provision', '-w', pool.workspace, '--pool', pool.name, '--count', String(random.int(1, 2)), '--yes'], expectedExit: 0 }),
  },
  ensure: {
    weight: 1,
    choose: (_w, random, pool) => ({ label: '', args: ['pool', 'ensure', '-w', pool.workspace, '--pool', pool.name, '--min', String(random.int(1, 3))], expectedExit: 0 }),
  },
  assign: {
    weight: 4,
    choose: (world, random, pool) => {
      const agent = random.pick(agentPaths(world, pool.workspace));
      if (agent === undefined) return null;
      const free = numbersWhere(world, (e) => e.pool === pool.name && e.status === 'active' && e.workspaces[pool.workspace]?.assignment_type === 'unassigned');
      const provision = random.chance(0.3);
      const args = ['pool', 'assign', '-w', pool.workspace, '--pool', pool.name, '--agent', agent, '--type', random.pick(['inbound-outbound', 'inbound-only', 'outbound-only'])!];
      if (random.chance(0.5)) args.push('--hold', random.pick(HOLDS)!);
      if (provision) args.push('--provision');
      return { label: '', args, expectedExit: free.length > 0 || provision ? 0 : 6 };
    },
  },
  release: {
    weight: 3,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.pool === pool.name && isAssigned(e, pool.workspace)));
      return phone === undefined ? null : { label: '', args: ['pool', 'release', phone, '-w', pool.workspace], expectedExit: 0 };
    },
  },
  releaseExpired: {
    weight: 1,
    choose: () => ({ label: '', args: ['pool', 'release', '--expired'], expectedExit: 0 }),
  },
  hold: {
    weight: 1,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.pool === pool.name && isAssigned(e, pool.workspace)));
      return phone === undefined ? null : { label: '', args: ['pool', 'hold', phone, '-w', pool.workspace, '--until', random.pick(['1h', 'none'])!], expectedExit: 0 };
    },
  },
  import: {
    weight: 2,
    choose: (world, random, pool) => {
      const retell = world.sb.state.retell.get(pool.workspace);
      const candidates = [...world.sb.state.twilio.numbers.values()].filter((n) => n.trunkSid !== null && !retell?.numbers.has(n.phoneNumber));
      const number = random.pick(candidates.sort((a, b) => a.phoneNumber.localeCompare(b.phoneNumber)));
      const domain = number?.trunkSid ? world.sb.state.twilio.trunks.get(number.trunkSid)?.domainName : undefined;
      if (!number || !domain) return null;
      const args = ['number', 'import', number.phoneNumber, domain, '-w', pool.workspace];
      const agent = random.pick(agentPaths(world, pool.workspace));
      if (agent !== undefined && random.chance(0.5)) args.push(random.chance(0.5) ? '--inbound-agent' : '--outbound-agent', agent);
      if (random.chance(0.5)) args.push('--pool', pool.name);
      return { label: '', args, expectedExit: 0 };
    },
  },
  updatePool: {
    weight: 2,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.pool === null && e.workspaces[pool.workspace] !== undefined));
      return phone === undefined ? null : { label: '', args: ['number', 'update', phone, '-w', pool.workspace, '--pool', pool.name], expectedExit: 0 };
    },
  },
  updatePoolNone: {
    weight: 1,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.pool === pool.name));
      return phone === undefined ? null : { label: '', args: ['number', 'update', phone, '-w', pool.workspace, '--pool', 'none'], expectedExit: 0 };
    },
  },
  updateAgent: {
    weight: 2,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.workspaces[pool.workspace] !== undefined));
      const agent = random.chance(0.25) ? 'none' : random.pick(agentPaths(world, pool.workspace));
      if (phone === undefined || agent === undefined) return null;
      return { label: '', args: ['number', 'update', phone, '-w', pool.workspace, random.chance(0.5) ? '--inbound-agent' : '--outbound-agent', agent], expectedExit: 0 };
    },
  },
  delete: {
    weight: 2,
    choose: (world, random, pool) => {
      // Pooled numbers half the time: they are the ones the invariants are about.
      const pooled = random.chance(0.5);
      const phone = random.pick(numbersWhere(world, (e) => e.workspaces[pool.workspace] !== undefined && (!pooled || e.pool !== null)));
      return phone === undefined ? null : { label: '', args: ['number', 'delete', phone, '-w', pool.workspace, '--yes'], expectedExit: 0 };
    },
  },
  deleteRelease: {
    weight: 1,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.workspaces[pool.workspace] !== undefined && e.twilio !== null));
      return phone === undefined ? null : { label: '', args: ['number', 'delete', phone, '-w', pool.workspace, '--release', '--yes'], expectedExit: 0 };
    },
  },
  retellRemovePooled: {
    weight: 2,
    choose: (world, random, pool) => {
      const inRetell = world.sb.state.retell.get(pool.workspace)?.numbers;
      const phone = random.pick(numbersWhere(world, (e) => e.pool === pool.name).filter((n) => inRetell?.has(n)));
      if (phone === undefined) return null;
      return { label: `[retell ${pool.workspace}: delete ${phone}]`, args: SETTLE, expectedExit: 0, providerChange: () => retellRemove(world.sb, pool.workspace, phone) };
    },
  },
  twilioRelease: {
    weight: 1,
    choose: (world, random) => {
      const pooled = random.chance(0.5);
      const phone = random.pick(numbersWhere(world, (e) => e.twilio !== null && (!pooled || e.pool !== null)));
      const sid = phone === undefined ? undefined : world.sb.state.twilio.findByPhone(phone)?.sid;
      if (phone === undefined || sid === undefined) return null;
      return { label: `[twilio: release ${phone}]`, args: SETTLE, expectedExit: 0, providerChange: () => twilioRelease(world.sb, sid) };
    },
  },
  retellRebind: {
    weight: 2,
    choose: (world, random, pool) => {
      const inRetell = [...(world.sb.state.retell.get(pool.workspace)?.numbers.keys() ?? [])].sort();
      const phone = random.pick(inRetell);
      const agent = random.pick(agentPaths(world, pool.workspace));
      if (phone === undefined || agent === undefined) return null;
      const agentId = random.chance(0.2) ? null : world.agents[pool.workspace]![agent]!;
      return { label: `[retell ${pool.workspace}: bind ${phone} to ${agentId === null ? 'nobody' : agent}]`, args: SETTLE, expectedExit: 0, providerChange: () => retellRebind(world.sb, pool.workspace, phone, agentId) };
    },
  },
  updateStatus: {
    weight: 1,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.workspaces[pool.workspace] !== undefined));
      return phone === undefined ? null : { label: '', args: ['number', 'update', phone, '-w', pool.workspace, '--status', random.pick(['active', 'reserved', 'protected'])!], expectedExit: 0 };
    },
  },
  assignNumber: {
    weight: 2,
    choose: (world, random, pool) => {
      const phone = random.pick(numbersWhere(world, (e) => e.pool === pool.name && e.workspaces[pool.workspace] !== undefined));
      const agent = random.pick(agentPaths(world, pool.workspace));
      if (phone === undefined || agent === undefined) return null;
      const entry = world.entries[phone]!;
      const free = entry.status === 'active' && !isAssigned(entry, pool.workspace);
      return { label: '', args: ['pool', 'assign', '-w', pool.workspace, '--pool', pool.name, '--agent', agent, '--number', phone], expectedExit: free ? 0 : 'documented' };
    },
  },
  foreignPool: {
    weight: 1,
    choose: (world, random, pool) => {
      // A pool of another workspace: refusing is fine, recording a pool-workspace conflict is not.
      const foreign = random.pick(world.pools.filter((other) => other.workspace !== pool.workspace));
      const phone = random.pick(numbersWhere(world, (e) => e.workspaces[pool.workspace] !== undefined));
      if (foreign === undefined || phone === undefined) return null;
      return { label: '', args: ['number', 'update', phone, '-w', pool.workspace, '--pool', foreign.name], expectedExit: 'documented' };
    },
  },
  sync: {
    weight: 1,
    choose: () => ({ label: '', args: SETTLE, expectedExit: 0 }),
  },
};

export const STEP_KINDS = Object.keys(CHOOSERS);

/** The next step: a random kind of `kinds` that applies to the current state (a kind with no target is redrawn). */
export function chooseStep(world: World, random: Random, kinds: readonly string[] = STEP_KINDS): Step {
  const weights = Object.fromEntries(kinds.map((kind) => [kind, CHOOSERS[kind]!.weight]));
  for (;;) {
    const kind = random.weighted(weights);
    const pool = random.pick(world.pools)!;
    const step = CHOOSERS[kind]!.choose(world, random, pool);
    if (step) return { ...step, label: `${step.label ? `${step.label} ` : ''}${step.args.join(' ')}` };
  }
}
