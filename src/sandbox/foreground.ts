import { envSnippet, exportLines, workspacesSnippet } from './snippets.js';
import { loadScenarioFile } from './scenario-load.js';
import { startSandbox } from './index.js';

export interface ForegroundOptions {
  port?: number;
  host?: string;
  scenarioPath?: string;
  latencyMs?: number;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  signal: AbortSignal;
}

/**
 * `phone-dir sandbox`: starts the emulator, prints how to point phone-dir at it, and runs until
 * `signal` aborts. The credentials printed are the sandbox's own fake ones.
 */
export async function runSandboxForeground(o: ForegroundOptions): Promise<void> {
  const scenario = o.scenarioPath ? await loadScenarioFile(o.scenarioPath) : undefined;
  const handle = await startSandbox({
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    ...(scenario ? { scenario } : {}),
    ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}),
  });
  try {
    const tw = handle.state.twilio;
    const retell = [...handle.state.retell.values()].map((w) => `${w.name} (${w.numbers.size} numbers, ${w.agents.size} agents)`).join(', ');
    o.stdout.write(
      [
        `phone-dir sandbox listening on ${handle.url}  (scenario: ${o.scenarioPath ?? 'default'})`,
        `  Twilio: ${handle.twilioBaseUrl}  (${tw.numbers.size} numbers, ${tw.trunks.size} trunks)`,
        ...(handle.state.signalwire ? [`  SignalWire: ${handle.signalwireBaseUrl}  (${handle.state.signalwire.account.numbers.size} numbers, no trunks)`] : []),
        `  Retell: ${handle.retellBaseUrl}  workspaces: ${retell}`,
        ...(handle.state.vapi.size
          ? [`  Vapi: ${handle.vapiBaseUrl}  workspaces: ${[...handle.state.vapi.values()].map((o) => `${o.name} (${o.numbers.size} numbers, ${o.assistants.size} assistants)`).join(', ')}`]
          : []),
        `  Control: ${handle.url}/__sandbox/health | faults | requests | latency`,
        '',
        '# workspaces.json',
        JSON.stringify(workspacesSnippet(handle), null, 2),
        '',
        '# environment',
        exportLines(envSnippet(handle)),
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      if (o.signal.aborted) return resolve();
      o.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await handle.close();
    o.stderr.write('phone-dir sandbox stopped\n');
  }
}
