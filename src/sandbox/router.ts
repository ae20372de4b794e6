/**
 * Path templates use OpenAPI syntax ("/v1/Trunks/{TrunkSid}/PhoneNumbers/{Sid}", "/IncomingPhoneNumbers/{Sid}.json"),
 * so routes can be written exactly as the vendor documents spell them. First match wins.
 */
import type { Reply } from './types.js';

export type Handler<C> = (ctx: C, params: Record<string, string>) => Reply | Promise<Reply>;

interface Route<C> { method: string; re: RegExp; names: string[]; template: string; handler: Handler<C> }

export type RouteMatch<C> =
  | { kind: 'found'; handler: Handler<C>; params: Record<string, string>; template: string }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

function compile(template: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[A-Za-z_]+\})/)
    .map((part) => {
      const m = /^\{([A-Za-z_]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(m[1] as string);
      return '([^/]+?)';
    })
    .join('');
  return { re: new RegExp(`^${source}$`), names };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Router<C> {
  private readonly routes: Route<C>[] = [];

  on(method: string, template: string, handler: Handler<C>): this {
    this.routes.push({ method, template, handler, ...compile(template) });
    return this;
  }

  match(method: string, path: string): RouteMatch<C> {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((name, i) => (params[name] = decode(m[i + 1] ?? '')));
      return { kind: 'found', handler: r.handler, params, template: r.template };
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}
