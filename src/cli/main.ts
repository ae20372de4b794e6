import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { makeKit, addExamples, type Runtime } from './program.js';
import { createContext } from './context.js';
import { handleError, reportError } from './errors.js';
import { UsageError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';
import { addExitCodeSections } from './help-sections.js';

/** Flags that shape error output must work even when parsing fails before commander has read them. */
function earlyFlags(argv: string[]) {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  return { json: beforeDashes.includes('--json'), quiet: false, debug: beforeDashes.includes('--debug'), color: !beforeDashes.includes('--no-color') };
}

export function buildProgram(runtime: Runtime, setExitCode: (code: number) => void, argv: string[] = []): Command {
  const early = earlyFlags(argv);
  const errorContext = createContext(runtime.io, runtime.env, runtime.cwd, early);
  const program = new Command('phone-dir')
    .description('A Git-backed directory of your carrier numbers (Twilio, SignalWire), SIP trunks and voice-AI agent assignments (Retell, Vapi)')
    .version(VERSION, '-V, --version')
    .option('-C, --dir <path>', 'project root (default: nearest folder with workspaces.json or phone-numbers/)')
    .option('--json', 'print one JSON document on stdout (errors: {"error":{…}} on stderr)')
    .option('-q, --quiet', 'only errors and at most one summary line')
    .option('--debug', 'print stack traces')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    // Inherited by every subcommand: `phone-dir pool assign --help` lists -C, --json, --quiet… too.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => runtime.io.stdout.write(s),
      writeErr: (s) => runtime.io.stderr.write(s),
      // Bad flags and arguments are reported like every other error (one JSON document under --json).
      outputError: (message, write) => {
        if (early.json) reportError(new UsageError(message.replace(/^error: /, '').trim()), errorContext);
        else write(message);
      },
    })
    .exitOverride();
  if (!early.json) program.showHelpAfterError('(run with --help for usage)');
  addExamples(program, [
    'phone-dir init',
    'phone-dir sync --all --commit --quiet',
    'phone-dir list --workspace staging',
    'phone-dir show "(415) 555-1234"',
    'phone-dir validate --format github',
    'phone-dir pool assign --workspace staging --agent agents/sales-agent --hold 18h',
    'phone-dir help exit-codes',
  ]);
  registerCommands(program, makeKit(runtime, setExitCode));
  addExitCodeSections(program);
  return program;
}

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: string[], runtime: Runtime): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(runtime, (code) => { exitCode = code; }, argv);
  // The completion scripts' entry: hidden from help, and parsed by the completion engine, not commander.
  if (argv[0] === '__complete') {
    const { runComplete } = await import('./completion/run.js');
    return runComplete(program, argv.slice(1), runtime);
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return handleError(err, createContext(runtime.io, runtime.env, runtime.cwd, earlyFlags(argv)));
  }
}
