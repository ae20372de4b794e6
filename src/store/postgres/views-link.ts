/**
 * The store and a whole directory model, for the commands that rewrite every view (sync, pool export) and for
 * the first import (pool store init): the store's pool fields laid over the model, and the pool rows brought
 * in line with the model those commands write. One store transaction, committed after the views are written.
 */
import type { Directory } from '../../core/model.js';
import type { PostgresBackend } from './backend.js';
import { rowFieldsOf, type PoolRowFields } from './pool-status.js';
import type { PoolRow } from './rows.js';
import type { UnitChange } from '../files/backend.js';

export interface ViewsLink {
  /** How many numbers the store has. */
  readonly storeCount: number;
  /** The store's pool fields over these records (in place); returns the numbers whose fields it changed. */
  overlay(dir: Directory): string[];
  /** Numbers the store has that `dir` does not (added on another machine). */
  missingFrom(dir: Directory): string[];
  /**
   * The pool rows as `next` says, for its numbers; numbers of `current` that `next` no longer has leave the
   * store (numbers the store has and `current` never had are left alone). Returns how many rows it wrote.
   */
  prepare(current: Directory, next: Directory, now: Date): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

function sameFields(fields: PoolRowFields, row: PoolRow): boolean {
  return fields.pool === row.pool && fields.workspace === row.workspace && fields.number_status === row.number_status
    && fields.last_assigned === row.last_assigned && fields.last_released === row.last_released
    && JSON.stringify(fields.assignment) === JSON.stringify(row.assignment);
}

export async function openViewsLink(backend: PostgresBackend, label: string): Promise<ViewsLink> {
  const tx = await backend.begin(label);
  const rows = tx.overlay.rows;
  let change: UnitChange | undefined;
  return {
    storeCount: rows.size,
    overlay(dir) {
      const changed: string[] = [];
      for (const record of dir.numbers.values()) {
        const was = JSON.stringify(record);
        tx.overlay.record(record);
        if (JSON.stringify(record) !== was) changed.push(record.phone_number);
      }
      return changed;
    },
    missingFrom: (dir) => tx.overlay.missingLocally(dir),
    async prepare(current, next, now) {
      const records: UnitChange['records'] = [];
      for (const [phone, record] of next.numbers) {
        const fields = rowFieldsOf(record, backend.declaredPools);
        const row = rows.get(phone);
        if (!fields && !row) continue;
        if (!fields || !row || !sameFields(fields, row)) records.push({ phone, before: current.numbers.get(phone), after: record });
      }
      for (const [phone, record] of current.numbers) {
        if (!next.numbers.has(phone) && rows.has(phone)) records.push({ phone, before: record, after: undefined });
      }
      const state = structuredClone(tx.state);
      change = { stateBefore: tx.state, state, stateChanged: false, records, audit: [], now };
      await tx.prepare(change);
      return records.length;
    },
    async commit() {
      await tx.commit(change ?? { stateBefore: tx.state, state: tx.state, stateChanged: false, records: [], audit: [], now: new Date() });
    },
    rollback: () => tx.rollback(),
  };
}

