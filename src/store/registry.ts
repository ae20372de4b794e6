/**
 * The pool stores, by kind: one entry per store (a folder under src/store plus one line here). pools.json's
 * `store` chooses one (spec/config.md), or PHONE_DIR_POOL_DATABASE_URL in the environment; `files` is the default.
 */
import type { PoolStore } from '../ports/pool-store.js';
import { FilesPoolStore, type FilesStoreOptions } from './files/pool-store.js';
import { PostgresPoolStore } from './postgres/pool-store.js';
import { selectStore } from './postgres/selection.js';

export interface PoolStoreOptions extends FilesStoreOptions {
  /** The environment, for the store's selection and its database URL. */
  env?: Readonly<Record<string, string | undefined>>;
}

export function createPoolStore(options: PoolStoreOptions): PoolStore {
  const { env, ...files } = options;
  const selection = selectStore(options.paths, env ?? {});
  if (selection.kind === 'postgres') {
    return new PostgresPoolStore(files, { url: selection.url, source: selection.source, schema: selection.schema, location: selection.location, lockTimeoutMs: options.lockTimeoutMs, declaredPools: selection.declaredPools });
  }
  return new FilesPoolStore(files);
}
