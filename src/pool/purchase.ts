/**
 * The steps after a purchase: attach to the trunk (or set the webhooks) at the carrier, import into the
 * workspace's voice platform. Every step is idempotent, so a purchase interrupted anywhere is finished by
 * running them again.
 */
import type { PoolDeps } from './deps.js';
import type { PurchaseIntent } from '../core/pool/state.js';
import type { CarrierNumberSnapshot, PlatformNumberSnapshot, TrunkSnapshot } from '../core/snapshot.js';
import type { Directory } from '../core/model.js';
import type { AgentsIndex } from '../core/agents.js';
import { applyCarrierNumber, applyPlatformNumber, knownAgentNames } from '../core/pool/apply.js';
import { recordPlatform } from '../core/reconcile.js';
import { ConfigError } from '../core/errors.js';
import { registerSecret } from '../core/secrets.js';
import { isoSeconds } from '../core/time.js';

export interface Completed { carrier: string; bought: CarrierNumberSnapshot; trunk: TrunkSnapshot | null; platform: string; imported: PlatformNumberSnapshot }

/** The SIP password named by --password-env, registered so no output can carry it. */
export function passwordFromEnv(deps: PoolDeps, variable: string | null | undefined): string | undefined {
  if (!variable) return undefined;
  const value = deps.secret(variable);
  if (!value) throw new ConfigError(`--password-env: environment variable ${variable} is not set`, `export ${variable}=… (the SIP trunk password) before running phone-dir`);
  registerSecret(value);
  return value;
}

/** The carrier an intent buys from: its own, else the first carrier workspaces.json configures, else the registry's first. */
export async function intentCarrier(deps: PoolDeps, intent: Pick<PurchaseIntent, 'carrier'>): Promise<string> {
  if (intent.carrier) return intent.carrier;
  const { configuredCarriers } = await import('../providers/index.js');
  const { carrierNames } = await import('../providers/registry.js');
  return configuredCarriers(await deps.config())[0] ?? carrierNames()[0]!;
}

/** A carrier's name for people ("Twilio"), from the registry. */
export async function carrierLabel(name: string): Promise<string> {
  const { carrierEntry } = await import('../providers/registry.js');
  return carrierEntry(name)?.label ?? name;
}

/** Finishes a bought number: trunk or webhooks at the carrier, then the import into the pool's workspace. */
export async function completePurchase(deps: PoolDeps, intent: PurchaseIntent, bought: CarrierNumberSnapshot, trunk: TrunkSnapshot | null): Promise<Completed> {
  const carrierName = await intentCarrier(deps, intent);
  const carrier = await deps.carrier(carrierName, intent.workspace);
  let t = bought;
  if (intent.trunk_sid && carrier.trunks) {
    if (t.trunk_sid !== intent.trunk_sid) {
      await deps.remote(() => carrier.trunks!.attach(intent.trunk_sid!, t.sid));
      t = { ...t, trunk_sid: intent.trunk_sid };
    }
  } else if ((intent.voice_url && t.voice_url !== intent.voice_url) || (intent.sms_url && t.sms_url !== intent.sms_url)) {
    t = await deps.remote(() => carrier.updateNumber(t.sid, { ...(intent.voice_url ? { voiceUrl: intent.voice_url } : {}), ...(intent.sms_url ? { smsUrl: intent.sms_url } : {}) }));
  }
  const platformEntry = await deps.platformEntry(intent.workspace);
  const voice = await deps.platform(intent.workspace);
  let imported = await deps.remote(() => voice.getNumber({ phone_number: intent.phone_number }));
  if (!imported) {
    const password = passwordFromEnv(deps, intent.auth_password_env);
    const throughCarrier = (platformEntry.capabilities.carrierApiImports ?? []).includes(carrierName);
    imported = await deps.remote(() => voice.importNumber({
      phone_number: intent.phone_number,
      termination_uri: intent.termination_uri ?? '',
      carrier_credentials: throughCarrier ? carrier.apiCredentials() : null,
      ...(intent.auth_username ? { sip_auth_username: intent.auth_username } : {}),
      ...(password ? { sip_auth_password: password } : {}),
      ...(intent.nickname ? { nickname: intent.nickname } : {}),
    }));
  }
  return { carrier: carrierName, bought: t, trunk, platform: platformEntry.name, imported };
}

/** Records a completed purchase as an available pool number (status active, unassigned). */
export function recordPurchase(dir: Directory, intent: PurchaseIntent, done: Completed, agents: AgentsIndex, now: Date): void {
  applyCarrierNumber(dir, done.carrier, done.bought, done.trunk ?? undefined);
  recordPlatform(dir, intent.workspace, done.platform);
  const record = applyPlatformNumber(dir, intent.workspace, done.imported, agents, knownAgentNames(dir), isoSeconds(now));
  record.pool = intent.pool;
  record.status = 'active';
}
