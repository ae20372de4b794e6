import { parseJsonObjectBody } from './json-body.js';
import { authenticateRetell } from './auth.js';
import { registerRetellAgents } from './retell-agents.js';
import { retellError, type RetellCtx } from './retell-context.js';
import { registerRetellNumbers } from './retell-numbers.js';
import { Router } from './router.js';
import type { SandboxState } from './state.js';
import type { Reply, RequestContext } from './types.js';

const router = new Router<RetellCtx>();
registerRetellNumbers(router);
registerRetellAgents(router);

/** Retell API; `ctx.path` has the /retell prefix removed. */
export async function handleRetell(state: SandboxState, ctx: RequestContext): Promise<Reply> {
  const ws = authenticateRetell(state, ctx.headers.authorization);
  if (!ws) return retellError(401, 'API key is missing or invalid.');
  const match = router.match(ctx.method, ctx.path);
  if (match.kind === 'not-found') return retellError(404, `Cannot ${ctx.method} ${ctx.path}`);
  if (match.kind === 'method-not-allowed') return retellError(405, `Method ${ctx.method} not allowed on ${ctx.path}`);
  const parsed = parseJsonObjectBody(ctx.rawBody);
  if (!parsed.ok) return retellError(400, parsed.problem === 'syntax' ? 'Invalid request format, please check API reference.' : 'Request body must be a JSON object.');
  return match.handler({ ...ctx, state, ws, body: parsed.body, now: Date.now() }, match.params);
}

/** Workspace name for the request log, if the key is valid. */
export function retellWorkspaceOf(state: SandboxState, ctx: RequestContext): string | undefined {
  return authenticateRetell(state, ctx.headers.authorization)?.name;
}
