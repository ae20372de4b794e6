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

export function registerDiff(program: Command, kit: CommandKit): void {
  const cmd = program.command('diff')
    .description('numbers only in A, only in B, and assigned differently')
    .argument('<wsA>', 'first workspace')
    .argument('<wsB>', 'second workspace')
    .option('--exit-code', 'exit 1 when the workspaces differ')
    .action(kit.action(async (ctx, a: string, b: string, opts: { exitCode?: boolean }) => {
      const { dir } = await loadForReading(ctx);
      await requireKnownWorkspace(ctx, dir, a, b);
      const diff = diffWorkspaces(dir, a, b);
      const vendors = vendorNames(catalog(), recordedPlatforms(dir));
      const differs = diff.only_in_a.length + diff.only_in_b.length + diff.different.length > 0;
      if (ctx.flags.json) {
        ctx.out(renderJson({ ...diff, platforms: { [a]: vendors.platformName(a), [b]: vendors.platformName(b) } }));
      } else {
        const numbersInA = [...dir.numbers.values()].filter((n) => n.workspaces[a]).length;
        ctx.out(renderDiff(a, b, diff, numbersInA, ctx.chalk, vendors));
      }
      return opts.exitCode && differs ? 1 : 0;
    }));
  addExamples(cmd, ['phone-dir diff staging production', 'phone-dir diff staging production --exit-code --json']);
}
