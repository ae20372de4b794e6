import type { Catalog, CarrierInfo, PlatformInfo } from '../core/catalog.js';
import type { ConfigRulesCatalog } from '../core/validate/rules-config.js';
import type { CarrierEntry, PlatformEntry } from './entry.js';
import { retellPlatform } from './retell/entry.js';
import { vapiPlatform } from './vapi/entry.js';
import { twilioCarrier } from './twilio/entry.js';
import { signalwireCarrier } from './signalwire/entry.js';

/*
 * The one registry of carriers and voice platforms. Adding a vendor is one adapter folder plus one line
 * here; nothing else names it. Entries are data plus lazy loaders, so this module is cheap to import.
 */

const carriers = new Map<string, CarrierEntry>();
const platforms = new Map<string, PlatformEntry>();

/** The platform of a workspace entry without `"platform"` (every workspaces.json written before there was a choice). */
export const DEFAULT_PLATFORM = 'retell';

export function registerCarrier(entry: CarrierEntry): void {
  carriers.set(entry.name, entry);
}

export function registerPlatform(entry: PlatformEntry): void {
  platforms.set(entry.name, entry);
}

/** Removes an entry (tests that register their own vendor clean up after themselves). */
export function unregister(name: string): void {
  carriers.delete(name);
  platforms.delete(name);
}

registerCarrier(twilioCarrier);
registerCarrier(signalwireCarrier);
registerPlatform(retellPlatform);
registerPlatform(vapiPlatform);

export function carrierEntry(name: string): CarrierEntry | undefined {
  return carriers.get(name);
}

export function platformEntry(name: string): PlatformEntry | undefined {
  return platforms.get(name);
}

/** Carrier names in registration order (the first is the default carrier of a pool). */
export function carrierNames(): string[] {
  return [...carriers.keys()];
}

export function platformNames(): string[] {
  return [...platforms.keys()];
}

function carrierInfo(entry: CarrierEntry): CarrierInfo {
  return { name: entry.name, label: entry.label, capabilities: { ...entry.capabilities }, ...(entry.sidPattern ? { sidPattern: entry.sidPattern } : {}) };
}

function platformInfo(entry: PlatformEntry): PlatformInfo {
  const { outboundBinding, weightedAgents, numberAddress } = entry.capabilities;
  return { name: entry.name, label: entry.label, capabilities: { outboundBinding, weightedAgents, numberAddress }, numberProviders: entry.numberProviders };
}

/** What core's rules and the commands know of the vendors: data only. */
export function catalog(): Catalog {
  return {
    carriers: new Map([...carriers.values()].map((e) => [e.name, carrierInfo(e)])),
    platforms: new Map([...platforms.values()].map((e) => [e.name, platformInfo(e)])),
    defaultPlatform: DEFAULT_PLATFORM,
  };
}

/** What the workspaces.json reader and its validate rules need: each carrier's section fields, the platforms' names. */
export function configCatalog(): ConfigRulesCatalog {
  return { carrierSections: new Map([...carriers.values()].map((e) => [e.name, e.configFields])), platforms: platformNames() };
}
