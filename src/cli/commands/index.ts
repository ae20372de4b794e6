import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { registerInit } from './init.js';
import { registerSync } from './sync.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerAgentNumbers } from './agent-numbers.js';
import { registerUnassigned } from './unassigned.js';
import { registerSearch } from './search.js';
import { registerValidate } from './validate.js';
import { registerDiff } from './diff.js';
import { registerReport } from './report.js';
import { registerSandbox } from './sandbox.js';
import { registerDemo } from './demo.js';
import { registerCompletion } from './completion.js';
import { registerNumber } from './number.js';
import { registerPool } from './pool.js';
import { registerHelp } from './help.js';
import { registerHistory } from './history.js';

export function registerCommands(program: Command, kit: CommandKit): void {
  registerInit(program, kit);
  registerSync(program, kit);
  registerList(program, kit);
  registerShow(program, kit);
  registerAgentNumbers(program, kit);
  registerUnassigned(program, kit);
  registerSearch(program, kit);
  registerValidate(program, kit);
  registerDiff(program, kit);
  registerReport(program, kit);
  registerHistory(program, kit);
  registerNumber(program, kit);
  registerPool(program, kit);
  registerSandbox(program, kit);
  registerDemo(program, kit);
  registerCompletion(program, kit);
  registerHelp(program, kit);
}
