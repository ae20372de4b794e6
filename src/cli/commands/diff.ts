import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, requireKnownWorkspace } from '../load.js';
import { diffWorkspaces } from '../../core/query.js';
import { renderJson } from '../../render/json.js';

export function registerDiff(program: Command, kit: CommandKit): void {
  const cmd = program.command('diff')
    .description('numbers only in A, only in B, and assigned differently')
    .argument('<wsA>', 'first workspace')
    .argument('<wsB>', 'second workspace')
    .option('--exit-code', 'exit 1 when the workspaces differ')
    .action(kit.action(async (ctx, a: string, b: string, opts: { exitCode?: boolean }) => {
      const { dir } = await loadForReading(ctx);
      await requireKnownWorkspace(ctx, dir, a);
      await requireKnownWorkspace(ctx, dir, b);
      const diff = diffWorkspaces(dir, a, b);
      const differs = diff.only_in_a.length + diff.only_in_b.length + diff.different.length > 0;
      if (ctx.flags.json) {
        ctx.out(renderJson(diff));
      } else {
        const c = ctx.chalk;
        const lines: string[] = [];
        const section = (label: string, items: string[]) => {
          lines.push(`${label} (${items.length}):`, ...(items.length ? items.map((i) => `  ${i}`) : [c.dim('  (none)')]), '');
        };
        const who = (p: string | null, t: string) => (t === 'unassigned' ? 'unassigned' : `${p ?? '?'} (${t})`);
        section(`Only in ${a}`, diff.only_in_a.map((x) => `${c.green('+')} ${x.phone_number}  ${who(x.agent_path, x.assignment_type)}`));
        section(`Only in ${b}`, diff.only_in_b.map((x) => `${c.red('-')} ${x.phone_number}  ${who(x.agent_path, x.assignment_type)}`));
        section('Assigned differently', diff.different.map((x) => `${c.yellow('~')} ${x.phone_number}  ${a}: ${who(x.a.agent_path, x.a.assignment_type)}  ${b}: ${who(x.b.agent_path, x.b.assignment_type)}`));
        ctx.out(`${lines.join('\n').trimEnd()}\n`);
      }
      return opts.exitCode && differs ? 1 : 0;
    }));
  addExamples(cmd, ['phone-dir diff staging production', 'phone-dir diff staging production --exit-code --json']);
}
