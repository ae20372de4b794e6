import { Command, Option } from 'commander';
import { handleError } from './errors.js';
import { requireProject } from './project.js';
import { createContext, type Context, type Io, type GlobalFlags } from './context.js';

export interface Runtime { io: Io; env: Record<string, string | undefined>; cwd: string; now?: () => Date }

/** What an action returns: the exit code (0 unless a check failed). */
export type ActionResult = number | void;

export interface CommandKit {
  runtime: Runtime;
  setExitCode(code: number): void;
  /**
   * Wraps an action: builds the context from the global flags, checks that there is a project (unless
   * `project: false`: init, sandbox, demo, completion) and records the exit code.
   */
  action<A extends unknown[]>(fn: (ctx: Context, ...args: A) => Promise<ActionResult>, opts?: ActionOptions): (...args: unknown[]) => Promise<void>;
}

export interface ActionOptions { project?: boolean }

export function globalFlags(cmd: Command): GlobalFlags {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  return {
    dir: o.dir as string | undefined,
    json: Boolean(o.json),
    quiet: Boolean(o.quiet),
    debug: Boolean(o.debug),
    color: o.color !== false,
    lockTimeout: o.lockTimeout as string | undefined,
  };
}

export function makeKit(runtime: Runtime, setExitCode: (code: number) => void): CommandKit {
  return {
    runtime,
    setExitCode,
    action(fn, opts = {}) {
      return async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as Command;
        const ctx = createContext(runtime.io, runtime.env, runtime.cwd, globalFlags(cmd), runtime.now);
        try {
          if (opts.project !== false) requireProject(ctx);
          const code = await fn(ctx, ...(args.slice(0, -1) as never));
          setExitCode(typeof code === 'number' ? code : 0);
        } catch (err) {
          setExitCode(handleError(err, ctx));
        } finally {
          await ctx.end();
        }
      };
    },
  };
}

export function addExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/** Every mutating command's --lock-timeout (spec/cli.md: default 30s). */
export function lockTimeoutOption(): Option {
  return new Option('--lock-timeout <duration>', 'how long to wait for the directory lock (and for a number another command is working on)').default('30s');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
