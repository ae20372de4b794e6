/**
 * The command layer's PoolDeps: builds the ports a pool or number use case runs over from the command's
 * context (flags, environment, terminal), and reports their timings for --debug.
 */
import type { PlatformEntry } from '../../providers/entry.js';
import type { VoicePlatform } from '../../ports/voice-platform.js';
import type { Carrier } from '../../ports/carrier.js';
import type { Notices } from '../../ports/notices.js';
import type { PoolStore } from '../../ports/pool-store.js';
import type { PoolDeps } from '../../pool/deps.js';
import type { Context } from '../context.js';
import { lockTimeoutMs } from '../lock.js';
import { projectPaths, type ProjectPaths } from '../../store/paths.js';
import { loadDirectory, readNumberRecord } from '../../store/directory.js';
import { parseJsonText, formatIssue } from '../../store/parse-file.js';
import { readTextOrNull } from '../../store/fsutil.js';
import { beginRun, currentOwner, endRun, ownerAlive } from '../../store/runtime-state.js';
import { readAgents } from '../../store/agents.js';
import { readPools } from '../../store/pools.js';
import { createPoolStore } from '../../store/registry.js';
import { requireKnownWorkspace } from '../load.js';
import { settlePending, type SettleReport } from '../../pool/recover.js';
import type { Config } from '../../core/config.js';
import type { Directory, NumberRecord } from '../../core/model.js';
import type { AgentsIndex } from '../../core/agents.js';
import type { DirectoryFile, PoolsFile } from '../../core/schemas.js';
import { resolvePool, requireKnownPool, type ResolvedPool } from '../../core/pool/pools.js';
import { poolSettings } from '../../core/pool/membership.js';
import { DataError } from '../../core/errors.js';
import type { Owner } from '../../core/pool/state.js';
import type { Providers } from '../../providers/index.js';

const runTokens = new WeakMap<Context, string>();

/** One owner token per command run (every session of the run shares it), ended with the run. */
function runTokenOf(ctx: Context): string {
  const known = runTokens.get(ctx);
  if (known) return known;
  const token = beginRun();
  runTokens.set(ctx, token);
  ctx.onEnd(async () => { endRun(token); });
  return token;
}

export class Session implements PoolDeps {
  readonly paths: ProjectPaths;
  readonly owner: Owner;
  readonly ownerAlive = ownerAlive;
  readonly notices: Notices;
  remoteMs = 0;
  private readonly started = performance.now();
  private storeInstance: PoolStore | undefined;
  private configPromise: Promise<Config> | undefined;
  private providersPromise: Promise<Providers> | undefined;
  private agentsPromise: Promise<AgentsIndex> | undefined;
  private poolsPromise: Promise<PoolsFile | null> | undefined;

  constructor(readonly ctx: Context, readonly command: string) {
    this.paths = projectPaths(ctx.root);
    this.owner = currentOwner(`phone-dir ${command}`, runTokenOf(ctx));
    ctx.onEnd(() => this.close());
    this.notices = {
      info: (message) => ctx.info(message),
      warn: (message) => ctx.warn(message),
      progress: (message) => { if (ctx.showProgress) ctx.err(`${message}\n`); },
    };
  }

  now(): Date { return this.ctx.now(); }

  get store(): PoolStore {
    this.storeInstance ??= createPoolStore({ env: this.ctx.env, paths: this.paths, command: `phone-dir ${this.command}`, lockTimeoutMs: lockTimeoutMs(this.ctx), now: () => this.now(), notices: this.notices });
    return this.storeInstance;
  }

  secret(variable: string): string | undefined { return this.ctx.env[variable]; }

  config(): Promise<Config> {
    this.configPromise ??= (async () => {
      const { requireProjectConfig } = await import('../config.js');
      const config = await requireProjectConfig(this.paths);
      for (const w of config.warnings) this.ctx.warn(w);
      return config;
    })();
    return this.configPromise;
  }

  /** The provider adapters, loaded on first use (reading paths of these commands never load an SDK). */
  private providers(): Promise<Providers> {
    this.providersPromise ??= (async () => {
      const config = await this.config();
      const { createProviders } = await import('../../providers/index.js');
      return createProviders(config, this.ctx.env, {
        onRetry: (info) => {
          if (this.ctx.flags.debug || this.ctx.showProgress) this.ctx.err(`${info.provider}: ${info.operation}: ${info.reason}; retry ${info.attempt} in ${info.delayMs} ms\n`);
        },
      });
    })();
    return this.providersPromise;
  }

  async platformEntry(workspace: string): Promise<PlatformEntry> {
    const config = await this.config();
    const { platformEntryFor } = await import('../../providers/index.js');
    return platformEntryFor(config, workspace);
  }

  async platform(workspace: string): Promise<VoicePlatform> {
    return (await this.providers()).platform(workspace);
  }

  async carrier(name: string, workspace: string | null): Promise<Carrier> {
    return (await this.providers()).carrier(name, workspace);
  }

  agents(): Promise<AgentsIndex> {
    this.agentsPromise ??= readAgents(this.ctx.root).then((r) => r.index);
    return this.agentsPromise;
  }

  pools(): Promise<PoolsFile | null> {
    this.poolsPromise ??= readPools(this.paths).then(({ pools, issues }) => {
      if (issues.length) throw new DataError(formatIssue(issues[0]!), 'fix phone-numbers/pools.json (phone-dir validate lists every problem)');
      return pools;
    });
    return this.poolsPromise;
  }

  /**
   * The pool a command works on (resolvePool), checked to exist when `--pool` names it (requireKnownPool):
   * pools.json answers first; directory.json is read (without the lock) only for a pool it does not declare.
   */
  async pool(workspace: string, name: string | undefined, mayCreate = false): Promise<ResolvedPool> {
    const pools = await this.pools();
    const resolved = resolvePool(pools, workspace, name);
    if (name !== undefined && !poolSettings(pools, name)) requireKnownPool(name, pools, await this.directoryFileUnlocked(), mayCreate);
    return resolved;
  }

  private async directoryFileUnlocked(): Promise<DirectoryFile | null> {
    const shown = this.paths.rel(this.paths.directory);
    const text = await readTextOrNull(this.paths.directory, shown, this.paths.root);
    if (text === null) return null;
    const { value, issues } = parseJsonText(shown, text);
    const numbers = issues.length ? null : (value as { numbers?: unknown } | null)?.numbers;
    // An unreadable file is reported by the unit that reads it under the lock; here it names no pool.
    return numbers && typeof numbers === 'object' ? value as DirectoryFile : null;
  }

  requireKnownWorkspace(workspace: string, dir: Directory): Promise<void> {
    return requireKnownWorkspace(this.ctx, dir, workspace);
  }

  async readDirectory(): Promise<Directory> {
    const dir = (await loadDirectory(this.ctx.root, { schema: false })).dir;
    await this.store.layPoolFields?.(dir);
    return dir;
  }

  async readRecord(phone: string): Promise<NumberRecord | undefined> {
    const record = await readNumberRecord(this.ctx.root, phone);
    if (record && this.store.layPoolFields) {
      const one: Directory = { numbers: new Map([[phone, record]]), workspaces: new Set(), stamps: { directory: { last_updated: null }, workspaces: {} } };
      await this.store.layPoolFields(one);
    }
    return record;
  }

  async remote<T>(call: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await call();
    } finally {
      this.remoteMs += performance.now() - t;
    }
  }

  /** `--debug`: one line with the lock waits, the time under the lock per unit, and the provider time. */
  reportTiming(): void {
    if (!this.ctx.flags.debug) return;
    const f = (ms: number) => ms.toFixed(1);
    const timings = this.storeInstance?.timings ?? [];
    const phases = timings.map((p) => `${p.label} ${f(p.heldMs)}ms (waited ${f(p.waitMs)}ms)`).join(', ');
    const held = timings.reduce((n, p) => n + p.heldMs, 0);
    this.ctx.err(`timing: ${this.command}: under lock ${f(held)}ms [${phases}]; providers ${f(this.remoteMs)}ms; total ${f(performance.now() - this.started)}ms (command started ${f(this.started)}ms after the process)\n`);
  }

  async close(): Promise<void> {
    await this.storeInstance?.close();
  }
}

/**
 * For commands outside the pool family (sync): settles interrupted pool/number operations before they run.
 * Cheap when nothing is pending (one small file read, no provider, no SDK loaded).
 */
export async function settlePendingOperations(ctx: Context, command = 'sync'): Promise<SettleReport> {
  return settlePending(new Session(ctx, command));
}
