import type { Config } from '../../core/config.js';
import type { CarrierSnapshot, PlatformSnapshot } from '../../core/snapshot.js';
import type { Context } from '../context.js';
import { PhoneDirError, ProviderError } from '../../core/errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { redact } from '../../core/secrets.js';

export interface Failure { source: string; message: string; exitCode: number; hint?: string; stack?: string }

export interface Fetched {
  /** The carriers asked (sync-retell asks none); a failed one is in `failures`, not here. */
  carriers: CarrierSnapshot[];
  /** The names of the carriers that were asked, fetched or failed. */
  carriersAsked: string[];
  platforms: PlatformSnapshot[];
  failures: Failure[];
  requests: number;
}

export const WORKSPACE_CONCURRENCY = 4;

function failure(source: string, err: unknown): Failure {
  if (err instanceof PhoneDirError) return { source, message: err.message, exitCode: err.exitCode, ...(err.hint ? { hint: err.hint } : {}), ...(err.stack ? { stack: err.stack } : {}) };
  const e = err instanceof Error ? err : new Error(String(err));
  return { source, message: redact(`${source}: ${e.message}`), exitCode: new ProviderError(source, e.message).exitCode, ...(e.stack ? { stack: e.stack } : {}) };
}

/** The carriers a sync reads: every top-level carrier section of workspaces.json, in registry order. */
export async function carriersToSync(config: Config): Promise<string[]> {
  const { carrierNames } = await import('../../providers/registry.js');
  return carrierNames().filter((name) => config.carriers.has(name));
}

/** Fetches every source concurrently, outside the lock; a failing source is reported, not thrown. */
export async function fetchSnapshots(ctx: Context, config: Config, carriers: string[], workspaces: string[]): Promise<Fetched> {
  const { createProviders } = await import('../../providers/index.js');
  const progress = (line: string) => { if (ctx.showProgress) ctx.err(`\r\u001b[2K${line}`); };
  const providers = createProviders(config, ctx.env, {
    onRetry: (info: { provider: string; attempt: number; delayMs: number; reason: string }) => {
      if (ctx.flags.debug || ctx.showProgress) ctx.err(`${info.provider}: ${info.reason}; retry ${info.attempt} in ${info.delayMs} ms\n`);
    },
  });
  const result: Fetched = { carriers: [], carriersAsked: carriers, platforms: [], failures: [], requests: 0 };
  const onPage = (source: string) => (p: { provider: string; what: string; page: number; items: number }) => progress(`${source}: ${p.what} page ${p.page} (${p.items})`);
  const carrierTask = mapLimit(carriers, WORKSPACE_CONCURRENCY, async (name) => {
    try {
      const carrier = await providers.carrier(name);
      result.carriers.push(await carrier.fetchSnapshot(onPage(name)));
    } catch (err) {
      result.failures.push(failure(name, err));
    }
  });
  const platformTask = mapLimit(workspaces, WORKSPACE_CONCURRENCY, async (ws) => {
    try {
      const platform = await providers.platform(ws);
      result.platforms.push(await platform.fetchSnapshot(onPage(`${platform.name} ${ws}`)));
    } catch (err) {
      result.failures.push(failure(ws, err));
    }
  });
  await Promise.all([carrierTask, platformTask]);
  if (ctx.showProgress) ctx.err('\r\u001b[2K');
  result.requests = providers.stats.requests;
  result.carriers.sort((a, b) => (a.carrier < b.carrier ? -1 : 1));
  result.platforms.sort((a, b) => (a.workspace < b.workspace ? -1 : 1));
  result.failures.sort((a, b) => (a.source < b.source ? -1 : 1));
  return result;
}
