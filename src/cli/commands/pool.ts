import { Option, type Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples, lockTimeoutOption } from '../program.js';
import { parseNumberArg } from '../load.js';
import { renderJson } from '../../render/json.js';
import { UsageError } from '../../core/errors.js';
import type { Context } from '../context.js';
import { registerPoolStore } from './pool-store.js';

interface ProvisionFlags {
  workspace: string; count?: string; pool?: string; carrier?: string; areaCode?: string; country?: string; tollFree?: boolean; trunk?: string;
  voiceUrl?: string; smsUrl?: string; terminationUri?: string; username?: string; passwordEnv?: string; nickname?: string; dryRun?: boolean; yes?: boolean;
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag}: "${raw}" is not a whole number`);
  return n;
}

function provisioningOptions(cmd: Command): Command {
  return cmd
    .option('--carrier <name>', 'carrier to buy from: twilio or signalwire (default: the pool\'s provision.carrier, else the first carrier workspaces.json configures)')
    .option('--area-code <code>', 'area code to buy in (default: the pool\'s provision.area_codes)')
    .option('--country <iso>', 'country to buy in (default: the pool\'s provision.country, else US)')
    .option('--toll-free', 'buy toll-free numbers')
    .option('--trunk <sid>', 'Elastic SIP trunk to attach to (default: the pool\'s provision.trunk_sid); its domain name is the termination URI the platform dials')
    .option('--termination-uri <host>', 'SIP termination URI for the platform import when there is no trunk (default: the pool\'s provision.termination_uri)')
    .option('--voice-url <url>', 'voice webhook to set when there is no trunk')
    .option('--sms-url <url>', 'SMS webhook to set when there is no trunk')
    .option('--username <name>', 'SIP trunk auth username for the platform import (default: the pool\'s provision.auth_username; required with a credential-list trunk)')
    .option('--password-env <VAR>', 'environment variable holding the SIP trunk password, never printed or stored (default: the pool\'s provision.auth_password_env)')
    .option('--nickname <text>', 'nickname of the new numbers at the platform');
}

function provisionInput(f: ProvisionFlags) {
  return {
    workspace: f.workspace,
    ...(f.pool !== undefined ? { pool: f.pool } : {}),
    ...(f.carrier !== undefined ? { carrier: f.carrier } : {}),
    ...(f.areaCode !== undefined ? { areaCode: f.areaCode } : {}),
    ...(f.country !== undefined ? { country: f.country } : {}),
    ...(f.tollFree ? { tollFree: true } : {}),
    ...(f.trunk !== undefined ? { trunk: f.trunk } : {}),
    ...(f.voiceUrl !== undefined ? { voiceUrl: f.voiceUrl } : {}),
    ...(f.smsUrl !== undefined ? { smsUrl: f.smsUrl } : {}),
    ...(f.terminationUri !== undefined ? { terminationUri: f.terminationUri } : {}),
    ...(f.username !== undefined ? { username: f.username } : {}),
    ...(f.passwordEnv !== undefined ? { passwordEnv: f.passwordEnv } : {}),
    ...(f.nickname !== undefined ? { nickname: f.nickname } : {}),
  };
}

const lastLine = (text: string) => text.trimEnd().split('\n').pop() ?? '';

/** A result with per-number failures: those are errors, shown in full even under --quiet; else `quietLine` under --quiet. */
function printOutcome(ctx: Context, text: string, failed: boolean, quietLine: string | null): void {
  if (failed) ctx.out(text);
  else ctx.status(text, quietLine);
}

/** Under --quiet: a dry run's first line (what it would buy), else the summary line when numbers were bought. */
function provisionQuietLine(r: { dry_run: boolean; bought: unknown[] }, text: string): string | null {
  if (r.dry_run) return text.split('\n')[0] ?? null;
  return r.bought.length ? lastLine(text) : null;
}

function healthQuietLine(pools: { pool: string; workspace: string; available: number; minimum: number; below_minimum: boolean }[]): string | null {
  const below = pools.filter((p) => p.below_minimum);
  return below.length ? `pool health: below minimum: ${below.map((p) => `${p.pool} (${p.workspace}) ${p.available} available < ${p.minimum}`).join(', ')}` : null;
}

export function registerPool(program: Command, kit: CommandKit): void {
  const pool = program.command('pool').description('provision, assign, lease, release, hold, health and ensure pool numbers; the audit trail');
  addExamples(pool, ['phone-dir pool assign --workspace staging --agent agents/sales-agent --hold 18h', 'phone-dir pool release --expired', 'phone-dir pool health --json']);
  registerPoolStore(pool, kit);

  const provision = provisioningOptions(pool.command('provision')
    .description('search the pool\'s carrier, buy, attach to the trunk, import into the workspace and record as available in the pool')
    .requiredOption('-w, --workspace <ws>', 'workspace of the pool')
    .option('--count <n>', 'how many numbers to buy', '1')
    .option('--pool <name>', 'pool to add them to (default: the workspace\'s pool in pools.json, else "default")'))
    .option('--dry-run', 'show what would be bought; buy nothing')
    .option('-y, --yes', 'buy without asking (required without a terminal)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, f: ProvisionFlags) => {
      const { Session } = await import('../pool/session.js');
      const { runProvision } = await import('../../pool/provision.js');
      const { provisionJson, provisionText } = await import('../pool/render.js');
      const s = new Session(ctx, 'pool provision');
      const r = await runProvision(s, { ...provisionInput(f), count: wholeNumber('--count', f.count, 1), dryRun: Boolean(f.dryRun), yes: Boolean(f.yes), confirm: (await import('../pool/prompt.js')).terminalConfirm(ctx) });
      const text = provisionText(r, ctx.chalk);
      if (ctx.flags.json) ctx.out(renderJson(provisionJson(r)));
      else printOutcome(ctx, text, r.failed.length > 0 || r.exitCode !== 0, provisionQuietLine(r, text));
      s.reportTiming();
      return r.exitCode;
    }));
  addExamples(provision, [
    'phone-dir pool provision --workspace staging --count 3 --area-code 415 --trunk TK… --dry-run',
    'phone-dir pool provision --workspace staging --pool sales-pool --count 2 --yes',
  ]);

  const assign = pool.command('assign')
    .description('hand the least recently used available number of the pool to an agent; prints the number')
    .requiredOption('-w, --workspace <ws>', 'workspace (Retell or Vapi)')
    .requiredOption('-a, --agent <agent>', 'agent path (agents/sales-agent) or agent id')
    .option('--pool <name>', 'pool (default: the workspace\'s pool in pools.json, else "default")')
    // The list runAssign checks (pool/assign.ts ASSIGNMENT_TYPES), written here so that help and completion load no pool code.
    // No default here: it depends on the workspace's platform (inbound-only where it binds inbound calls only, as Vapi does).
    .addOption(new Option('--type <type>', 'which legs the agent takes (default: inbound-outbound; inbound-only on a platform that binds inbound calls only, as Vapi does)').choices(['inbound-outbound', 'inbound-only', 'outbound-only']))
    .option('--hold <duration>', 'hold the number for this long (release_at; default: the pool\'s default_hold)')
    .option('--number <n>', 'this number rather than the least recently used one')
    .option('--provision', 'buy a number when the pool is empty (instead of exit 6)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, f: { workspace: string; agent: string; pool?: string; type?: string; hold?: string; number?: string; provision?: boolean }) => {
      const { Session } = await import('../pool/session.js');
      const { runAssign } = await import('../../pool/assign.js');
      const { assignText, assignNote } = await import('../pool/render.js');
      const s = new Session(ctx, 'pool assign');
      const r = await runAssign(s, {
        workspace: f.workspace, agent: f.agent, type: f.type, provision: Boolean(f.provision),
        ...(f.pool !== undefined ? { pool: f.pool } : {}), ...(f.hold !== undefined ? { hold: f.hold } : {}),
        ...(f.number !== undefined ? { number: parseNumberArg(f.number) } : {}),
      });
      if (ctx.flags.json) ctx.out(renderJson(r));
      else {
        ctx.out(assignText(r));
        ctx.info(assignNote(r));
      }
      s.reportTiming();
      return 0;
    }));
  addExamples(assign, [
    'phone-dir pool assign --workspace staging --agent agents/sales-agent',
    'phone-dir pool assign -w staging -a sales-agent --type outbound-only --hold 18h --json',
    'phone-dir pool assign -w staging -a sales-agent --provision',
  ]);

  const release = pool.command('release')
    .description('unassign at the workspace\'s platform and return to the pool: one number, an agent\'s numbers, expired holds or orphans')
    .argument('[number]', 'the number to release')
    .option('-w, --workspace <ws>', 'workspace (needed with <number> when it is assigned in several)')
    .option('-a, --agent <agent>', 'every number of this agent')
    .option('--expired', 'every number whose hold (release_at) has passed, and every expired lease (run it hourly from cron)')
    .option('--orphans', 'every number assigned to an agent whose folder no longer exists')
    .option('--for <ref>', 'end the lease of this reference (pool lease); no platform call')
    .option('--dry-run', 'list what would be unassigned; change nothing')
    .option('-y, --yes', 'release --agent/--orphans without asking (required without a terminal)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, input: string | undefined, f: { workspace?: string; agent?: string; expired?: boolean; orphans?: boolean; dryRun?: boolean; yes?: boolean; for?: string }) => {
      const { Session } = await import('../pool/session.js');
      const { runRelease } = await import('../../pool/release.js');
      const { releaseJson, releaseText } = await import('../pool/render.js');
      const s = new Session(ctx, 'pool release');
      if (f.for !== undefined) {
        if (input !== undefined || f.agent !== undefined || f.expired || f.orphans || f.dryRun || f.workspace !== undefined) throw new UsageError('--for: give it alone (it ends one lease; no <number>, --agent, --expired, --orphans, --workspace or --dry-run)');
        const { runReleaseFor } = await import('../../pool/lease.js');
        const ended = await runReleaseFor(s, f.for);
        if (ctx.flags.json) ctx.out(renderJson(ended));
        else ctx.status(`ended the lease of ${ended.ref}: ${ended.phone_number} is back in pool ${ended.pool}\n`, null);
        s.reportTiming();
        return 0;
      }
      const r = await runRelease(s, {
        ...(input !== undefined ? { number: parseNumberArg(input) } : {}),
        ...(f.workspace !== undefined ? { workspace: f.workspace } : {}),
        ...(f.agent !== undefined ? { agent: f.agent } : {}),
        expired: Boolean(f.expired), orphans: Boolean(f.orphans), dryRun: Boolean(f.dryRun), yes: Boolean(f.yes), confirm: (await import('../pool/prompt.js')).terminalConfirm(ctx),
      });
      // --expired also ends expired leases (no platform call), after the holds.
      const leases = f.expired ? await (await import('../../pool/lease.js')).runExpireLeases(s, { ...(f.workspace !== undefined ? { workspace: f.workspace } : {}), dryRun: Boolean(f.dryRun) }) : null;
      const leaseLine = leases ? `${f.dryRun ? 'would end' : 'ended'} ${leases.length} expired lease${leases.length === 1 ? '' : 's'}${leases.length ? `: ${leases.map((l) => `${l.phone_number} (${l.ref})`).join(', ')}` : ''}\n` : '';
      const holdsText = releaseText(r, ctx.chalk);
      const quiet = [r.released.length ? lastLine(holdsText) : null, leases?.length ? leaseLine.trimEnd() : null].filter(Boolean).join('\n');
      if (ctx.flags.json) ctx.out(renderJson({ ...releaseJson(r), ...(leases ? { [f.dryRun ? 'would_end_leases' : 'leases_ended']: leases } : {}) }));
      else printOutcome(ctx, holdsText + leaseLine, r.failed.length > 0 || r.exitCode !== 0, quiet || null);
      s.reportTiming();
      return r.exitCode;
    }));
  addExamples(release, ['phone-dir pool release --for lead-4711', 'phone-dir pool release +14155551234 --workspace staging', 'phone-dir pool release --agent agents/old-agent --dry-run', 'phone-dir pool release --agent agents/old-agent --yes', '0 * * * * cd repo && phone-dir pool release --expired --quiet']);

  const hold = pool.command('hold')
    .description('set or move when an assignment\'s hold expires (release_at), or when a lease ends (--for)')
    .argument('[number]', 'an assigned number (not with --for)')
    .option('-w, --workspace <ws>', 'workspace (required with <number>)')
    .option('--for <ref>', 'move the lease of this reference (pool lease) instead')
    .requiredOption('--until <time>', 'ISO time (2025-11-20T09:00:00Z), a duration from now (18h, 2d), or "none" (not for a lease)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, input: string | undefined, f: { workspace?: string; until: string; for?: string }) => {
      const { Session } = await import('../pool/session.js');
      const { runHold } = await import('../../pool/hold.js');
      const { holdText } = await import('../pool/render.js');
      const s = new Session(ctx, 'pool hold');
      if (f.for !== undefined) {
        if (input !== undefined || f.workspace !== undefined) throw new UsageError('--for: give it without <number> and --workspace (a lease is found by its reference)');
        const { runHoldFor } = await import('../../pool/lease.js');
        const r = await runHoldFor(s, f.for, f.until);
        if (ctx.flags.json) ctx.out(renderJson(r));
        else ctx.status(`the lease of ${r.ref} (${r.phone_number}) ends ${r.release_at}\n`, null);
        s.reportTiming();
        return 0;
      }
      if (input === undefined) throw new UsageError('pool hold: give <number> (with --workspace) or --for <ref>');
      if (f.workspace === undefined) throw new UsageError("required option '-w, --workspace <ws>' not specified (with <number>)");
      const r = await runHold(s, { number: parseNumberArg(input), workspace: f.workspace, until: f.until });
      if (ctx.flags.json) ctx.out(renderJson(r));
      else ctx.status(holdText(r), holdText(r));
      s.reportTiming();
      return 0;
    }));
  addExamples(hold, ['phone-dir pool hold +14155551234 --workspace staging --until 24h', 'phone-dir pool hold +14155551234 -w staging --until 2025-11-20T09:00:00Z', 'phone-dir pool hold --for lead-4711 --until 2025-11-21T15:00:00Z']);

  const lease = pool.command('lease')
    .description('lease the least recently used available number of the pool to a reference (a lead, a customer) without binding an agent; prints the number')
    .requiredOption('--pool <name>', 'pool to lease from')
    .requiredOption('--for <ref>', 'who the number is for (1-200 printable characters); leasing again for it returns the same number')
    .option('--hold <duration>', 'how long the lease lasts (default: the pool\'s default_hold, else 18h)')
    .option('-w, --workspace <ws>', 'workspace of the pool (default: the pool\'s workspace in pools.json, else the one its numbers are in)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, f: { pool: string; for: string; hold?: string; workspace?: string }) => {
      const { Session } = await import('../pool/session.js');
      const { runLease } = await import('../../pool/lease.js');
      const s = new Session(ctx, 'pool lease');
      const r = await runLease(s, { pool: f.pool, ref: f.for, ...(f.hold !== undefined ? { hold: f.hold } : {}), ...(f.workspace !== undefined ? { workspace: f.workspace } : {}) });
      if (ctx.flags.json) ctx.out(renderJson({ pool: r.pool, phone_number: r.phone_number, ref: r.ref, release_at: r.release_at }));
      else {
        ctx.out(`${r.phone_number}\n`);
        ctx.info(`${r.created ? 'leased' : 'already leased'} to ${r.ref} until ${r.release_at} (pool ${r.pool})`);
      }
      s.reportTiming();
      return 0;
    }));
  addExamples(lease, ['phone-dir pool lease --pool sales-pool --for lead-4711', 'phone-dir pool lease --pool sales-pool --for lead-4711 --hold 24h --json']);

  const leases = pool.command('leases')
    .description('list the leases (an expired one holds its number until pool release --expired ends it)')
    .option('--pool <name>', 'only the leases of this pool')
    .action(kit.action(async (ctx, f: { pool?: string }) => {
      const { Session } = await import('../pool/session.js');
      const { runLeases } = await import('../../pool/lease.js');
      const { leasesText } = await import('../pool/render.js');
      const rows = await runLeases(new Session(ctx, 'pool leases'), f.pool !== undefined ? { pool: f.pool } : {});
      if (ctx.flags.json) ctx.out(renderJson({ leases: rows }));
      else ctx.status(leasesText(rows), null);
      return 0;
    }));
  addExamples(leases, ['phone-dir pool leases', 'phone-dir pool leases --pool sales-pool --json']);

  const audit = pool.command('audit')
    .description('the pool audit trail (phone-numbers/twilio/pool-audit.jsonl), newest first')
    .option('--number <n>', 'only this number')
    .option('--since <time>', 'only since this ISO time, or this long ago (24h, 7d)')
    .option('--limit <n>', 'at most this many lines')
    .action(kit.action(async (ctx, f: { number?: string; since?: string; limit?: string }) => {
      const { Session } = await import('../pool/session.js');
      const { auditSince, auditText } = await import('../pool/render.js');
      const { records, skipped } = await new Session(ctx, 'pool audit').store.readAudit({
        ...(f.number !== undefined ? { number: parseNumberArg(f.number) } : {}),
        ...(f.since !== undefined ? { since: auditSince(f.since, ctx.now()) } : {}),
        ...(f.limit !== undefined ? { limit: Math.max(1, wholeNumber('--limit', f.limit, 1)) } : {}),
      });
      if (skipped) ctx.warn(`pool-audit.jsonl: skipped ${skipped} line${skipped === 1 ? '' : 's'} that do not parse (a torn last line after a crash)`);
      if (ctx.flags.json) ctx.out(renderJson({ records }));
      else ctx.status(auditText(records), null);
      return 0;
    }));
  addExamples(audit, ['phone-dir pool audit --number +14155551234', 'phone-dir pool audit --since 24h --limit 50 --json']);

  const health = pool.command('health')
    .description('available / assigned / reserved / total per pool and overdue holds; exit 1 if a pool is below its minimum')
    .option('-w, --workspace <ws>', 'only the pools of this workspace')
    .option('--min <n>', 'minimum available for every pool shown; overrides each pool\'s min_available (lower or higher)')
    .action(kit.action(async (ctx, f: { workspace?: string; min?: string }) => {
      const { runHealth } = await import('../../pool/health.js');
      const { Session } = await import('../pool/session.js');
      const { healthJson, healthText } = await import('../pool/render.js');
      const r = await runHealth({ ...(f.workspace !== undefined ? { workspace: f.workspace } : {}), ...(f.min !== undefined ? { min: f.min } : {}) }, new Session(ctx, 'pool health'));
      if (ctx.flags.json) ctx.out(renderJson(healthJson(r)));
      else ctx.status(healthText(r, ctx.chalk), healthQuietLine(r.pools));
      return r.exitCode;
    }));
  addExamples(health, ['phone-dir pool health', 'phone-dir pool health --workspace staging --min 3 --json']);

  const ensure = provisioningOptions(pool.command('ensure')
    .description('provision until the pool has at least N available numbers (buys: meant for cron)')
    .requiredOption('-w, --workspace <ws>', 'workspace of the pool')
    .option('--pool <name>', 'pool (default: the workspace\'s pool in pools.json, else "default")')
    .requiredOption('--min <n>', 'available numbers to reach'))
    .option('--dry-run', 'show what would be bought; buy nothing')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, f: ProvisionFlags & { min: string }) => {
      const { Session } = await import('../pool/session.js');
      const { runProvision } = await import('../../pool/provision.js');
      const { provisionJson, provisionText } = await import('../pool/render.js');
      const s = new Session(ctx, 'pool ensure');
      const min = wholeNumber('--min', f.min, 0);
      const r = await runProvision(s, { ...provisionInput(f), count: min, untilAvailable: min, dryRun: Boolean(f.dryRun), yes: true });
      const text = provisionText(r, ctx.chalk);
      if (ctx.flags.json) ctx.out(renderJson({ min, ...provisionJson(r) }));
      else printOutcome(ctx, text, r.failed.length > 0 || r.exitCode !== 0, provisionQuietLine(r, text));
      s.reportTiming();
      return r.exitCode;
    }));
  addExamples(ensure, ['phone-dir pool ensure --workspace staging --pool sales-pool --min 5', 'phone-dir pool ensure -w staging --min 5 --dry-run', '30 * * * * cd repo && phone-dir pool ensure -w staging --min 5 --quiet']);
}
