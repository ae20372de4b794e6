import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents, parseNumberArg } from '../load.js';
import { recoverIfInterrupted } from '../lock.js';
import { readOneNumber } from '../../store/directory.js';
import { NotFoundError } from '../../core/errors.js';
import { numberEntryWithAgents, agentLegs } from '../../core/query.js';
import { renderShow } from '../../render/show.js';
import { renderJson } from '../../render/json.js';
import { vendorNames } from '../../render/vendors.js';
import { catalog } from '../../providers/registry.js';
import { recordedPlatforms } from '../../core/reconcile.js';
import type { Assignment } from '../../core/model.js';

/** A leg whose agent path the assignment does not record: the agent folders name it. */
function hasUnnamedLeg(a: Assignment): boolean {
  const legs = agentLegs(a);
  return [...legs.inbound_agents, ...legs.outbound_agents].some((w) => w.agent_path === null);
}

export function registerShow(program: Command, kit: CommandKit): void {
  const cmd = program.command('show')
    .description("one number's details: its carrier, SIP and every workspace's platform and agent (--json: the directory entry)")
    .argument('<number>', 'E.164 or national form, e.g. "(415) 555-1234"')
    .action(kit.action(async (ctx, input: string) => {
      const number = parseNumberArg(input);
      await recoverIfInterrupted(ctx);
      // One number is all show needs: find its records instead of parsing every view.
      const fast = await readOneNumber(ctx.root, number);
      const full = fast ? null : (await loadForReading(ctx)).dir;
      const record = fast ? fast.record : full!.numbers.get(number);
      const platforms = fast ? fast.platforms : recordedPlatforms(full!);
      if (!record) throw new NotFoundError(`number not found: ${number} is not in the directory`);
      const vendors = vendorNames(catalog(), platforms);
      if (ctx.flags.json) ctx.out(renderJson(numberEntryWithAgents(record, vendors.platformName)));
      else {
        const needsNames = Object.values(record.workspaces).some((w) => w.assignment && (!w.assignment.agent_name || hasUnnamedLeg(w.assignment)));
        ctx.out(renderShow(record, needsNames ? await loadAgents(ctx) : null, ctx.chalk, vendors));
      }
      return 0;
    }));
  addExamples(cmd, ['phone-dir show +14155551234', 'phone-dir show "(415) 555-1234" --json | jq .workspaces']);
}
