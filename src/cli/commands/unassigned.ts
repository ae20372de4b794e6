import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, requireKnownWorkspace } from '../load.js';
import { sortedNumbers, sortedWorkspaces } from '../../core/model.js';
import { formatPretty } from '../../core/phone.js';
import type { UnassignedNumber } from '../../core/query.js';
import { renderJson } from '../../render/json.js';
import { renderUnassigned } from '../../render/unassigned.js';

export function registerUnassigned(program: Command, kit: CommandKit): void {
  const cmd = program.command('unassigned')
    .description('numbers without an agent, per workspace')
    .option('-w, --workspace <ws>', 'only this workspace')
    .option('--all', 'every workspace, and Twilio numbers imported nowhere (the default without --workspace)')
    .action(kit.action(async (ctx, opts: { workspace?: string; all?: boolean }) => {
      const { dir } = await loadForReading(ctx);
      await requireKnownWorkspace(ctx, dir, opts.workspace);
      const rows: UnassignedNumber[] = [];
      const notImported: string[] = [];
      for (const n of sortedNumbers(dir)) {
        const wss = Object.keys(n.workspaces);
        if (wss.length === 0 && !opts.workspace) notImported.push(n.phone_number);
        for (const ws of wss.sort()) {
          if (opts.workspace && ws !== opts.workspace) continue;
          const wn = n.workspaces[ws]!;
          if (!wn.assignment) rows.push({ workspace: ws, phone_number: n.phone_number, phone_number_type: n.phone_number_type, phone_number_pretty: formatPretty(n.phone_number), nickname: wn.nickname });
        }
      }
      if (ctx.flags.json) {
        ctx.out(renderJson(rows.sort((a, b) => (a.workspace === b.workspace ? (a.phone_number < b.phone_number ? -1 : 1) : a.workspace < b.workspace ? -1 : 1))));
        return 0;
      }
      ctx.out(renderUnassigned(opts.workspace ? [opts.workspace] : sortedWorkspaces(dir), rows, notImported, ctx.chalk));
      return 0;
    }));
  addExamples(cmd, ['phone-dir unassigned', 'phone-dir unassigned --workspace staging --json']);
}
