import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl, type ControlDeps } from './control.js';
import { retellError } from './retell-context.js';
import { handleRetell, retellWorkspaceOf } from './retell-service.js';
import { loggableBody } from './request-log.js';
import { twilioError, twilioFault } from './twilio-errors.js';
import { handleSignalwire } from './signalwire-service.js';
import { handleTwilio } from './twilio-service.js';
import { vapiError } from './vapi-context.js';
import { handleVapi, vapiWorkspaceOf } from './vapi-service.js';
import { ReplyError, type Reply, type RequestContext, type RequestLogEntry } from './types.js';
import type { Service } from './faults.js';

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Emulated latency. Pending delays are kept in one set that close() ends all at once: an abort listener
 * per delayed request on a shared signal tripped Node's MaxListenersExceededWarning past 10 in flight.
 */
function delays() {
  const pending = new Set<() => void>();
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          pending.delete(finish);
          resolve();
        }
        pending.add(finish);
      });
    },
    /** Waits for `released`, or for close(). */
    until(released: Promise<void>): Promise<void> {
      return new Promise((resolve) => {
        function finish() {
          pending.delete(finish);
          resolve();
        }
        pending.add(finish);
        void released.then(finish);
      });
    },
    endAll(): void {
      for (const finish of [...pending]) finish();
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const payload = Buffer.from(JSON.stringify(reply.body));
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = payload.length;
  res.writeHead(reply.status, headers).end(payload);
}

const HANDLERS: Record<Service, (state: ControlDeps['state'], ctx: RequestContext) => Promise<Reply>> = {
  twilio: handleTwilio,
  signalwire: handleSignalwire,
  retell: handleRetell,
  vapi: handleVapi,
};

function faultReply(service: Service, status: number, retryAfter: number | undefined): Reply {
  const message = status === 429 ? 'Too many requests, please retry later.' : 'An unexpected server error occurred.';
  // SignalWire's LaML answers these in Twilio's shape, as the API it mirrors.
  const base = service === 'twilio' || service === 'signalwire' ? twilioFault(status) : service === 'vapi' ? vapiError(status, message) : retellError(status, message);
  return retryAfter === undefined ? base : { ...base, headers: { ...base.headers, 'Retry-After': String(retryAfter) } };
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(deps: ControlDeps, port: number, host: string): Promise<RunningServer> {
  const latency = delays();
  const { state, faults, log } = deps;

  async function emulate(req: IncomingMessage, res: ServerResponse, service: Service, url: URL, rawBody: string): Promise<void> {
    const method = req.method ?? 'GET';
    const ctx: RequestContext = {
      method, path: url.pathname.slice(service.length + 1), fullPath: url.pathname, query: url.searchParams, headers: req.headers, rawBody,
    };
    const entry: RequestLogEntry = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, at: new Date().toISOString() };
    const body = loggableBody(rawBody, req.headers['content-type']);
    if (body !== undefined) entry.body = body;
    const ws = service === 'retell' ? retellWorkspaceOf(state, ctx) : service === 'vapi' ? vapiWorkspaceOf(state, ctx) : undefined;
    if (ws) entry.workspace = ws;
    const fault = faults.take(method, url.pathname, service);
    const delay = faults.latencyMs + (fault?.latency_ms ?? 0);
    if (delay > 0) await latency.sleep(delay);
    if (fault) entry.fault = fault.id;
    if (fault?.commit_after_ms !== undefined) {
      // The client gets the fault; the request itself still happens, later (errors of that late run are dropped).
      // With `hold`, "later" starts when the test releases the fault, so the test decides what comes first.
      const commitAfterMs = fault.commit_after_ms;
      const runLate = () => {
        const late = setTimeout(() => {
          void Promise.resolve().then(() => HANDLERS[service](state, ctx)).catch(() => undefined);
        }, commitAfterMs);
        late.unref();
      };
      if (fault.hold) void faults.hold(fault.id).then(runLate);
      else runLate();
    }
    let reply: Reply;
    if (fault?.drop) {
      log.push(entry);
      req.socket.destroy();
      return;
    } else if (fault?.status !== undefined) {
      reply = faultReply(service, fault.status, fault.retry_after);
    } else {
      try {
        reply = await HANDLERS[service](state, ctx);
      } catch (e) {
        if (!(e instanceof ReplyError)) throw e;
        reply = e.reply;
      }
    }
    if (fault?.hold && fault.commit_after_ms === undefined) await latency.until(faults.hold(fault.id));
    entry.status = reply.status;
    log.push(entry);
    send(res, reply);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const rawBody = await readBody(req);
    if (url.pathname.startsWith('/__sandbox/')) {
      send(res, handleControl(deps, req.method ?? 'GET', url.pathname, rawBody));
      return;
    }
    const service = (Object.keys(HANDLERS) as Service[]).find((s) => url.pathname.startsWith(`/${s}/`));
    if (!service) {
      send(res, { status: 404, body: { error: `unknown path ${url.pathname}: use /twilio/…, /signalwire/…, /retell/…, /vapi/… or /__sandbox/…` } });
      return;
    }
    try {
      await emulate(req, res, service, url, rawBody);
    } catch (e) {
      const message = `sandbox internal error: ${(e as Error).message}`;
      send(res, service === 'twilio' || service === 'signalwire' ? twilioError(500, 20500, message) : service === 'vapi' ? vapiError(500, message) : retellError(500, message));
    }
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        latency.endAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
