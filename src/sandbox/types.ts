import type { IncomingHttpHeaders } from 'node:http';

/** What a route handler answers; the server serialises `body` as JSON (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A parsed request, with the service prefix (/twilio, /retell) removed from `path`. */
export interface RequestContext {
  method: string;
  path: string;
  fullPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface RequestLogEntry {
  method: string;
  /** Full path including the /twilio or /retell prefix, without the query string. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Retell workspace selected by the API key, when it was valid. */
  workspace?: string;
  /** Parsed form or JSON body; fields named like password/secret/token are replaced by "***". */
  body?: unknown;
  /** Id of the injected fault that answered (status 0 = connection dropped). */
  fault?: string;
  at: string;
}

/** Thrown by handlers to answer with an error reply. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, ...(headers ? { headers } : {}) };
}
