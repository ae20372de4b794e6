/**
 * `pool store init|status` and `pool export` against PostgreSQL: create or migrate the schema and import the
 * views' pool fields once; report the schema and its counts; write the store's pool fields into the views.
 * The caller holds the directory lock where the views are read or written.
 */
import type { ClientBase } from 'pg';
import { cloneDirectory } from '../../core/clone.js';
import { emptyDirectory } from '../../core/model.js';
import { loadDirectory, writeDirectory } from '../directory.js';
import type { ProjectPaths } from '../paths.js';
import { connectPostgres } from './connect.js';
import { quoteSchema } from './identifier.js';
import { migrate, status, type MigrateResult, type StoreStatus } from './schema.js';
import { PostgresBackend } from './backend.js';
import { openViewsLink } from './views-link.js';
import type { PostgresSelection } from './selection.js';
import { existsSync } from 'node:fs';

function backendOf(selection: PostgresSelection, lockTimeoutMs: number): PostgresBackend {
  return new PostgresBackend({ ...selection, lockTimeoutMs });
}

async function withClient<T>(selection: PostgresSelection, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await connectPostgres(selection.url, { source: selection.source });
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface InitResult extends MigrateResult {
  location: string;
  /** Pool numbers imported from the views (0 when the store had some already). */
  imported: number;
  /** Pool numbers the store had before (nothing is imported then). */
  existing: number;
}

export async function initStore(selection: PostgresSelection, paths: ProjectPaths, lockTimeoutMs: number, now: Date): Promise<InitResult> {
  const migrated = await withClient(selection, (client) => migrate(client, selection.schema));
  const backend = backendOf(selection, lockTimeoutMs);
  try {
    const link = await openViewsLink(backend, 'store init');
    try {
      let imported = 0;
      if (link.storeCount === 0 && existsSync(paths.directory)) {
        const dir = (await loadDirectory(paths.root)).dir;
        imported = await link.prepare(emptyDirectory(), dir, now);
      }
      await link.commit();
      return { ...migrated, location: backend.location, imported, existing: link.storeCount };
    } catch (err) {
      await link.rollback();
      throw err;
    }
  } finally {
    await backend.close();
  }
}

export interface StatusReport extends StoreStatus {
  kind: 'postgres';
  location: string;
  /** Pool numbers per pool and status. */
  pools?: Record<string, Record<string, number>>;
}

export async function storeStatus(selection: PostgresSelection): Promise<StatusReport> {
  return withClient(selection, async (client) => {
    const base = await status(client, selection.schema);
    const report: StatusReport = { kind: 'postgres', location: `${selection.location} schema ${selection.schema}`, ...base };
    if (base.version === 0) return report;
    const byPool = await client.query<{ pool: string; status: string; n: number }>(
      `SELECT pool, status, count(*)::int AS n FROM ${quoteSchema(selection.schema)}.pool_numbers GROUP BY pool, status ORDER BY pool, status`,
    );
    const pools: Record<string, Record<string, number>> = {};
    for (const row of byPool.rows) (pools[row.pool] ??= {})[row.status] = row.n;
    report.pools = pools;
    return report;
  });
}

export interface ExportResult {
  location: string;
  /** Numbers whose pool fields the views now take from the store. */
  updated: string[];
  /** Project-relative files written. */
  written: string[];
  /** Numbers the store has that these views do not (added on another machine: phone-dir sync brings them). */
  missing: string[];
}

export async function exportToViews(selection: PostgresSelection, paths: ProjectPaths, lockTimeoutMs: number, now: Date): Promise<ExportResult> {
  const backend = backendOf(selection, lockTimeoutMs);
  try {
    const link = await openViewsLink(backend, 'export');
    try {
      const loaded = await loadDirectory(paths.root);
      const next = cloneDirectory(loaded.dir);
      const updated = link.overlay(next);
      const written = updated.length ? await writeDirectory(loaded, next, now) : [];
      return { location: backend.location, updated, written: written.map((f) => paths.rel(f)), missing: link.missingFrom(next) };
    } finally {
      // Nothing to write in the store: the transaction only held the store still while the views were written.
      await link.rollback();
    }
  } finally {
    await backend.close();
  }
}
