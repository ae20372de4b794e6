import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents, parseNumberArg } from '../load.js';
import { NotFoundError } from '../../core/errors.js';
import { renderDirectoryEntry } from '../../core/views.js';
import { renderShow } from '../../render/show.js';
import { renderJson } from '../../render/json.js';

export function registerShow(program: Command, kit: CommandKit): void {
  const cmd = program.command('show')
    .description("one number's details: Twilio, SIP and every workspace's agent (--json: the directory entry)")
    .argument('<number>', 'E.164 or national form, e.g. "(415) 555-1234"')
    .action(kit.action(async (ctx, input: string) => {
      const number = parseNumberArg(input);
      const { dir } = await loadForReading(ctx);
      const record = dir.numbers.get(number);
      if (!record) throw new NotFoundError(`number not found: ${number} is not in the directory`);
      if (ctx.flags.json) ctx.out(renderJson(renderDirectoryEntry(record)));
      else ctx.out(renderShow(record, await loadAgents(ctx), ctx.chalk));
      return 0;
    }));
  addExamples(cmd, ['phone-dir show +14155551234', 'phone-dir show "(415) 555-1234" --json | jq .workspaces']);
}
