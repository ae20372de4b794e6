/**
 * Which pool store a project uses: pools.json's `store` entry, else PostgreSQL when
 * PHONE_DIR_POOL_DATABASE_URL is set, else the files. Read synchronously (a small file): the store is made
 * before the first unit, and reading commands that never open a unit never load pg.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';
import { poolStoreSchema, type PoolStoreEntry } from '../../core/schemas.js';
import type { ProjectPaths } from '../paths.js';
import { DEFAULT_SCHEMA } from './identifier.js';

export const DEFAULT_URL_ENV = 'PHONE_DIR_POOL_DATABASE_URL';

export interface PostgresSelection {
  kind: 'postgres';
  url: string;
  /** The variable the URL came from. */
  source: string;
  schema: string;
  /** host:port/database, without credentials. */
  location: string;
  declaredPools: Map<string, string>;
}

export type StoreSelection = { kind: 'files' } | PostgresSelection;

interface PoolsJsonPart { store?: unknown; pools?: Record<string, { workspace?: unknown }> }

function readPoolsJson(paths: ProjectPaths): PoolsJsonPart | null {
  let text: string;
  try {
    text = readFileSync(paths.pools, 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? value as PoolsJsonPart : null;
  } catch {
    return null; // reported, with its line, by the command's own reading of pools.json
  }
}

function storeEntry(paths: ProjectPaths, raw: unknown): PoolStoreEntry | undefined {
  if (raw === undefined) return undefined;
  const parsed = poolStoreSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = ['store', ...issue.path.map(String)].join('.');
  throw new ConfigError(`${paths.rel(paths.pools)}: ${field}: ${issue.message}`, 'expected "store": { "kind": "postgres", "url_env": "PHONE_DIR_POOL_DATABASE_URL", "schema": "phone_dir" } or { "kind": "files" }');
}

/** host:port/database of a postgres:// URL, for people (never the user or password). */
export function databaseLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return 'an unreadable URL';
  }
}

export function selectStore(paths: ProjectPaths, env: Readonly<Record<string, string | undefined>>): StoreSelection {
  const pools = readPoolsJson(paths);
  const entry = storeEntry(paths, pools?.store);
  if (entry?.kind === 'files') return { kind: 'files' };
  if (!entry && !env[DEFAULT_URL_ENV]) return { kind: 'files' };
  const source = entry?.url_env ?? DEFAULT_URL_ENV;
  const url = env[source];
  if (!url) {
    throw new ConfigError(
      `${paths.rel(paths.pools)} chooses the postgres pool store, and ${source} (its database URL) is not set`,
      `export ${source}=postgres://user:password@host:5432/database`,
    );
  }
  const declaredPools = new Map<string, string>();
  for (const [name, settings] of Object.entries(pools?.pools ?? {})) {
    if (settings && typeof settings.workspace === 'string') declaredPools.set(name, settings.workspace);
  }
  return { kind: 'postgres', url, source, schema: entry?.schema ?? DEFAULT_SCHEMA, location: databaseLocation(url), declaredPools };
}
