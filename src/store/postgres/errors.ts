import { PhoneDirError } from '../../core/errors.js';

/**
 * A unit found a row changed by phone_dir.lease()/release() from SQL since it read it: nothing was written,
 * and the unit is run again (exit 3, like a busy number, if it keeps happening).
 */
export class StoreConflictError extends PhoneDirError {
  constructor(message: string) {
    super(message, 3, 'other programs are leasing from this pool through SQL right now; retry');
  }
}

/** The other units' turn took longer than --lock-timeout (exit 3, like the directory lock). */
export class StoreLockTimeoutError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 3, hint); }
}

/** Serialization failures and deadlocks PostgreSQL resolved by aborting this transaction: worth running again. */
export function isRetryableDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof StoreConflictError || code === '40001' || code === '40P01';
}
