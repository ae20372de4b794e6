import type { RetellWorkspace, SandboxState, TwilioState } from './state.js';

function parseBasic(header: string | undefined): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

/**
 * Twilio HTTP Basic auth: AccountSid:AuthToken, or an API key SKxxx:secret (the account then comes
 * from the URL). Returns the authenticated account sid, or undefined for bad credentials.
 */
export function authenticateTwilio(tw: TwilioState, header: string | undefined): string | undefined {
  const c = parseBasic(header);
  if (!c) return undefined;
  if (c.user === tw.accountSid && c.pass === tw.authToken) return tw.accountSid;
  if (c.user.startsWith('SK') && tw.apiKeys.get(c.user) === c.pass) return tw.accountSid;
  return undefined;
}

/** Retell: `Authorization: Bearer <api key>`; the key selects the workspace. */
export function authenticateRetell(state: SandboxState, header: string | undefined): RetellWorkspace | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? state.workspaceByKey(m[1] as string) : undefined;
}
