/**
 * Version 2 of the pool store schema: what a unit of work of phone-dir needs to make PostgreSQL the
 * authority for the pool's fields on every machine.
 * - pool_numbers.number_status: the directory's status of the number (active, reserved, protected);
 *   pool_numbers.status 'protected' keeps a reserved or protected number out of phone_dir.lease().
 * - pool_numbers.assignment: the agent binding in the pool's workspace as the last unit recorded it, so that
 *   a machine whose files are behind never hands out a number another machine assigned.
 * - pool_numbers.lease_ended / last_used: leases never touch the views' last_assigned/last_released; the
 *   LRU key is the later of the views' last use and the end of the last lease (src/core/pool/select.ts).
 * - audit.pool/workspace/detail: what phone-dir's own audit records carry.
 */
export function tablesV2(s: string): string {
  return `
ALTER TABLE ${s}.pool_numbers
  ADD COLUMN number_status text NOT NULL DEFAULT 'active' CHECK (number_status IN ('active', 'reserved', 'protected')),
  -- json, not jsonb: kept as written (key order included), so it compares equal to the record it came from.
  ADD COLUMN assignment json,
  ADD COLUMN lease_ended timestamptz;
-- Generated, so that a program writing last_released (or lease_ended) itself keeps the LRU order right.
ALTER TABLE ${s}.pool_numbers
  ADD COLUMN last_used timestamptz GENERATED ALWAYS AS (GREATEST(coalesce(last_released, last_assigned), lease_ended)) STORED;
ALTER TABLE ${s}.pool_numbers DROP CONSTRAINT IF EXISTS pool_numbers_status_check;
ALTER TABLE ${s}.pool_numbers ADD CONSTRAINT pool_numbers_status_check
  CHECK (status IN ('available', 'reserved', 'assigned', 'leased', 'releasing', 'protected'));
DROP INDEX IF EXISTS ${s}.pool_numbers_lru;
-- Seed 004's composite index: equality on pool and status, then the least recently used first.
CREATE INDEX pool_numbers_lru ON ${s}.pool_numbers (pool, status, last_used NULLS FIRST, phone_number);

ALTER TABLE ${s}.audit
  ADD COLUMN pool text,
  ADD COLUMN workspace text,
  ADD COLUMN detail jsonb;
`;
}
