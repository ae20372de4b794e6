/**
 * The store of a project whose store cannot be chosen (pools.json unreadable, its database URL unset): every
 * use rejects with the reason. Made instead of throwing while the store is made, so a command that starts
 * several reads at once fails with that one error instead of an unhandled rejection.
 */
import type { PoolStore, StoreDescription, UnitTiming } from '../ports/pool-store.js';

export class UnusablePoolStore implements PoolStore {
  readonly description: StoreDescription = { kind: 'unusable', shared: false, location: 'none' };
  readonly timings: UnitTiming[] = [];

  constructor(private readonly reason: unknown) {}

  private refuse(): Promise<never> { return Promise.reject(this.reason); }

  unit(): Promise<never> { return this.refuse(); }
  unitWhenFree(): Promise<never> { return this.refuse(); }
  peekState(): Promise<never> { return this.refuse(); }
  layPoolFields(): Promise<never> { return this.refuse(); }
  readAudit(): Promise<never> { return this.refuse(); }
  close(): Promise<void> { return Promise.resolve(); }
}
