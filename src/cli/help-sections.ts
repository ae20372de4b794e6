import type { Command } from 'commander';
import { exitCodesHelp } from './exit-codes.js';

/** `pool assign` for the pool assign command: the words after phone-dir. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function leafCommands(cmd: Command): Command[] {
  return cmd.commands.length ? cmd.commands.flatMap(leafCommands) : [cmd];
}

export const takesLock = (cmd: Command): boolean => cmd.options.some((o) => o.long === '--lock-timeout');

/** Every leaf command's --help ends with the exit codes that apply to it, from the one table. */
export function addExitCodeSections(program: Command): void {
  for (const leaf of leafCommands(program)) {
    leaf.addHelpText('after', () => exitCodesHelp(commandPath(leaf), takesLock(leaf)));
  }
  program.addHelpText('after', 'Exit codes: each command\'s --help lists those it can end with; phone-dir help exit-codes explains every code.');
  for (const parent of program.commands.filter((c) => c.commands.length)) {
    parent.addHelpText('after', `Exit codes: see each subcommand's --help (phone-dir help ${parent.name()} <subcommand>), or phone-dir help exit-codes`);
  }
}
