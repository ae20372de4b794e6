import type { FieldKind } from '../core/config.js';
import type { Carrier, CarrierCapabilities } from '../ports/carrier.js';
import type { PlatformCapabilities, VoicePlatform } from '../ports/voice-platform.js';
import type { ProviderOptions } from './types.js';

/*
 * What one adapter folder tells the registry. Entry modules are data plus lazy loaders: importing one
 * never loads a vendor SDK, so the registry is cheap for every command.
 */

export type Env = Record<string, string | undefined>;

/** A carrier's resolved credentials: opaque to everyone but its adapter. `hint` says where they come from (for 401/403). */
export interface ResolvedCarrierCredentials { hint: string; [key: string]: unknown }

export interface CarrierEntry {
  /** The shape of its number SIDs, checked by validate. */
  sidPattern?: { pattern: RegExp; example: string };
  /** The registry key, the workspaces.json section, the numbers' `provider` and the name of their block in the views. */
  name: string;
  /** For people: "Twilio", "SignalWire". */
  label: string;
  capabilities: CarrierCapabilities;
  /** The fields of its workspaces.json section and their kinds (checked by the config reader and validate). */
  configFields: Record<string, FieldKind>;
  /** Fields that must be present (validate and the credential resolver say so). */
  requiredFields?: readonly string[];
  /** Environment variable that overrides the section's base_url. */
  baseUrlEnv: string;
  /** Reads the section's variables from env; missing ones are a ConfigError naming the variable and `where`. */
  resolveCredentials(section: Record<string, unknown>, where: string, file: string, env: Env): ResolvedCarrierCredentials;
  /** Loads the adapter (and its SDK) and creates it. */
  create(credentials: ResolvedCarrierCredentials, options: ProviderOptions): Promise<Carrier>;
}

export interface PlatformCredentials { apiKey: string; baseUrl: string | null; hint: string }

export interface PlatformEntry {
  /** The registry key: a workspace's `"platform"`. */
  name: string;
  /** For people: "Retell", "Vapi". */
  label: string;
  capabilities: PlatformCapabilities;
  /** Environment variable that overrides a workspace's base_url. */
  baseUrlEnv: string;
  /** `provider` values of numbers the platform bought itself (what validate accepts beside the carriers'). */
  numberProviders: readonly string[];
  /** Loads the adapter (and its SDK) and creates it for one workspace. */
  create(workspace: string, credentials: PlatformCredentials, options: ProviderOptions): Promise<VoicePlatform>;
}
