/**
 * The PostgreSQL pool store: the files store's unit of work (this machine's directory lock and views) over
 * the PostgreSQL backend, run again when a unit met a row that phone_dir.lease()/release() changed from SQL
 * meanwhile (nothing of the failed attempt was written).
 */
import type { PoolStore, PoolUnit, StoreDescription, UnitTiming } from '../../ports/pool-store.js';
import type { Reservation, RuntimeState } from '../../core/pool/state.js';
import type { AuditQuery } from '../../core/pool/audit.js';
import type { Directory } from '../../core/model.js';
import { FilesPoolStore, type FilesStoreOptions } from '../files/pool-store.js';
import { PostgresBackend, type PostgresBackendOptions } from './backend.js';
import { isRetryableDatabaseError, StoreConflictError } from './errors.js';
import { PostgresDirectLeases } from './direct-leases.js';
import { quoteSchema } from './identifier.js';

const ATTEMPTS = 8;

export class PostgresPoolStore implements PoolStore {
  readonly backend: PostgresBackend;
  readonly directLeases: PostgresDirectLeases;
  private readonly inner: FilesPoolStore;

  constructor(options: Omit<FilesStoreOptions, 'backend'>, database: PostgresBackendOptions) {
    this.backend = new PostgresBackend(database);
    this.inner = new FilesPoolStore({ ...options, backend: this.backend });
    this.directLeases = new PostgresDirectLeases(this.backend, quoteSchema(database.schema));
  }

  get description(): StoreDescription { return this.inner.description; }

  get timings(): UnitTiming[] { return this.inner.timings; }

  unit<T>(label: string, work: (unit: PoolUnit) => Promise<T>): Promise<T> {
    return retrying(() => this.inner.unit(label, work));
  }

  unitWhenFree<T>(label: string, work: (unit: PoolUnit) => Promise<T | { busy: Reservation }>, settle: () => Promise<void>): Promise<T> {
    return retrying(() => this.inner.unitWhenFree(label, work, settle));
  }

  peekState(): Promise<RuntimeState> { return this.inner.peekState(); }

  async layPoolFields(dir: Directory): Promise<void> {
    const overlay = await this.backend.peekOverlay();
    for (const record of dir.numbers.values()) overlay.record(record);
  }

  readAudit(query: AuditQuery) { return this.inner.readAudit(query); }

  close(): Promise<void> { return this.inner.close(); }
}

async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryableDatabaseError(err)) throw err;
      if (tries >= ATTEMPTS) throw err instanceof StoreConflictError ? err : new StoreConflictError(`PostgreSQL aborted this command's transaction ${ATTEMPTS} times (${(err as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * tries));
    }
  }
}
