/** Pools as pools.json defines them, and hold times. */
import type { PoolsFile } from '../schemas.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../duration.js';
import { isoSeconds } from '../time.js';
import type { PoolRef } from './select.js';
import type { Directory } from '../model.js';
import type { DirectoryFile } from '../schemas.js';
import { suggest } from '../suggest.js';
import { poolSettings } from './membership.js';

/** The pool of a workspace when pools.json defines none for it (numbers provisioned without --pool). */
export const DEFAULT_POOL = 'default';

export type PoolSettings = NonNullable<PoolsFile['pools'][string]>;

export interface ResolvedPool extends PoolRef {
  /** null when pools.json does not define it. */
  settings: PoolSettings | null;
}

/**
 * The pool a command works on: `--pool` (which, when pools.json defines it, must belong to the workspace);
 * else the one pool pools.json defines for the workspace; else "default".
 */
export function resolvePool(pools: PoolsFile | null, workspace: string, name?: string): ResolvedPool {
  const defined = pools?.pools ?? {};
  if (name) {
    const settings = poolSettings(pools, name);
    if (settings && settings.workspace !== workspace) {
      throw new UsageError(`pool "${name}" belongs to workspace ${settings.workspace}, not ${workspace}`, `use --workspace ${settings.workspace}, or another pool`);
    }
    return { name, workspace, settings };
  }
  const mine = Object.entries(defined).filter(([, p]) => p.workspace === workspace).map(([n]) => n).sort();
  if (mine.length > 1) throw new UsageError(`workspace ${workspace} has several pools (${mine.join(', ')}): choose one with --pool`);
  if (mine.length === 1) return { name: mine[0]!, workspace, settings: defined[mine[0]!]! };
  return { name: DEFAULT_POOL, workspace, settings: null };
}

/** Pools that exist: "default", those declared in pools.json, and those a number of the directory names (a model or directory.json). */
export function knownPools(pools: PoolsFile | null, directory: Directory | DirectoryFile | null): Set<string> {
  // "default" is the pool of a workspace pools.json gives none (what `--pool` defaults to), even while empty.
  const known = new Set([DEFAULT_POOL, ...Object.keys(pools?.pools ?? {})]);
  if (!directory) return known;
  const entries: Iterable<{ pool?: unknown }> = directory.numbers instanceof Map ? directory.numbers.values() : Object.values(directory.numbers);
  for (const entry of entries) if (entry && typeof entry.pool === 'string') known.add(entry.pool);
  return known;
}

/**
 * A pool named by `--pool` must exist (a typo is exit 2 with "did you mean", never a new pool). With
 * `mayCreate` (pool provision), a pool declared in pools.json may be new; one that is not must be declared first.
 */
export function requireKnownPool(name: string, pools: PoolsFile | null, directory: Directory | DirectoryFile | null, mayCreate = false): void {
  if (poolSettings(pools, name)) return;
  const known = knownPools(pools, directory);
  if (known.has(name)) return;
  const match = suggest(name, known);
  const list = [...known].sort().join(', ');
  const declare = `declare it in phone-numbers/pools.json ("pools": { "${name}": { "workspace": "…" } })`;
  const fix = mayCreate ? `to provision into a new pool, ${declare} first` : `to start a new pool, ${declare} and provision into it`;
  throw new UsageError(
    `--pool: unknown pool "${name}"${match !== undefined ? `: did you mean "${match}"?` : ''} (known: ${list})`,
    match !== undefined ? `use --pool ${match}; or, ${fix}` : fix,
  );
}

/** When a hold given by `--hold <duration>` (or the pool's default_hold) expires; null: no hold. */
export function holdUntil(now: Date, hold: string | undefined, poolDefault: string | null | undefined): string | null {
  const raw = hold ?? poolDefault ?? null;
  if (raw === null || raw === '') return null;
  const ms = parseDuration(raw);
  if (ms <= 0) return null;
  return isoSeconds(new Date(now.getTime() + ms));
}

/** `--until`: an ISO 8601 time, or a duration from now (`18h`, `2d`). */
export function parseUntil(input: string, now: Date): string {
  const s = input.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || !s.includes('T') ? s : `${s}Z`);
    if (!Number.isFinite(t)) throw new UsageError(`--until: "${input}" is not a valid time`, 'give an ISO time (2025-11-20T09:00:00Z) or a duration from now (18h, 2d)');
    return isoSeconds(new Date(t));
  }
  try {
    return isoSeconds(new Date(now.getTime() + parseDuration(s)));
  } catch {
    throw new UsageError(`--until: "${input}" is neither a time nor a duration`, 'give an ISO time (2025-11-20T09:00:00Z) or a duration from now (18h, 2d)');
  }
}

