/**
 * Changes made behind phone-dir's back, the way a teammate in the Twilio console or the Retell dashboard
 * would: through the sandbox's own vendor endpoints over HTTP, never by editing its in-memory state.
 */
import type { SandboxHandle } from '../../src/sandbox/index.js';

async function call(url: string, method: string, authorization: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`provider-side ${method} ${url} answered ${response.status}: ${await response.text()}`);
}

const retellAuth = (sb: SandboxHandle, workspace: string) => `Bearer ${sb.credentials.retell[workspace] ?? ''}`;
const twilioAuth = (sb: SandboxHandle) => `Basic ${Buffer.from(`${sb.credentials.twilio.accountSid}:${sb.credentials.twilio.authToken}`).toString('base64')}`;

/** Deletes the number from one Retell workspace (Twilio keeps it). */
export async function retellRemove(sb: SandboxHandle, workspace: string, phone: string): Promise<void> {
  await call(`${sb.retellBaseUrl}/delete-phone-number/${encodeURIComponent(phone)}`, 'DELETE', retellAuth(sb, workspace));
}

/** Binds both directions of the number to one agent id in Retell, or clears both with null. */
export async function retellRebind(sb: SandboxHandle, workspace: string, phone: string, agentId: string | null): Promise<void> {
  const agents = agentId === null ? [] : [{ agent_id: agentId, weight: 1 }];
  await call(`${sb.retellBaseUrl}/update-phone-number/${encodeURIComponent(phone)}`, 'PATCH', retellAuth(sb, workspace), { inbound_agents: agents, outbound_agents: agents });
}

/** Releases the number at Twilio; Retell imports of it stay, as in real life. */
export async function twilioRelease(sb: SandboxHandle, phoneNumberSid: string): Promise<void> {
  await call(`${sb.twilioBaseUrl}/2010-04-01/Accounts/${sb.credentials.twilio.accountSid}/IncomingPhoneNumbers/${phoneNumberSid}.json`, 'DELETE', twilioAuth(sb));
}
