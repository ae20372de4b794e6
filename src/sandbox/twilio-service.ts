import { authenticateTwilio } from './auth.js';
import { makeSid } from './ids.js';
import { Router } from './router.js';
import type { SandboxState } from './state.js';
import type { Api2010Account, TwilioCtx } from './twilio-context.js';
import { twilioError, twilioNotFound, twilioUnauthorized } from './twilio-errors.js';
import { registerIncomingNumbers } from './twilio-numbers.js';
import { registerSip } from './twilio-sip.js';
import { registerTrunking } from './trunking.js';
import { accountPath } from './twilio-render.js';
import type { Reply, RequestContext } from './types.js';

const router = new Router<TwilioCtx>();
registerIncomingNumbers(router);
registerSip(router);
registerTrunking(router);

function twilioAccount(sid: string): Api2010Account {
  return { sid, path: accountPath(sid), numberSid: (seed) => makeSid('PN', seed), origin: 'twilio' };
}

/** Twilio Api 2010 + Trunking v1; `ctx.path` has the /twilio prefix removed. */
export async function handleTwilio(state: SandboxState, ctx: RequestContext): Promise<Reply> {
  const tw = state.twilio;
  if (!authenticateTwilio(tw, ctx.headers.authorization)) return twilioUnauthorized();
  const match = router.match(ctx.method, ctx.path);
  if (match.kind === 'not-found') return twilioNotFound(ctx.path).reply;
  if (match.kind === 'method-not-allowed') return twilioError(405, 20004, 'Method not allowed');
  // Credentials of one account used on another account's URL: Twilio answers 20003 (cf. "subaccount credentials
  // used to access the main account" in its error dictionary).
  if (match.params.AccountSid !== undefined && match.params.AccountSid !== tw.accountSid) return twilioUnauthorized();
  const form = /application\/x-www-form-urlencoded/i.test(ctx.headers['content-type'] ?? '') ? new URLSearchParams(ctx.rawBody) : new URLSearchParams();
  return match.handler({ ...ctx, tw, account: twilioAccount(tw.accountSid), form, now: new Date() }, match.params);
}
