import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { registerInit } from './init.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerAgentNumbers } from './agent-numbers.js';
import { registerUnassigned } from './unassigned.js';
import { registerSearch } from './search.js';
import { registerValidate } from './validate.js';
import { registerDiff } from './diff.js';
import { registerReport } from './report.js';
import { registerCompletion } from './completion.js';
import { registerPlaceholder } from './not-yet.js';

export function registerCommands(program: Command, kit: CommandKit): void {
  registerInit(program, kit);
  registerPlaceholder(program, kit, 'sync', 'fetch Twilio and Retell, reconcile, write the views');
  registerPlaceholder(program, kit, 'sync-twilio', 'sync from Twilio only');
  registerPlaceholder(program, kit, 'sync-retell', 'sync from Retell only');
  registerList(program, kit);
  registerShow(program, kit);
  registerAgentNumbers(program, kit);
  registerUnassigned(program, kit);
  registerSearch(program, kit);
  registerValidate(program, kit);
  registerDiff(program, kit);
  registerReport(program, kit);
  registerPlaceholder(program, kit, 'number', 'import, update or delete a number in Retell and the directory together');
  registerPlaceholder(program, kit, 'pool', 'provision, assign, release, hold, health and ensure pool numbers');
  registerPlaceholder(program, kit, 'sandbox', 'run the local Twilio + Retell emulator');
  registerPlaceholder(program, kit, 'demo', 'the whole loop on the emulator in a temporary project');
  registerCompletion(program, kit);
}
