import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { makeKit, addExamples, type Runtime } from './program.js';
import { createContext } from './context.js';
import { handleError } from './errors.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(runtime: Runtime, setExitCode: (code: number) => void): Command {
  const program = new Command('phone-dir')
    .description('A Git-backed directory of your Twilio numbers, SIP trunks and Retell agent assignments')
    .version(VERSION, '-V, --version')
    .option('-C, --dir <path>', 'project root (default: nearest folder with workspaces.json or phone-numbers/)')
    .option('--json', 'print one JSON document on stdout')
    .option('-q, --quiet', 'only errors and one-line summaries')
    .option('--debug', 'print stack traces')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => runtime.io.stdout.write(s),
      writeErr: (s) => runtime.io.stderr.write(s),
    })
    .exitOverride();
  addExamples(program, [
    'phone-dir init',
    'phone-dir sync --all --commit --quiet',
    'phone-dir list --workspace staging',
    'phone-dir show "(415) 555-1234"',
    'phone-dir validate --format github',
    'phone-dir pool assign --workspace staging --agent agents/sales-agent --hold 18h',
  ]);
  registerCommands(program, makeKit(runtime, setExitCode));
  return program;
}

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: string[], runtime: Runtime): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(runtime, (code) => { exitCode = code; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const flags = { json: false, quiet: false, debug: argv.includes('--debug'), color: !argv.includes('--no-color') };
    return handleError(err, createContext(runtime.io, runtime.env, runtime.cwd, flags));
  }
}
