import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples, collect, lockTimeoutOption } from '../program.js';
import type { SyncOptions } from '../sync/run.js';
import { renderJson } from '../../render/json.js';
import { printFailure } from '../errors.js';
import { UsageError } from '../../core/errors.js';
import { addPushOptions, type PushFlags } from '../push.js';

interface RawOptions extends PushFlags { workspace?: string[]; all?: boolean; dryRun?: boolean; check?: boolean; force?: boolean; commit?: boolean; format: string }

const SYNC_FORMATS = ['text', 'json', 'markdown'] as const;

const DESCRIPTIONS: Record<SyncOptions['command'], string> = {
  sync: 'fetch every carrier and workspace (Twilio, SignalWire, Retell, Vapi), reconcile, write the views (all workspaces unless --workspace)',
  'sync-twilio': 'sync numbers and trunks from Twilio only',
  'sync-retell': 'sync imports and agent assignments from the workspaces\' voice platforms only',
};

function registerOne(program: Command, kit: CommandKit, name: SyncOptions['command']): void {
  const cmd = program.command(name).description(DESCRIPTIONS[name]);
  // Twilio is one account: sync-twilio has no workspace to choose (--all stays accepted, as cron lines use it).
  if (name !== 'sync-twilio') cmd.option('-w, --workspace <ws>', 'a workspace to sync (repeatable)', collect, []);
  cmd
    .option('--all', name === 'sync-twilio' ? 'accepted for symmetry; Twilio is always read whole' : 'every workspace in workspaces.json')
    .option('--dry-run', 'print the change plan; write nothing')
    .option('--check', 'like --dry-run, and exit 1 if anything would change (CI drift check)')
    .option('--force', 'apply changes the safety checks refuse (large removals, empty provider lists)')
    .option('--commit', 'git-commit exactly the changed files with a message built from the plan')
    .option('--format <format>', `output: ${SYNC_FORMATS.join(' | ')} (markdown: the plan as a pull-request comment; --json is --format json)`, 'text')
    .addOption(lockTimeoutOption());
  addPushOptions(cmd);
  cmd.action(kit.action(async (ctx, raw: RawOptions) => {
      const dryRun = Boolean(raw.dryRun || raw.check);
      const format = ctx.flags.json ? 'json' : raw.format;
      if (!SYNC_FORMATS.includes(format as (typeof SYNC_FORMATS)[number])) throw new UsageError(`--format: "${format}" is not one of ${SYNC_FORMATS.join(', ')}`);
      if (raw.push && dryRun) throw new UsageError(`--push: ${raw.check ? '--check' : '--dry-run'} writes nothing to push`);
      const { runSync } = await import('../sync/run.js');
      const { renderPlanLines, renderRefusedLines, renderSyncSummary, syncJson, stateOf } = await import('../sync/render.js');
      const { withPush, pushLine } = await import('../push.js');
      const { result, push } = await withPush(ctx, raw, `phone-dir ${name}`, () => runSync(ctx, {
        command: name, workspaces: raw.workspace ?? [], all: Boolean(raw.all), dryRun: Boolean(raw.dryRun),
        check: Boolean(raw.check), force: Boolean(raw.force), commit: Boolean(raw.commit || raw.push),
      }));
      if (push) {
        result.commit = push.commit;
        ctx.info(pushLine(push));
      }
      for (const f of result.failures) printFailure({ exitCode: f.exitCode, message: f.message, hint: f.hint, stack: f.stack, bug: false }, ctx);
      for (const r of result.refusals) ctx.err(`${ctx.chalk.red('refused:')} ${r.message}\n`);
      if (format === 'json') {
        ctx.out(renderJson(syncJson(result, dryRun)));
      } else if (format === 'markdown') {
        const { renderSyncMarkdown } = await import('../../render/markdown-sync.js');
        ctx.out(renderSyncMarkdown({
          command: name, dryRun, state: `sync: ${stateOf(result, dryRun)}`, changes: result.plan.changes, refusedChanges: result.refusedChanges,
          problems: [...result.failures.map((f) => `${f.source} failed: ${f.message}`), ...result.refusals.map((r) => `refused: ${r.message}`)],
        }));
      } else {
        const chatty = dryRun || (Boolean(ctx.io.stdout.isTTY) && ctx.showProgress);
        const summary = renderSyncSummary(result, dryRun);
        // What a safety threshold held back is shown even under --quiet: it is why the command failed.
        const refused = renderRefusedLines(result, ctx.chalk);
        const eventful = result.plan.changes.length > 0 || result.exitCode !== 0;
        ctx.status(`${chatty ? renderPlanLines(result, ctx.chalk) : ''}${refused}${summary}`, eventful ? `${refused}${summary}` : null);
      }
      return result.exitCode;
    }));
  addExamples(cmd, [`phone-dir ${name} --all`, name === 'sync-twilio' ? `phone-dir ${name} --dry-run` : `phone-dir ${name} --workspace staging --dry-run`, `phone-dir ${name} --all --check`, `phone-dir ${name} --all --check --format markdown > plan.md`, `0 * * * * cd repo && phone-dir ${name} --all --push --quiet`]);
}

export function registerSync(program: Command, kit: CommandKit): void {
  for (const name of ['sync', 'sync-twilio', 'sync-retell'] as const) registerOne(program, kit, name);
}
