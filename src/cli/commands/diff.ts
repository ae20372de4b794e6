import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, requireKnownWorkspace } from '../load.js';
import { diffWorkspaces } from '../../core/query.js';
import { renderJson } from '../../render/json.js';
import { renderDiff } from '../../render/diff.js';
import { vendorNames } from '../../render/vendors.js';
import { catalog } from '../../providers/registry.js';
import { recordedPlatforms } from '../../core/reconcile.js';
import { renderDiffMarkdown } from '../../render/markdown-diff.js';
import { UsageError } from '../../core/errors.js';

const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;

export function registerDiff(program: Command, kit: CommandKit): void {
  const cmd = program.command('diff')
    .description('numbers only in A, only in B, and assigned differently')
    .argument('<wsA>', 'first workspace')
    .argument('<wsB>', 'second workspace')
    .option('--exit-code', 'exit 1 when the workspaces differ')
    .option('--format <format>', `output: ${DIFF_FORMATS.join(' | ')} (--json is --format json)`, 'text')
    .action(kit.action(async (ctx, a: string, b: string, opts: { exitCode?: boolean; format: string }) => {
      const format = ctx.flags.json ? 'json' : opts.format;
      if (!DIFF_FORMATS.includes(format as (typeof DIFF_FORMATS)[number])) throw new UsageError(`--format: "${format}" is not one of ${DIFF_FORMATS.join(', ')}`);
      const { dir } = await loadForReading(ctx);
      await requireKnownWorkspace(ctx, dir, a, b);
      const diff = diffWorkspaces(dir, a, b);
      const vendors = vendorNames(catalog(), recordedPlatforms(dir));
      const differs = diff.only_in_a.length + diff.only_in_b.length + diff.different.length > 0;
      const numbersInA = () => [...dir.numbers.values()].filter((n) => n.workspaces[a]).length;
      if (format === 'json') ctx.out(renderJson(diff));
      else if (format === 'markdown') ctx.out(renderDiffMarkdown(a, b, diff, numbersInA()));
      else ctx.out(renderDiff(a, b, diff, numbersInA(), ctx.chalk, vendors));
      return opts.exitCode && differs ? 1 : 0;
    }));
  addExamples(cmd, ['phone-dir diff staging production', 'phone-dir diff staging production --exit-code --json', 'phone-dir diff staging production --format markdown > diff.md']);
}
