import type { Catalog } from '../core/catalog.js';

/** How renderers name carriers and each workspace's platform, from the registry's catalog and the directory's record. */
export interface VendorNames {
  /** "Twilio" for `twilio`; null for a provider that is not a carrier (`retell-twilio`, `custom`…). */
  carrierLabel(provider: string): string | null;
  /** "Retell", "Vapi": the platform a workspace is on. */
  platformLabel(workspace: string): string;
  platformName(workspace: string): string;
  /** A platform's label by its name. */
  platformLabelOf(platform: string): string;
}

export function vendorNames(catalog: Catalog, platforms: ReadonlyMap<string, string>): VendorNames {
  const platformName = (ws: string) => platforms.get(ws) ?? catalog.defaultPlatform;
  return {
    carrierLabel: (provider) => catalog.carriers.get(provider)?.label ?? null,
    platformName,
    platformLabel: (ws) => catalog.platforms.get(platformName(ws))?.label ?? platformName(ws),
    platformLabelOf: (platform) => catalog.platforms.get(platform)?.label ?? platform,
  };
}
