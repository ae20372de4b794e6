/**
 * The pool stores, by kind: one entry per store (a folder under src/store plus one line here). pools.json's
 * `store` chooses one (spec/config.md); `files` is the default.
 */
import type { PoolStore } from '../ports/pool-store.js';
import { FilesPoolStore, type FilesStoreOptions } from './files/pool-store.js';

export type PoolStoreOptions = FilesStoreOptions;

export function createPoolStore(options: PoolStoreOptions): PoolStore {
  return new FilesPoolStore(options);
}
