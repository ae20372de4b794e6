import { parseJsonObjectBody } from './json-body.js';
import { Router } from './router.js';
import type { SandboxState } from './state.js';
import type { Reply, RequestContext } from './types.js';
import { vapiError, type VapiCtx } from './vapi-context.js';
import { registerVapiDirectory } from './vapi-credentials.js';
import { registerVapiNumbers } from './vapi-numbers.js';
import type { VapiOrg } from './vapi-state.js';

const router = new Router<VapiCtx>();
registerVapiNumbers(router);
registerVapiDirectory(router);

/** The org whose private API key is the Bearer token. */
function authenticate(state: SandboxState, header: string | undefined): VapiOrg | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? state.vapiOrgByKey(m[1] as string) : undefined;
}

/** Vapi API; `ctx.path` has the /vapi prefix removed. */
export async function handleVapi(state: SandboxState, ctx: RequestContext): Promise<Reply> {
  const org = authenticate(state, ctx.headers.authorization);
  if (!org) return vapiError(401, 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.');
  const match = router.match(ctx.method, ctx.path);
  if (match.kind !== 'found') return vapiError(404, `Cannot ${ctx.method} ${ctx.path}`);
  const parsed = parseJsonObjectBody(ctx.rawBody);
  if (!parsed.ok) return vapiError(400, parsed.problem === 'syntax' ? 'Unexpected token in JSON body' : 'Request body must be a JSON object');
  return match.handler({ ...ctx, state, org, body: parsed.body, now: Date.now() }, match.params);
}

/** Workspace name for the request log, if the key is valid. */
export function vapiWorkspaceOf(state: SandboxState, ctx: RequestContext): string | undefined {
  return authenticate(state, ctx.headers.authorization)?.name;
}
