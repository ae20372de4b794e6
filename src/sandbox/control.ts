import type { FaultController, FaultSpec } from './faults.js';
import type { RequestLog } from './request-log.js';
import { envSnippet, workspacesSnippet, type SnippetSource } from './snippets.js';
import type { SandboxState } from './state.js';
import { json, type Reply } from './types.js';

export interface ControlDeps {
  state: SandboxState;
  faults: FaultController;
  log: RequestLog;
  snippets: () => SnippetSource;
}

const fail = (status: number, error: string) => json(status, { error });

/** /__sandbox/* endpoints: health, faults, request log, latency, connection snippets. */
export function handleControl(d: ControlDeps, method: string, path: string, rawBody: string): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  let body: unknown;
  try {
    body = rawBody.trim() === '' ? undefined : JSON.parse(rawBody);
  } catch {
    return fail(400, 'body must be JSON');
  }
  switch (route) {
    case 'GET /__sandbox/health': {
      const retell = Object.fromEntries([...d.state.retell.values()].map((w) => [w.name, { phone_numbers: w.numbers.size, agents: w.agents.size }]));
      const tw = d.state.twilio;
      const sw = d.state.signalwire;
      const vapi = Object.fromEntries([...d.state.vapi.values()].map((o) => [o.name, { phone_numbers: o.numbers.size, assistants: o.assistants.size }]));
      return json(200, {
        status: 'ok',
        twilio: { incoming_phone_numbers: tw.numbers.size, trunks: tw.trunks.size },
        ...(sw ? { signalwire: { incoming_phone_numbers: sw.account.numbers.size } } : {}),
        retell,
        vapi,
      });
    }
    case 'GET /__sandbox/faults':
      return json(200, { faults: d.faults.list(), latency_ms: d.faults.latencyMs });
    case 'POST /__sandbox/faults': {
      const specs = Array.isArray(body) ? body : [body];
      try {
        const added = specs.map((s) => d.faults.add((s ?? {}) as FaultSpec));
        return json(201, Array.isArray(body) ? { faults: added } : added[0]);
      } catch (e) {
        return fail(400, (e as Error).message);
      }
    }
    case 'DELETE /__sandbox/faults':
      d.faults.clear();
      return { status: 204 };
    case 'GET /__sandbox/requests':
      return json(200, { requests: d.log.list() });
    case 'DELETE /__sandbox/requests':
      d.log.clear();
      return { status: 204 };
    case 'GET /__sandbox/latency':
      return json(200, { latency_ms: d.faults.latencyMs });
    case 'PUT /__sandbox/latency':
    case 'POST /__sandbox/latency': {
      const ms = (body as { latency_ms?: unknown } | undefined)?.latency_ms;
      try {
        d.faults.setLatency(typeof ms === 'number' ? ms : Number.NaN);
      } catch (e) {
        return fail(400, (e as Error).message);
      }
      return json(200, { latency_ms: d.faults.latencyMs });
    }
    case 'GET /__sandbox/snippets':
      return json(200, { workspaces: workspacesSnippet(d.snippets()), env: envSnippet(d.snippets()) });
  }
  const release = /^POST \/__sandbox\/faults\/([^/]+)\/release$/.exec(route);
  if (release) return d.faults.release(release[1] as string) ? { status: 204 } : fail(404, `no held fault ${release[1]}`);
  const del = /^DELETE \/__sandbox\/faults\/([^/]+)$/.exec(route);
  if (del) return d.faults.remove(del[1] as string) ? { status: 204 } : fail(404, `no fault ${del[1]}`);
  return fail(404, `unknown control endpoint ${route}`);
}
