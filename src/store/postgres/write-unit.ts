/**
 * Writes one unit's change into the pool store's tables, inside the unit's transaction.
 *
 * Units of phone-dir take turns on one advisory lock; phone_dir.lease()/release()/release_expired() from
 * other programs do not take it. So every write says what it expects to find (… WHERE status = <what the
 * unit read>, a lease that is still there): when SQL took or freed a row meanwhile, the write finds nothing,
 * and the unit is run again on what is there now (StoreConflictError). Lease rows are written before pool
 * rows, in the order the SQL functions lock them, so the two never wait on each other in a circle.
 */
import type { ClientBase } from 'pg';
import { compareStrings } from '../../core/model.js';
import type { Lease, PurchaseIntent, Reservation, RuntimeState } from '../../core/pool/state.js';
import type { UnitChange } from '../files/backend.js';
import type { PoolRow } from './rows.js';
import { rowFieldsOf, rowStatus, type PoolRowFields } from './pool-status.js';
import { StoreConflictError } from './errors.js';

export interface UnitWriteContext {
  client: ClientBase;
  /** The quoted schema. */
  s: string;
  rows: ReadonlyMap<string, PoolRow>;
  /** pools.json's pools and their workspaces. */
  declared: ReadonlyMap<string, string>;
}

const byPhone = <T extends { phone_number: string }>(list: readonly T[]) => new Map(list.map((e) => [e.phone_number, e]));
const byRef = (list: readonly Lease[] | undefined) => new Map((list ?? []).map((l) => [l.ref, l]));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function conflict(what: string): StoreConflictError {
  return new StoreConflictError(`the pool store changed while this command worked: ${what}`);
}

async function expectOne(ctx: UnitWriteContext, sql: string, values: unknown[], what: string): Promise<void> {
  const result = await ctx.client.query(sql, values);
  if (result.rowCount !== 1) throw conflict(what);
}

export async function writeUnit(ctx: UnitWriteContext, change: UnitChange): Promise<void> {
  const { stateBefore, state } = change;
  const touched = new Set<string>();
  await writeLeaseEnds(ctx, stateBefore, state, touched);
  await writeReservations(ctx, stateBefore.reservations, state.reservations, touched);
  await writeIntents(ctx, stateBefore.intents, state.intents, touched);
  for (const phone of newLeasePhones(stateBefore, state)) touched.add(phone);
  const recordFields = new Map<string, PoolRowFields | null>();
  for (const r of change.records) recordFields.set(r.phone, rowFieldsOf(r.after, ctx.declared));
  for (const phone of recordFields.keys()) touched.add(phone);
  await writePoolRows(ctx, [...touched].sort(compareStrings), recordFields, state);
  await writeNewLeases(ctx, stateBefore, state);
  await writeHolds(ctx, recordFields);
  await writeLeaseEndTimes(ctx, stateBefore, state);
}

/** Ended and moved leases (before the pool rows: the SQL functions lock a lease, then its number). */
async function writeLeaseEnds(ctx: UnitWriteContext, before: RuntimeState, after: RuntimeState, touched: Set<string>): Promise<void> {
  const now = byRef(after.leases);
  for (const [ref, lease] of byRef(before.leases)) {
    const current = now.get(ref);
    if (!current || current.phone_number !== lease.phone_number) {
      await expectOne(ctx, `DELETE FROM ${ctx.s}.leases WHERE ref = $1 AND phone_number = $2`, [ref, lease.phone_number], `the lease of "${ref}" was ended meanwhile`);
      touched.add(lease.phone_number);
    } else if (current.release_at !== lease.release_at) {
      await expectOne(ctx, `UPDATE ${ctx.s}.leases SET release_at = $3 WHERE ref = $1 AND phone_number = $2`, [ref, lease.phone_number, current.release_at], `the lease of "${ref}" was ended meanwhile`);
    }
  }
}

function newLeasePhones(before: RuntimeState, after: RuntimeState): string[] {
  const was = byRef(before.leases);
  return [...byRef(after.leases)].filter(([ref, lease]) => was.get(ref)?.phone_number !== lease.phone_number).map(([, lease]) => lease.phone_number);
}

async function writeNewLeases(ctx: UnitWriteContext, before: RuntimeState, after: RuntimeState): Promise<void> {
  const was = byRef(before.leases);
  for (const [ref, lease] of byRef(after.leases)) {
    const old = was.get(ref);
    if (old && old.phone_number === lease.phone_number) continue;
    const inserted = await ctx.client.query(
      `INSERT INTO ${ctx.s}.leases (ref, pool, phone_number, release_at, created) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [ref, lease.pool, lease.phone_number, lease.release_at, lease.created],
    );
    if (inserted.rowCount !== 1) throw conflict(`"${ref}" or ${lease.phone_number} was leased meanwhile`);
  }
}

type Owned = { phone_number: string; owner: { token: string } };

/**
 * Rows a command owns, one per number (reservations, purchase intents): a row that left or changed is deleted
 * only while it is still this owner's, then the new and changed ones are inserted.
 */
async function writeOwnedRows<T extends Owned>(ctx: UnitWriteContext, table: string, what: string, before: T[], after: T[], touched: Set<string>, insert: (phone: string, entry: T) => Promise<unknown>): Promise<void> {
  const now = byPhone(after);
  const was = byPhone(before);
  for (const [phone, old] of was) {
    const current = now.get(phone);
    if (current && same(current, old)) continue;
    touched.add(phone);
    await expectOne(ctx, `DELETE FROM ${ctx.s}.${table} WHERE phone_number = $1 AND owner->>'token' = $2`, [phone, old.owner.token], `${what} of ${phone} was settled meanwhile`);
  }
  for (const [phone, entry] of now) {
    const old = was.get(phone);
    if (old && same(old, entry)) continue;
    touched.add(phone);
    await insert(phone, entry);
  }
}

function writeReservations(ctx: UnitWriteContext, before: Reservation[], after: Reservation[], touched: Set<string>): Promise<void> {
  return writeOwnedRows(ctx, 'reservations', 'the reservation', before, after, touched, (phone, r) => ctx.client.query(
    `INSERT INTO ${ctx.s}.reservations (phone_number, workspace, kind, owner, created, expires, intended) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [phone, r.workspace, r.kind, JSON.stringify(r.owner), r.created, r.expires, JSON.stringify(r.intended ?? {})],
  ));
}

const INTENT_COLUMNS = ['workspace', 'pool', 'carrier', 'trunk_sid', 'termination_uri', 'voice_url', 'sms_url', 'friendly_name', 'nickname', 'auth_username', 'auth_password_env'] as const;

function writeIntents(ctx: UnitWriteContext, before: PurchaseIntent[], after: PurchaseIntent[], touched: Set<string>): Promise<void> {
  const columns = ['phone_number', ...INTENT_COLUMNS, 'owner', 'created', 'expires'];
  return writeOwnedRows(ctx, 'purchase_intents', 'the purchase intent', before, after, touched, (phone, intent) => ctx.client.query(
    `INSERT INTO ${ctx.s}.purchase_intents (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    [phone, ...INTENT_COLUMNS.map((column) => intent[column] ?? null), JSON.stringify(intent.owner), intent.created, intent.expires],
  ));
}

/**
 * The pool rows of the numbers this unit touched: the fields of the records it changed (or the row as read),
 * the status from the final runtime state, and a check that the row is still what the unit read.
 */
async function writePoolRows(ctx: UnitWriteContext, phones: string[], recordFields: Map<string, PoolRowFields | null>, state: RuntimeState): Promise<void> {
  for (const phone of phones) {
    const read = ctx.rows.get(phone);
    const changed = recordFields.has(phone);
    const fields = changed ? recordFields.get(phone)! : read ?? null;
    if (!fields) {
      if (read) await expectOne(ctx, `DELETE FROM ${ctx.s}.pool_numbers WHERE phone_number = $1 AND status = $2`, [phone, read.status], `${phone} was leased or released through SQL meanwhile`);
      continue;
    }
    const bindingKept = !changed || (read !== undefined && same(read.assignment, fields.assignment));
    const status = rowStatus(fields, state, bindingKept ? read?.status : undefined);
    const values = [phone, fields.pool, fields.workspace, status, fields.number_status, fields.assignment ? JSON.stringify(fields.assignment) : null, fields.last_assigned, fields.last_released];
    if (read) {
      if (!changed && read.status === status) continue;
      await expectOne(
        ctx,
        `UPDATE ${ctx.s}.pool_numbers SET pool = $2, workspace = $3, status = $4, number_status = $5, assignment = $6, last_assigned = $7, last_released = $8
          WHERE phone_number = $1 AND status = $9`,
        [...values, read.status],
        `${phone} was leased or released through SQL meanwhile`,
      );
    } else {
      await expectOne(
        ctx,
        `INSERT INTO ${ctx.s}.pool_numbers (phone_number, pool, workspace, status, number_status, assignment, last_assigned, last_released)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        values,
        `${phone} was added to the pool store meanwhile`,
      );
    }
  }
}

/** The holds SQL's release_expired() ends: one per bound number whose binding has a release_at. */
async function writeHolds(ctx: UnitWriteContext, recordFields: Map<string, PoolRowFields | null>): Promise<void> {
  for (const [phone, fields] of recordFields) {
    const read = ctx.rows.get(phone);
    // An unchanged binding keeps its hold row as it is (release_expired() may have ended it already).
    if (fields && read && same(read.assignment, fields.assignment)) continue;
    const releaseAt = fields?.assignment?.release_at ?? null;
    if (!fields || releaseAt === null) {
      await ctx.client.query(`DELETE FROM ${ctx.s}.holds WHERE phone_number = $1`, [phone]);
      continue;
    }
    await ctx.client.query(
      `INSERT INTO ${ctx.s}.holds (phone_number, workspace, agent, release_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (phone_number) DO UPDATE SET workspace = EXCLUDED.workspace, agent = EXCLUDED.agent, release_at = EXCLUDED.release_at`,
      [phone, fields.workspace, fields.assignment!.agent_path ?? fields.assignment!.agent_id, releaseAt],
    );
  }
}

/** When each lease this unit ended ended (the LRU key of leases, which never reach the views). */
async function writeLeaseEndTimes(ctx: UnitWriteContext, before: RuntimeState, after: RuntimeState): Promise<void> {
  const was = before.lease_ends ?? {};
  for (const [phone, at] of Object.entries(after.lease_ends ?? {})) {
    if (was[phone] === at) continue;
    await ctx.client.query(
      `UPDATE ${ctx.s}.pool_numbers SET lease_ended = $2 WHERE phone_number = $1`,
      [phone, at],
    );
  }
}
