import type { Config } from '../core/config.js';
import { carrierSectionFor, requireWorkspace, resolveWorkspaceKey } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { Carrier } from '../ports/carrier.js';
import type { VoicePlatform } from '../ports/voice-platform.js';
import type { CarrierEntry, PlatformEntry, ResolvedCarrierCredentials } from './entry.js';
import { carrierEntry, carrierNames, DEFAULT_PLATFORM, platformEntry, platformNames } from './registry.js';
import { createStats, type RequestStats } from './retry.js';
import type { ProviderOptions } from './types.js';

/*
 * Entry point of the adapters. Cheap to import: each vendor's SDK and adapter module load only when a
 * carrier or workspace is first asked for, so reading commands that import this file never load them.
 */

export type { ProviderOptions } from './types.js';
export type { RequestStats, RetryInfo } from './retry.js';
export { isAmbiguous, isNotFound, ProviderCallError } from './errors.js';

type Env = Record<string, string | undefined>;

export interface Providers {
  /** A carrier for a workspace (its own section of that carrier, else the top-level one). Loads its SDK. */
  carrier(name: string, workspace?: string | null): Promise<Carrier>;
  /** The voice platform of a workspace (its `"platform"`). Loads its SDK. */
  platform(workspace: string): Promise<VoicePlatform>;
  /** Every HTTP attempt of every adapter made through this object. */
  readonly stats: RequestStats;
}

function positiveInt(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`environment variable ${name} must be a positive integer, got "${raw}"`, `unset ${name} or set it to e.g. 4`);
  return n;
}

/** Options from the environment (PHONE_DIR_MAX_ATTEMPTS, PHONE_DIR_HTTP_TIMEOUT_MS), explicit options winning. */
export function providerOptionsFromEnv(env: Env, opts: ProviderOptions = {}): ProviderOptions {
  const maxAttempts = opts.maxAttempts ?? positiveInt(env, 'PHONE_DIR_MAX_ATTEMPTS');
  const timeoutMs = opts.timeoutMs ?? positiveInt(env, 'PHONE_DIR_HTTP_TIMEOUT_MS');
  return { ...opts, ...(maxAttempts !== undefined ? { maxAttempts } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

/** The registry entry of a workspace's platform; an unknown name is a configuration error naming the key. */
export function platformEntryFor(config: Config, workspace: string): PlatformEntry {
  const ws = requireWorkspace(config, workspace);
  const name = ws.platform ?? DEFAULT_PLATFORM;
  const entry = platformEntry(name);
  if (!entry) {
    throw new ConfigError(`${config.file}: ${workspace}.platform: "${name}" is not a voice platform phone-dir knows${didYouMean(name, platformNames())} (known: ${platformNames().sort().join(', ')})`);
  }
  return entry;
}

function requireCarrierEntry(config: Config, name: string): CarrierEntry {
  const entry = carrierEntry(name);
  if (!entry) throw new ConfigError(`unknown carrier "${name}"${didYouMean(name, carrierNames())} (known: ${carrierNames().join(', ')})`, `configure one of them in ${config.file}`);
  return entry;
}

/**
 * A carrier's credentials for a workspace (its own section of that carrier, else the top-level one): missing
 * section or variable is a ConfigError naming it. Resolving loads no SDK.
 */
export function resolveCarrierCredentials(config: Config, name: string, workspace: string | null, env: Env): ResolvedCarrierCredentials {
  const entry = requireCarrierEntry(config, name);
  const found = carrierSectionFor(config, name, workspace);
  if (!found) throw new ConfigError(`${config.file}: no "${name}" section`, `add a "${name}" section (${Object.keys(entry.configFields).join(', ')}) to ${config.file}`);
  return entry.resolveCredentials(found.section, found.where, config.file, env);
}

/** The carriers workspaces.json configures (a top-level section, or a workspace's own), in registry order. */
export function configuredCarriers(config: Config): string[] {
  return carrierNames().filter((name) => config.carriers.has(name) || [...config.workspaces.values()].some((ws) => ws.carriers.has(name)));
}

/**
 * Adapter factory for one run: resolves credentials through the config (missing variables → ConfigError,
 * exit 2), shares one request counter, and creates each carrier and platform once.
 */
export function createProviders(config: Config, env: Env, opts: ProviderOptions = {}): Providers {
  const base = providerOptionsFromEnv(env, opts);
  const stats = base.stats ?? createStats();
  const cache = new Map<string, Promise<Carrier | VoicePlatform>>();
  function once<T extends Carrier | VoicePlatform>(key: string, make: () => Promise<T>): Promise<T> {
    let made = cache.get(key) as Promise<T> | undefined;
    if (!made) {
      made = Promise.resolve().then(make);
      cache.set(key, made);
      made.catch(() => cache.delete(key));
    }
    return made;
  }
  return {
    stats,
    carrier(name: string, workspace?: string | null) {
      const found = carrierSectionFor(config, name, workspace ?? null);
      return once(`carrier:${name}:${found?.where ?? ''}`, async () => {
        const credentials = resolveCarrierCredentials(config, name, workspace ?? null, env);
        return requireCarrierEntry(config, name).create(credentials, { ...base, stats, credentialHint: credentials.hint });
      });
    },
    platform(workspace: string) {
      return once(`platform:${workspace}`, async () => {
        const entry = platformEntryFor(config, workspace);
        const credentials = resolveWorkspaceKey(config, workspace, env, entry.baseUrlEnv);
        return entry.create(workspace, credentials, { ...base, stats, credentialHint: credentials.hint });
      });
    },
  };
}
