import type { Command } from 'commander';
import { mkdtemp, rm, writeFile, cp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import type { Context } from '../context.js';
import { REPO_AGENTS_DIR } from '../../sample.js';

const DEMO_POOLS = { version: '1.0.0', pools: { demo: { workspace: 'staging', min_available: 1, default_hold: '18h' } } };

/** The demo runs the real CLI in-process against the emulator, step by step, as a user would type it. */
async function step(ctx: Context, project: string, env: Record<string, string | undefined>, args: string[]): Promise<number> {
  const { main } = await import('../main.js');
  ctx.out(`\n${ctx.chalk.bold.cyan(`$ phone-dir ${args.join(' ')}`)}\n`);
  const code = await main(args, { io: ctx.io, env, cwd: project, now: ctx.now });
  if (code !== 0) ctx.out(ctx.chalk.dim(`(exit ${code})\n`));
  return code;
}

export function registerDemo(program: Command, kit: CommandKit): void {
  const cmd = program.command('demo')
    .description('the whole loop on the built-in emulator in a temporary project: init, sync, validate, report, pool assign and release')
    .option('--keep', 'keep the temporary project and print its path')
    .action(kit.action(async (ctx, opts: { keep?: boolean }) => {
      const { startSandbox, workspacesSnippet, envSnippet } = await import('../../sandbox/index.js');
      const sandbox = await startSandbox({ port: 0 });
      const project = await mkdtemp(path.join(tmpdir(), 'phone-dir-demo-'));
      const failures: string[] = [];
      try {
        await writeFile(path.join(project, 'workspaces.json'), `${JSON.stringify(workspacesSnippet(sandbox), null, 2)}\n`);
        await cp(REPO_AGENTS_DIR, path.join(project, 'agents'), { recursive: true });
        await mkdir(path.join(project, 'phone-numbers'), { recursive: true });
        await writeFile(path.join(project, 'phone-numbers', 'pools.json'), `${JSON.stringify(DEMO_POOLS, null, 2)}\n`);
        const env = { ...ctx.env, ...envSnippet(sandbox), CI: ctx.env.CI };
        ctx.out(`${ctx.chalk.bold('phone-dir demo')}: emulator at ${sandbox.url}, project in ${project}\n`);
        const steps: string[][] = [
          ['init'],
          ['sync', '--all'],
          ['list', '--workspace', 'staging'],
          ['show', '+14155550101'],
          ['number', 'update', '+14155550105', '--workspace', 'staging', '--pool', 'demo'],
          ['pool', 'assign', '--workspace', 'staging', '--agent', 'agents/sales-agent', '--pool', 'demo', '--hold', '1h'],
          ['pool', 'release', '+14155550105', '--workspace', 'staging'],
          ['pool', 'health', '--workspace', 'staging'],
          ['validate'],
          ['report'],
          ['sync', '--all', '--check'],
        ];
        for (const args of steps) {
          const code = await step(ctx, project, env, args);
          // validate may legitimately report findings about the scenario's data (exit 1); anything else is a failure.
          if (code !== 0 && !(args[0] === 'validate' && code === 1)) failures.push(`phone-dir ${args.join(' ')} exited ${code}`);
        }
      } finally {
        await sandbox.close();
        if (opts.keep) ctx.out(`\nkept the demo project in ${project}\n`);
        else await rm(project, { recursive: true, force: true });
      }
      if (failures.length) {
        ctx.err(`demo failed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
        return 1;
      }
      ctx.out(`\n${ctx.chalk.green('✓')} demo finished: the emulator is stopped${opts.keep ? '' : ' and the temporary project removed'}\n`);
      return 0;
    }, { project: false }));
  addExamples(cmd, ['phone-dir demo', 'phone-dir demo --keep', 'npx phone-dir demo']);
}
