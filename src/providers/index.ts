import type { Config } from '../core/config.js';
import { requireWorkspace, resolveRetellCredentials, resolveTwilioCredentials } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { createStats } from './retry.js';
import type { Providers, ProviderOptions, RetellProvider, TwilioProvider } from './types.js';

/*
 * Entry point of the provider adapters. Cheap to import: the SDKs (twilio ~150 ms, retell-sdk ~30 ms)
 * and the adapter modules are loaded only when a provider is first asked for, so reading commands that
 * import this file never load them.
 */

export type {
  DeleteResult,
  ImportNumberOptions,
  OnPage,
  PageInfo,
  ProviderOptions,
  Providers,
  PurchaseOptions,
  RetellProvider,
  SearchAvailableOptions,
  TwilioProvider,
  UpdateRetellNumberOptions,
  UpdateTwilioNumberOptions,
} from './types.js';
export type { RequestStats, RetryInfo } from './retry.js';
export { isAmbiguous, isNotFound, ProviderCallError } from './errors.js';

type Env = Record<string, string | undefined>;

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

function twilioCredentialHint(config: Config, workspace: string | null): string {
  const own = workspace ? config.workspaces.get(workspace)?.twilio : undefined;
  const section = own ?? config.twilio;
  const where = own ? `the ${workspace}.twilio section` : 'the twilio section';
  const vars = section?.api_key_sid_env
    ? [section.api_key_sid_env, section.api_key_secret_env]
    : [section?.auth_token_env, section?.account_sid_env];
  return `${vars.filter(Boolean).join(' / ')} / ${where} of ${config.file}`;
}

function retellCredentialHint(config: Config, workspace: string): string {
  const ws = requireWorkspace(config, workspace);
  return ws.apiKeyEnv ? `${ws.apiKeyEnv} (${config.file}: ${workspace}.api_key_env)` : `${workspace}.api_key in ${config.file}`;
}

/**
 * Provider factory for one run: resolves credentials through the config (missing variables → ConfigError,
 * exit 2), shares one request counter, and creates each provider once.
 */
export function createProviders(config: Config, env: Env, opts: ProviderOptions = {}): Providers {
  const base = providerOptionsFromEnv(env, opts);
  const stats = base.stats ?? createStats();
  const twilioCache = new Map<string, Promise<TwilioProvider>>();
  const retellCache = new Map<string, Promise<RetellProvider>>();
  return {
    stats,
    twilio(workspace?: string) {
      const key = workspace ?? '';
      let p = twilioCache.get(key);
      if (!p) {
        p = Promise.resolve().then(async () => {
          const creds = resolveTwilioCredentials(config, workspace ?? null, env);
          const credentialHint = twilioCredentialHint(config, workspace ?? null);
          const { createTwilioProvider } = await import('./twilio/provider.js');
          return createTwilioProvider(creds, { ...base, stats, credentialHint });
        });
        twilioCache.set(key, p);
        p.catch(() => twilioCache.delete(key));
      }
      return p;
    },
    retell(workspace: string) {
      let p = retellCache.get(workspace);
      if (!p) {
        p = Promise.resolve().then(async () => {
          const creds = resolveRetellCredentials(config, workspace, env);
          const credentialHint = retellCredentialHint(config, workspace);
          const { createRetellProvider } = await import('./retell/provider.js');
          return createRetellProvider(workspace, creds, { ...base, stats, credentialHint });
        });
        retellCache.set(workspace, p);
        p.catch(() => retellCache.delete(workspace));
      }
      return p;
    },
  };
}
