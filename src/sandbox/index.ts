import { FaultController } from './faults.js';
import { RequestLog } from './request-log.js';
import { defaultScenario } from './scenario-default.js';
import { isTrusted, validateScenario } from './scenario-load.js';
import type { Scenario } from './scenario-types.js';
import { startServer } from './server.js';
import { envSnippet, workspacesSnippet, type SandboxCredentials, type SnippetSource } from './snippets.js';
import { buildState } from './state-build.js';
import type { SandboxState } from './state.js';
import type { RequestLogEntry } from './types.js';

export { defaultScenario } from './scenario-default.js';
export { generateScenario, type GenerateOptions } from './scenario-generate.js';
export { loadScenarioFile, validateScenario } from './scenario-load.js';
export { envSnippet, exportLines, retellKeyEnvVar, vapiKeyEnvVar, workspacesSnippet, type SandboxCredentials } from './snippets.js';
export { FaultController, type Fault, type FaultSpec } from './faults.js';
export type { Scenario } from './scenario-types.js';
export type { SandboxState } from './state.js';
export type { RequestLogEntry } from './types.js';

export interface SandboxOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: defaultScenario(). Validated like a scenario file, except generateScenario() output (trusted). */
  scenario?: Scenario;
  /** Delay every emulated request by this many ms (overrides the scenario's latency_ms). */
  latencyMs?: number;
}

export interface SandboxHandle extends SnippetSource {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/twilio' */
  twilioBaseUrl: string;
  /** url + '/retell' */
  retellBaseUrl: string;
  /** url + '/signalwire': stands for https://<space_url> (the LaML API is under /api/laml). */
  signalwireBaseUrl: string;
  /** url + '/vapi' (the Vapi client's baseUrl) */
  vapiBaseUrl: string;
  credentials: SandboxCredentials;
  /** Live state, for tests to inspect or arrange. */
  state: SandboxState;
  /** Same controller as the /__sandbox/faults endpoints. */
  faults: FaultController;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Stops listening and closes keep-alive connections. */
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const input = opts.scenario ?? defaultScenario();
  const scenario = isTrusted(input) ? input : validateScenario(input, 'scenario');
  const state = buildState(scenario);
  const faults = new FaultController();
  for (const f of scenario.faults ?? []) faults.add(f);
  faults.setLatency(opts.latencyMs ?? scenario.latency_ms ?? 0);
  const log = new RequestLog();
  const key = scenario.twilio.api_keys?.[0];
  const credentials: SandboxCredentials = {
    twilio: {
      accountSid: scenario.twilio.account_sid,
      authToken: scenario.twilio.auth_token,
      ...(key ? { apiKeySid: key.sid, apiKeySecret: key.secret } : {}),
    },
    retell: Object.fromEntries(Object.entries(scenario.retell.workspaces).map(([ws, w]) => [ws, w.api_key])),
    ...(scenario.signalwire
      ? { signalwire: { spaceUrl: scenario.signalwire.space_url, projectId: scenario.signalwire.project_id, apiToken: scenario.signalwire.api_token } }
      : {}),
    vapi: Object.fromEntries(Object.entries(scenario.vapi?.workspaces ?? {}).map(([ws, o]) => [ws, { apiKey: o.api_key, name: o.name ?? ws }])),
  };
  // The control endpoint's /snippets needs the URL, which exists only once the server listens.
  const urls = { twilioBaseUrl: '', retellBaseUrl: '', signalwireBaseUrl: '', vapiBaseUrl: '' };
  const server = await startServer(
    { state, faults, log, snippets: () => ({ ...urls, credentials }) },
    opts.port ?? 0,
    opts.host ?? '127.0.0.1',
  );
  urls.twilioBaseUrl = `${server.url}/twilio`;
  urls.retellBaseUrl = `${server.url}/retell`;
  urls.signalwireBaseUrl = `${server.url}/signalwire`;
  urls.vapiBaseUrl = `${server.url}/vapi`;
  return {
    url: server.url,
    ...urls,
    credentials,
    state,
    faults,
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    close: () => server.close(),
  };
}

/** Convenience for callers holding a handle: both connection snippets at once. */
export function connectionSnippets(h: SandboxHandle): { workspaces: Record<string, unknown>; env: Record<string, string> } {
  return { workspaces: workspacesSnippet(h), env: envSnippet(h) };
}
