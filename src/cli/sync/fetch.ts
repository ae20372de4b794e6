import type { Config } from '../../core/config.js';
import type { TwilioSnapshot, RetellSnapshot } from '../../core/snapshot.js';
import type { Context } from '../context.js';
import { PhoneDirError, ProviderError } from '../../core/errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { redact } from '../../core/secrets.js';

export interface Failure { source: string; message: string; exitCode: number; hint?: string; stack?: string }

export interface Fetched {
  twilio: TwilioSnapshot | null;
  retell: RetellSnapshot[];
  failures: Failure[];
  requests: number;
}

export const WORKSPACE_CONCURRENCY = 4;

function failure(source: string, err: unknown): Failure {
  if (err instanceof PhoneDirError) return { source, message: err.message, exitCode: err.exitCode, ...(err.hint ? { hint: err.hint } : {}), ...(err.stack ? { stack: err.stack } : {}) };
  const e = err instanceof Error ? err : new Error(String(err));
  return { source, message: redact(`${source}: ${e.message}`), exitCode: new ProviderError(source, e.message).exitCode, ...(e.stack ? { stack: e.stack } : {}) };
}

/** Fetches every source concurrently, outside the lock; a failing source is reported, not thrown. */
export async function fetchSnapshots(ctx: Context, config: Config, wantTwilio: boolean, workspaces: string[]): Promise<Fetched> {
  const { createProviders } = await import('../../providers/index.js');
  const progress = (line: string) => { if (ctx.showProgress) ctx.err(`\r\u001b[2K${line}`); };
  const providers = createProviders(config, ctx.env, {
    onRetry: (info: { provider: string; attempt: number; delayMs: number; reason: string }) => {
      if (ctx.flags.debug || ctx.showProgress) ctx.err(`${info.provider}: ${info.reason}; retry ${info.attempt} in ${info.delayMs} ms\n`);
    },
  });
  const result: Fetched = { twilio: null, retell: [], failures: [], requests: 0 };
  const twilioTask = wantTwilio
    ? (async () => {
        try {
          const provider = await providers.twilio();
          result.twilio = await provider.fetchSnapshot((p: { what: string; page: number; items: number }) => progress(`twilio: ${p.what} page ${p.page} (${p.items})`));
        } catch (err) {
          result.failures.push(failure('twilio', err));
        }
      })()
    : Promise.resolve();
  const retellTask = mapLimit(workspaces, WORKSPACE_CONCURRENCY, async (ws) => {
    try {
      const provider = await providers.retell(ws);
      result.retell.push(await provider.fetchSnapshot((p: { what: string; page: number; items: number }) => progress(`retell ${ws}: ${p.what} page ${p.page} (${p.items})`)));
    } catch (err) {
      result.failures.push(failure(ws, err));
    }
  });
  await Promise.all([twilioTask, retellTask]);
  if (ctx.showProgress) ctx.err('\r\u001b[2K');
  result.requests = providers.stats.requests;
  result.retell.sort((a, b) => (a.workspace < b.workspace ? -1 : 1));
  result.failures.sort((a, b) => (a.source < b.source ? -1 : 1));
  return result;
}
