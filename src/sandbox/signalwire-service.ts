import { authenticateTwilio } from './auth.js';
import { makeUuid } from './ids.js';
import { Router } from './router.js';
import type { SandboxState, SignalwireProject } from './state.js';
import type { Api2010Account, TwilioCtx } from './twilio-context.js';
import { twilioError, twilioNotFound } from './twilio-errors.js';
import { registerIncomingNumbers } from './twilio-numbers.js';
import { accountPath } from './twilio-render.js';
import { json, type Reply, type RequestContext } from './types.js';

/*
 * SignalWire's Compatibility (LaML) API: Twilio's 2010 IncomingPhoneNumbers and AvailablePhoneNumbers
 * under /api/laml, served by the same handlers as Twilio's with the project as the account. No SIP
 * credential lists and no Trunking API: SignalWire has neither.
 */

export const LAML_PREFIX = '/api/laml';

const router = new Router<TwilioCtx>();
registerIncomingNumbers(router);

function projectAccount(project: SignalwireProject): Api2010Account {
  const sid = project.account.accountSid;
  return { sid, path: `${LAML_PREFIX}${accountPath(sid)}`, numberSid: (seed) => makeUuid(`signalwire:${seed}`), origin: 'signalwire' };
}

/** SignalWire's REST error body (`errors: [{type, code, message, attribute, url}]`), not Twilio's. */
export function signalwireUnauthorized(): Reply {
  return json(
    401,
    { errors: [{ type: 'authentication_error', code: 'unauthorized', message: 'Unauthorized', attribute: null, url: 'https://developer.signalwire.com/rest/overview/error-codes#unauthorized' }] },
    { 'WWW-Authenticate': 'Basic realm="SignalWire"' },
  );
}

/** `ctx.path` has the /signalwire prefix removed: `/api/laml/2010-04-01/Accounts/{ProjectId}/…`. */
export async function handleSignalwire(state: SandboxState, ctx: RequestContext): Promise<Reply> {
  const project = state.signalwire;
  if (!project || !ctx.path.startsWith(`${LAML_PREFIX}/`)) return twilioNotFound(ctx.path).reply;
  // The project id and its API token, as Basic auth (no API keys at SignalWire).
  if (!authenticateTwilio(project.account, ctx.headers.authorization)) return signalwireUnauthorized();
  const path = ctx.path.slice(LAML_PREFIX.length);
  const match = router.match(ctx.method, path);
  if (match.kind === 'not-found') return twilioNotFound(ctx.path).reply;
  if (match.kind === 'method-not-allowed') return twilioError(405, 20004, 'Method not allowed');
  if (match.params.AccountSid !== project.account.accountSid) return signalwireUnauthorized();
  const form = /application\/x-www-form-urlencoded/i.test(ctx.headers['content-type'] ?? '') ? new URLSearchParams(ctx.rawBody) : new URLSearchParams();
  return match.handler({ ...ctx, tw: project.account, account: projectAccount(project), form, now: new Date() }, match.params);
}
