import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { UsageError } from '../../core/errors.js';

/** A port the sandbox cannot listen on is the user's to fix (another process, a privileged port), not a bug. */
function listenError(err: unknown, host: string, port: number): UsageError | null {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`--port: ${host}:${port} is already in use`, 'stop the process listening there, or pass another --port (--port 0 picks any free port)');
  if (code === 'EACCES' || code === 'EPERM') return new UsageError(`--port: not allowed to listen on ${host}:${port}`, 'pick a port above 1023, or --port 0 for any free port');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new UsageError(`--host: ${host} is not an address of this machine`, 'use 127.0.0.1 (the default) or 0.0.0.0');
  return null;
}

export function registerSandbox(program: Command, kit: CommandKit): void {
  const cmd = program.command('sandbox')
    .description('run the local emulator (Twilio, SignalWire, Retell, Vapi) in the foreground; prints the settings that point phone-dir at it')
    .option('-p, --port <n>', 'port to listen on (0: any free port)', '4010')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--scenario <file>', 'JSON scenario to load instead of the built-in one')
    .option('--latency <ms>', 'delay every emulated request (to feel real network latency)', '0')
    .action(kit.action(async (ctx, opts: { port: string; host: string; scenario?: string; latency: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${opts.port}" is not a port number`);
      const latencyMs = Number(opts.latency);
      if (!Number.isInteger(latencyMs) || latencyMs < 0) throw new UsageError(`--latency: "${opts.latency}" is not a number of milliseconds`);
      const { runSandboxForeground } = await import('../../sandbox/foreground.js');
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await runSandboxForeground({ port, host: opts.host, scenarioPath: opts.scenario, latencyMs, stdout: ctx.io.stdout, stderr: ctx.io.stderr, signal: controller.signal });
      } catch (err) {
        throw listenError(err, opts.host, port) ?? err;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      return 0;
    }, { project: false }));
  addExamples(cmd, ['phone-dir sandbox', 'phone-dir sandbox --port 0 --scenario my-scenario.json', 'phone-dir sandbox --latency 150']);
}
