/**
 * The provider steps after a purchase: attach to the trunk (or set the webhooks), import into Retell.
 * Every step is idempotent, so a purchase interrupted anywhere is finished by running them again.
 */
import type { Session } from './session.js';
import type { PurchaseIntent } from '../../core/pool/state.js';
import type { RetellNumberSnapshot, TrunkSnapshot, TwilioNumberSnapshot } from '../../core/snapshot.js';
import type { Directory } from '../../core/model.js';
import type { AgentsIndex } from '../../core/agents.js';
import { applyRetellNumber, applyTwilioNumber, knownAgentNames } from '../../core/pool/apply.js';
import { ConfigError } from '../../core/errors.js';
import { registerSecret } from '../../core/secrets.js';
import { isoSeconds } from '../../core/time.js';

export interface Completed { twilio: TwilioNumberSnapshot; trunk: TrunkSnapshot | null; retell: RetellNumberSnapshot }

/** The SIP password named by --password-env, registered so no output can carry it. */
export function passwordFromEnv(s: Session, variable: string | null | undefined): string | undefined {
  if (!variable) return undefined;
  const value = s.ctx.env[variable];
  if (!value) throw new ConfigError(`--password-env: environment variable ${variable} is not set`, `export ${variable}=… (the SIP trunk password) before running phone-dir`);
  registerSecret(value);
  return value;
}

/** Finishes a bought number: trunk or webhooks at Twilio, then the import into the Retell workspace. */
export async function completePurchase(s: Session, intent: PurchaseIntent, bought: TwilioNumberSnapshot, trunk: TrunkSnapshot | null): Promise<Completed> {
  const providers = await s.providers();
  const twilio = await providers.twilio(intent.workspace);
  let t = bought;
  if (intent.trunk_sid) {
    if (t.trunk_sid !== intent.trunk_sid) {
      await s.remote(() => twilio.attachToTrunk(intent.trunk_sid!, t.sid));
      t = { ...t, trunk_sid: intent.trunk_sid };
    }
  } else if ((intent.voice_url && t.voice_url !== intent.voice_url) || (intent.sms_url && t.sms_url !== intent.sms_url)) {
    t = await s.remote(() => twilio.updateNumber(t.sid, { ...(intent.voice_url ? { voiceUrl: intent.voice_url } : {}), ...(intent.sms_url ? { smsUrl: intent.sms_url } : {}) }));
  }
  const retell = await providers.retell(intent.workspace);
  let r = await s.remote(() => retell.getNumber(intent.phone_number));
  if (!r) {
    const password = passwordFromEnv(s, intent.auth_password_env);
    r = await s.remote(() => retell.importNumber({
      phone_number: intent.phone_number,
      termination_uri: intent.termination_uri ?? '',
      ...(intent.auth_username ? { sip_trunk_auth_username: intent.auth_username } : {}),
      ...(password ? { sip_trunk_auth_password: password } : {}),
      ...(intent.nickname ? { nickname: intent.nickname } : {}),
    }));
  }
  return { twilio: t, trunk, retell: r };
}

/** Records a completed purchase as an available pool number (status active, unassigned). */
export function recordPurchase(dir: Directory, intent: PurchaseIntent, done: Completed, agents: AgentsIndex, now: Date): void {
  applyTwilioNumber(dir, done.twilio, done.trunk ?? undefined);
  const record = applyRetellNumber(dir, intent.workspace, done.retell, agents, knownAgentNames(dir), isoSeconds(now));
  record.pool = intent.pool;
  record.status = 'active';
}
