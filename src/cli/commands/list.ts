import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents, requireKnownWorkspace, requireKnownAgent } from '../load.js';
import { matchNumbers, numberEntryWithAgents, type NumberFilter } from '../../core/query.js';
import { renderNumbersTable } from '../../render/numbers-table.js';
import { renderJson } from '../../render/json.js';
import { vendorNames } from '../../render/vendors.js';
import { catalog } from '../../providers/registry.js';
import { recordedPlatforms } from '../../core/reconcile.js';
import type { Context } from '../context.js';

/** Shared by list and search: filter, then a table of the matching rows or an array of directory entries (with both legs' agents). */
export async function runNumberQuery(ctx: Context, filter: NumberFilter & { agent?: string }): Promise<number> {
  const { dir } = await loadForReading(ctx);
  await requireKnownWorkspace(ctx, dir, filter.workspace);
  const agent = filter.agent ? requireKnownAgent(await loadAgents(ctx), dir, filter.agent, filter.workspace) : undefined;
  const vendors = vendorNames(catalog(), recordedPlatforms(dir));
  const matches = matchNumbers(dir, { ...filter, agent, platformOf: vendors.platformName });
  ctx.out(ctx.flags.json ? renderJson(matches.map((m) => numberEntryWithAgents(m.record, vendors.platformName))) : renderNumbersTable(matches, ctx.chalk, vendors));
  return 0;
}

export function registerList(program: Command, kit: CommandKit): void {
  const cmd = program.command('list')
    .description('table of numbers (--json: array of directory entries)')
    .option('-w, --workspace <ws>', 'only numbers imported into this workspace')
    .option('-a, --agent <agent>', 'only numbers of this agent (path or agent id)')
    .option('-u, --unassigned', 'only numbers without an agent')
    .action(kit.action(async (ctx, opts: { workspace?: string; agent?: string; unassigned?: boolean }) =>
      runNumberQuery(ctx, { workspace: opts.workspace, agent: opts.agent, unassigned: opts.unassigned })));
  addExamples(cmd, ['phone-dir list', 'phone-dir list --workspace staging --unassigned', 'phone-dir list --agent agents/customer-service --json | jq -r \'.[].phone_number\'']);
}
