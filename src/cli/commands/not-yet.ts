import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { UsageError } from '../../core/errors.js';

/** Commands of the contract whose implementation has not landed: listed in help, exit 2 when run. */
export function registerPlaceholder(program: Command, kit: CommandKit, name: string, description: string): Command {
  return program.command(name)
    .description(`${description} (not yet available)`)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(kit.action(async () => {
      throw new UsageError(`phone-dir ${name} is not yet available in this version`);
    }));
}
