import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { parseNumberArg } from '../load.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { renderJson } from '../../render/json.js';
import { renderHistoryText } from '../../render/history.js';

function parseLimit(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  if (!/^[1-9]\d*$/.test(raw.trim())) throw new UsageError(`--limit: "${raw}" is not a positive whole number`);
  return Number(raw);
}

export function registerHistory(program: Command, kit: CommandKit): void {
  const cmd = program.command('history')
    .description("every change to one number's entries in the Git history of phone-numbers/, newest first")
    .argument('<number>', 'E.164 or national form, e.g. "(415) 555-1234"')
    .option('--limit <n>', 'show only the newest n commits that changed the number')
    .action(kit.action(async (ctx, input: string, opts: { limit?: string }) => {
      const number = parseNumberArg(input);
      const limit = parseLimit(opts.limit);
      const { numberHistory } = await import('../history/collect.js');
      const { history, unreadable } = await numberHistory(ctx.root, number);
      for (const where of unreadable) ctx.warn(`${where} is not JSON (a committed conflict?); the next good version is compared with the last good one`);
      if (history.changes.length === 0) {
        throw new NotFoundError(`no history for ${number}: no commit of phone-numbers/ has it`, 'check the number, or commit phone-numbers/ first');
      }
      if (limit !== null) history.changes = history.changes.slice(0, limit);
      ctx.out(ctx.flags.json ? renderJson(history) : renderHistoryText(history));
      return 0;
    }));
  addExamples(cmd, ['phone-dir history +14155550101', 'phone-dir history "(415) 555-0101" --limit 5 --json | jq ".changes[].changes"']);
}
