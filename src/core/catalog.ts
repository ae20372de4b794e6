/*
 * What phone-dir knows about the carriers and voice platforms it can talk to, as plain data (the registry
 * builds it from the adapters' entries). Rules, views and the pool ask this, never a vendor's name.
 */

export interface CarrierInfo {
  name: string;
  label: string;
  capabilities: { trunks: boolean };
  /** The shape of the carrier's number SIDs (validate checks the recorded ones), with an example for messages. */
  sidPattern?: { pattern: RegExp; example: string };
}

export interface PlatformInfo {
  name: string;
  label: string;
  capabilities: { outboundBinding: boolean; weightedAgents: boolean; numberAddress: 'e164' | 'id' };
  /** `provider` values of numbers the platform bought itself: such a number belongs to the one workspace that bought it. */
  numberProviders: readonly string[];
}

export interface Catalog {
  carriers: ReadonlyMap<string, CarrierInfo>;
  platforms: ReadonlyMap<string, PlatformInfo>;
  /** The platform of a workspace entry without `"platform"`. */
  defaultPlatform: string;
}

/** The platform each workspace is on (workspaces.json's `platform`, else the default). */
export type WorkspacePlatforms = ReadonlyMap<string, string>;

export function platformOf(catalog: Catalog, platforms: WorkspacePlatforms | undefined, workspace: string): PlatformInfo | undefined {
  return catalog.platforms.get(platforms?.get(workspace) ?? catalog.defaultPlatform);
}

/** A number a voice platform bought itself (not held at a carrier phone-dir lists, nor a SIP import). */
export function isPlatformHeld(catalog: Catalog, provider: string): boolean {
  for (const p of catalog.platforms.values()) if (p.numberProviders.includes(provider)) return true;
  return false;
}
