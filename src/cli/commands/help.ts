import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { exitCodesText } from '../exit-codes.js';
import { UsageError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';

export const HELP_TOPICS = ['exit-codes'];

/** `help pool assign` walks every word (commander's own help command stops at the first). */
function findCommand(program: Command, words: string[]): Command {
  let cmd = program;
  const path: string[] = [];
  for (const word of words) {
    const children = cmd.commands.filter((c) => c.name() !== 'help');
    const next = children.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) {
      const known = children.map((c) => c.name());
      const where = ['phone-dir', ...path].join(' ');
      throw new UsageError(`help: ${where} has no command "${word}"${didYouMean(word, cmd === program ? [...known, ...HELP_TOPICS] : known)}`, `run ${where} --help for the list`);
    }
    cmd = next;
    path.push(word);
  }
  return cmd;
}

export function registerHelp(program: Command, kit: CommandKit): void {
  program.helpCommand(false);
  const cmd = program.command('help')
    .description('help for a command (`help pool assign`), or a topic: `help exit-codes`')
    .argument('[command...]', 'a command, a subcommand, or exit-codes')
    .action(kit.action(async (ctx, words: string[]) => {
      if (words.length === 1 && HELP_TOPICS.includes(words[0]!)) {
        ctx.out(exitCodesText());
        return 0;
      }
      findCommand(program, words).outputHelp();
      return 0;
    }, { project: false }));
  addExamples(cmd, ['phone-dir help pool assign', 'phone-dir help exit-codes']);
}
