import { Option, type Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { runNumberQuery } from './list.js';
import { UsageError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';
import { platformNames } from '../../providers/registry.js';

interface SearchOptions { areaCode?: string; type?: string; tag?: string; agent?: string; workspace?: string; trunk?: string; pool?: string; provider?: string; platform?: string }

const TYPES = ['local', 'toll-free', 'mobile'];

export function registerSearch(program: Command, kit: CommandKit): void {
  const cmd = program.command('search')
    .description('numbers matching every given filter (--json like list)')
    .option('--area-code <code>', 'three-digit area code, e.g. 415')
    .addOption(new Option('--type <type>', 'number type').choices(TYPES))
    .option('--tag <tag>', 'numbers carrying this tag')
    .option('-a, --agent <agent>', 'numbers of this agent (path or agent id)')
    .option('-w, --workspace <ws>', 'numbers imported into this workspace')
    .option('--trunk <sid>', 'numbers on this SIP trunk')
    .option('--pool <name>', 'numbers in this pool')
    .option('--provider <name>', 'numbers held by this provider: a carrier (twilio, signalwire) or a platform\'s own (retell-twilio, vapi…)')
    .option('--platform <name>', 'numbers in workspaces on this voice platform (retell, vapi)')
    .action(kit.action(async (ctx, opts: SearchOptions) => {
      if (opts.type && !TYPES.includes(opts.type)) throw new UsageError(`--type: "${opts.type}" is not one of ${TYPES.join(', ')}`);
      if (opts.areaCode && !/^\d{3}$/.test(opts.areaCode)) throw new UsageError(`--area-code: "${opts.areaCode}" is not a three-digit area code`);
      if (opts.platform && !platformNames().includes(opts.platform)) {
        throw new UsageError(`--platform: "${opts.platform}" is not a voice platform phone-dir knows${didYouMean(opts.platform, platformNames())} (known: ${platformNames().join(', ')})`);
      }
      return runNumberQuery(ctx, opts);
    }));
  addExamples(cmd, ['phone-dir search --area-code 415', 'phone-dir search --provider signalwire', 'phone-dir search --platform vapi --json', 'phone-dir search --tag sales --workspace production --json']);
}
