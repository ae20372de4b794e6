/**
 * sync with the PostgreSQL pool store: the store's pool fields are laid over the model before the providers'
 * snapshots are applied (the store is their authority), and the pool rows follow the model sync writes
 * (bindings from the platforms, numbers that left the directory leave the store). Files store: nothing to do.
 */
import type { Context } from '../context.js';
import type { ProjectPaths } from '../../store/paths.js';
import type { ViewsLink } from '../../store/postgres/views-link.js';
import { lockTimeoutMs } from '../lock.js';

export interface SyncStoreLink { link: ViewsLink; close(): Promise<void> }

export async function openSyncStore(ctx: Context, paths: ProjectPaths): Promise<SyncStoreLink | null> {
  const { selectStore } = await import('../../store/postgres/selection.js');
  const selected = selectStore(paths, ctx.env);
  if (selected.kind === 'files') return null;
  const { PostgresBackend } = await import('../../store/postgres/backend.js');
  const { openViewsLink } = await import('../../store/postgres/views-link.js');
  const backend = new PostgresBackend({ ...selected, lockTimeoutMs: lockTimeoutMs(ctx) });
  try {
    return { link: await openViewsLink(backend, 'sync'), close: () => backend.close() };
  } catch (err) {
    await backend.close();
    throw err;
  }
}
