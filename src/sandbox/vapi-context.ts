import type { SandboxState } from './state.js';
import { json, ReplyError, type Reply, type RequestContext } from './types.js';
import type { VapiOrg } from './vapi-state.js';

export interface VapiCtx extends RequestContext {
  state: SandboxState;
  org: VapiOrg;
  body: Record<string, unknown>;
  now: number;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** Vapi's (NestJS) error body: `{message, error, statusCode}`; validation failures carry a list of messages. */
export function vapiError(status: number, message: string | string[], headers?: Record<string, string>): Reply {
  return json(status, { message, error: REASONS[status] ?? 'Error', statusCode: status }, headers);
}

/** 400 with the list of every validation message, as Vapi's ValidationPipe answers. */
export function invalid(messages: string[]): ReplyError {
  return new ReplyError(vapiError(400, messages));
}

export function badRequest(message: string): ReplyError {
  return new ReplyError(vapiError(400, message));
}

export function notFound(what: string): ReplyError {
  return new ReplyError(vapiError(404, `${what} not found`));
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const E164 = /^\+[1-9]\d{6,14}$/;

/** Collects validation messages over a body, then throws them all at once. */
export class BodyReader {
  readonly problems: string[] = [];
  constructor(private readonly body: Record<string, unknown>, private readonly allowed: ReadonlySet<string>) {
    for (const key of Object.keys(body)) if (!allowed.has(key)) this.problems.push(`property ${key} should not exist`);
  }

  string(key: string, opts: { required?: boolean; nullable?: boolean; pattern?: RegExp; what?: string } = {}): string | null | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.problems.push(`${key} must be a string`);
      return undefined;
    }
    if (v === null && opts.nullable) return null;
    if (typeof v !== 'string') {
      this.problems.push(`${key} must be a string`);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(v)) this.problems.push(`${key} must be ${opts.what ?? `a value matching ${String(opts.pattern)}`}`);
    return v;
  }

  object(key: string): Record<string, unknown> | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.problems.push(`${key} must be an object`);
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  boolean(key: string): boolean | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.problems.push(`${key} must be a boolean value`);
    return typeof v === 'boolean' ? v : undefined;
  }

  done(): void {
    if (this.problems.length) throw invalid(this.problems);
  }
}
