import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples, collect, lockTimeoutOption } from '../program.js';
import { parseNumberArg } from '../load.js';
import { isE164 } from '../../core/phone.js';
import { renderJson } from '../../render/json.js';
import { PUSH_HELP, pushRetriesOption, type PushFlags } from '../push.js';

export function registerNumber(program: Command, kit: CommandKit): void {
  const number = program.command('number').description('import, update or delete a number in a workspace (Retell or Vapi) and the directory together');
  addExamples(number, ['phone-dir number import +14155551234 mytrunk.pstn.twilio.com --workspace staging --inbound-agent agents/sales-agent', 'phone-dir number delete +14155551234 --workspace staging --yes']);

  const imp = number.command('import')
    .description('import a number into a workspace and record it, in one step: over SIP, or (Vapi and a Twilio number) with the carrier account\'s own credentials')
    .argument('<number>', 'E.164 or national form')
    .argument('[termination-uri]', 'SIP termination URI (a Twilio trunk\'s domain, e.g. mytrunk.pstn.twilio.com; a SignalWire space\'s SIP domain); not needed where the platform imports through the carrier\'s API')
    .requiredOption('-w, --workspace <ws>', 'workspace (Retell or Vapi)')
    .option('--username <name>', 'SIP trunk auth username')
    .option('--password-env <VAR>', 'environment variable holding the SIP trunk password (never printed or stored)')
    .option('--inbound-agent <agent>', 'agent answering calls (path or agent id)')
    .option('--outbound-agent <agent>', 'agent dialling from it (path or agent id)')
    .option('--nickname <text>', 'the number\'s name at the platform')
    .option('--pool <name>', 'put it in this pool')
    .addOption(lockTimeoutOption())
    .option('--push', PUSH_HELP)
    .addOption(pushRetriesOption())
    .action(kit.action(async (ctx, input: string, uri: string | undefined, f: { workspace: string; username?: string; passwordEnv?: string; inboundAgent?: string; outboundAgent?: string; nickname?: string; pool?: string } & PushFlags) => {
      const { Session } = await import('../pool/session.js');
      const { runNumberImport } = await import('../../pool/number.js');
      const { numberText } = await import('../pool/render.js');
      const { renderDirectoryEntry } = await import('../../core/views.js');
      const s = new Session(ctx, 'number import');
      const { push, pushRetries, ...options } = f;
      const number = parseNumberArg(input);
      const { withPush, pushLine } = await import('../push.js');
      const { result: record, push: pushed } = await withPush(ctx, { push, pushRetries }, `phone-dir number import ${number} (${f.workspace})`, () => runNumberImport({ number, ...(uri !== undefined ? { terminationUri: uri } : {}), ...options }, s));
      if (pushed) ctx.info(pushLine(pushed));
      if (ctx.flags.json) ctx.out(renderJson(renderDirectoryEntry(record)));
      else ctx.status(numberText('imported', record, f.workspace), numberText('imported', record, f.workspace));
      s.reportTiming();
      return 0;
    }));
  addExamples(imp, [
    'phone-dir number import +14155551234 mytrunk.pstn.twilio.com --workspace staging --username retell_user --password-env SIP_PASSWORD --inbound-agent agents/sales-agent',
    'phone-dir number import +16505550194 --workspace vapi-support --inbound-agent agents/support-tier1',
    'phone-dir number import "(415) 555-1234" mytrunk.pstn.twilio.com -w production --outbound-agent agents/booking --pool sales-pool',
  ]);

  const update = number.command('update')
    .description('change a number\'s agents or nickname at its workspace\'s platform, and its pool, status, tags or notes, with the directory')
    .argument('<number>', 'E.164 or national form')
    .requiredOption('-w, --workspace <ws>', 'workspace (Retell or Vapi)')
    .option('--inbound-agent <agent>', 'agent answering calls (path or agent id; "none" clears)')
    .option('--outbound-agent <agent>', 'agent dialling from it (path or agent id; "none" clears)')
    .option('--nickname <text>', 'nickname at the platform ("" clears)')
    .option('--pool <name>', 'pool to put it in ("none" takes it out)')
    .option('--status <status>', 'active, reserved or protected (reserved/protected numbers are never handed out)')
    .option('--tag <tag>', 'add a tag (repeatable; directory only)', collect, [])
    .option('--untag <tag>', 'remove a tag (repeatable; directory only)', collect, [])
    .option('--notes <text>', 'notes (directory only; "" clears)')
    .addOption(lockTimeoutOption())
    .option('--push', PUSH_HELP)
    .addOption(pushRetriesOption())
    .action(kit.action(async (ctx, input: string, f: { workspace: string; inboundAgent?: string; outboundAgent?: string; nickname?: string; pool?: string; status?: string; tag: string[]; untag: string[]; notes?: string } & PushFlags) => {
      const { Session } = await import('../pool/session.js');
      const { runNumberUpdate } = await import('../../pool/number.js');
      const { numberText } = await import('../pool/render.js');
      const { renderDirectoryEntry } = await import('../../core/views.js');
      const s = new Session(ctx, 'number update');
      const { tag, untag, push, pushRetries, ...rest } = f;
      const number = parseNumberArg(input);
      const { withPush, pushLine } = await import('../push.js');
      const { result: record, push: pushed } = await withPush(ctx, { push, pushRetries }, `phone-dir number update ${number} (${f.workspace})`, () => runNumberUpdate({ number, ...rest, tags: tag, untags: untag }, s));
      if (pushed) ctx.info(pushLine(pushed));
      if (ctx.flags.json) ctx.out(renderJson(renderDirectoryEntry(record)));
      else ctx.status(numberText('updated', record, f.workspace), numberText('updated', record, f.workspace));
      s.reportTiming();
      return 0;
    }));
  addExamples(update, ['phone-dir number update +14155551234 --workspace staging --inbound-agent agents/support-tier1', 'phone-dir number update +14155551234 -w staging --pool sales-pool --status protected', 'phone-dir number update +14155551234 -w staging --tag after-hours --notes "Front desk, 2nd floor"']);

  const del = number.command('delete')
    .description('remove a number from the workspace (Retell or Vapi) and every view, unlinking its agents (asks first)')
    .argument('<number>', 'E.164 or national form')
    .requiredOption('-w, --workspace <ws>', 'workspace (Retell or Vapi)')
    .option('--release', 'also release it at Twilio: out of every workspace and the directory (irreversible)')
    .option('-y, --yes', 'do not ask (required without a terminal)')
    .addOption(lockTimeoutOption())
    .option('--push', PUSH_HELP)
    .addOption(pushRetriesOption())
    .action(kit.action(async (ctx, input: string, f: { workspace: string; release?: boolean; yes?: boolean } & PushFlags) => {
      const { Session } = await import('../pool/session.js');
      const { runNumberDelete } = await import('../../pool/number.js');
      const { deleteJson, deleteText } = await import('../pool/render.js');
      const s = new Session(ctx, 'number delete');
      // E.164 as written, valid or not: a number recorded before numbers were checked can still be deleted (runNumberDelete checks the rest).
      const number = isE164(input.trim()) ? input.trim() : parseNumberArg(input);
      const confirm = (await import('../pool/prompt.js')).terminalConfirm(ctx);
      const { withPush, pushLine } = await import('../push.js');
      const { result: r, push: pushed } = await withPush(ctx, f, `phone-dir number delete ${number} (${f.workspace})`, () => runNumberDelete({ number, workspace: f.workspace, release: Boolean(f.release), yes: Boolean(f.yes), confirm }, s));
      if (pushed) ctx.info(pushLine(pushed));
      if (ctx.flags.json) ctx.out(renderJson(deleteJson(r)));
      else ctx.status(deleteText(r), r.cancelled ? null : deleteText(r));
      s.reportTiming();
      return r.exitCode;
    }));
  addExamples(del, ['phone-dir number delete +14155551234 --workspace staging', 'phone-dir number delete +14155551234 --workspace staging --release --yes']);
}
