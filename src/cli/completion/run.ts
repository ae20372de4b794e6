import type { Command } from 'commander';
import { complete } from './engine.js';
import { projectValues } from './project-values.js';
import type { Runtime } from '../program.js';

/**
 * `phone-dir __complete <words…>`: what the completion scripts call. One candidate a line
 * (`value<TAB>description`), or `:dirs` / `:files` for the shell's own path completion. It reads only
 * the project's small files and never fails: a broken project completes less, silently.
 */
export function runComplete(program: Command, words: string[], runtime: Runtime): number {
  try {
    const result = complete(program, words.length ? words : [''], projectValues(runtime.cwd, runtime.env.HOME));
    const lines = result.kind === 'words'
      ? result.words.map((w) => (w.description ? `${w.value}\t${w.description.replace(/\s+/g, ' ')}` : w.value))
      : [`:${result.kind}`];
    if (lines.length) runtime.io.stdout.write(`${lines.join('\n')}\n`);
  } catch {
    // Completion must never print an error into the user's command line.
  }
  return 0;
}
