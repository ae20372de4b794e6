/**
 * The SQL functions of the pool store, part of phone-dir's contract (spec/cli.md): other programs (an
 * n8n workflow, a web app) lease and release through them under the same locking as phone-dir.
 *
 * Every function takes an optional last `p_now` (default now()) so that expiry can be driven by a clock
 * other than the server's: tests, and callers replaying a schedule.
 *
 * `s` is the quoted schema, `name` its plain name (validated: lower-case letters, digits, underscores).
 */
export function functionsV1(s: string, name: string): string {
  return `
-- Who did it: phone-dir sets phone_dir.host/pid/user per session; any other client is named by its
-- address, its server backend pid and its role.
CREATE OR REPLACE FUNCTION ${s}.write_audit(p_at timestamptz, p_operation text, p_number text, p_agent text, p_ref text, p_result text)
RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO ${s}.audit (at, operation, phone_number, agent, ref, host, pid, username, result)
  VALUES (p_at, p_operation, p_number, p_agent, p_ref,
          coalesce(nullif(current_setting('phone_dir.host', true), ''), host(inet_client_addr()), 'local'),
          coalesce(nullif(current_setting('phone_dir.pid', true), '')::integer, pg_backend_pid()),
          coalesce(nullif(current_setting('phone_dir.user', true), ''), session_user::text),
          p_result)
$fn$;

-- Ends the lease of p_ref (whatever its release_at) and returns its number to the pool; NULL when none.
CREATE OR REPLACE FUNCTION ${s}.end_lease(p_ref text, p_now timestamptz, p_operation text)
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  released text;
BEGIN
  DELETE FROM ${s}.leases WHERE ref = p_ref RETURNING phone_number INTO released;
  IF released IS NULL THEN
    RETURN NULL;
  END IF;
  UPDATE ${s}.pool_numbers SET status = 'available', last_released = p_now
   WHERE phone_number = released AND status = 'leased';
  PERFORM ${s}.write_audit(p_now, p_operation, released, NULL, p_ref, 'released');
  RETURN released;
END
$fn$;

CREATE OR REPLACE FUNCTION ${s}.lease(p_pool text, p_ref text, p_hold interval DEFAULT interval '18 hours', p_now timestamptz DEFAULT now())
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  held ${s}.leases%ROWTYPE;
  chosen text;
BEGIN
  IF coalesce(p_pool, '') = '' THEN
    RAISE EXCEPTION '${name}.lease: pool must be a non-empty text' USING ERRCODE = '22023';
  END IF;
  IF coalesce(p_ref, '') = '' THEN
    RAISE EXCEPTION '${name}.lease: ref must be a non-empty text' USING ERRCODE = '22023';
  END IF;
  IF p_hold IS NULL OR p_hold <= interval '0' THEN
    RAISE EXCEPTION '${name}.lease: hold must be a positive interval, not %', p_hold USING ERRCODE = '22023';
  END IF;
  -- Two callers leasing for one ref at once: the second waits and then finds the first one's lease.
  PERFORM pg_advisory_xact_lock(hashtext('${name}.lease'), hashtext(p_ref));

  SELECT * INTO held FROM ${s}.leases WHERE ref = p_ref;
  IF FOUND AND held.release_at > p_now THEN
    IF held.pool <> p_pool THEN
      RAISE EXCEPTION '${name}.lease: ref % already leases % from pool %', p_ref, held.phone_number, held.pool
        USING ERRCODE = '22023';
    END IF;
    PERFORM ${s}.write_audit(p_now, 'lease', held.phone_number, NULL, p_ref, 'already-leased');
    RETURN held.phone_number;
  ELSIF FOUND THEN
    PERFORM ${s}.end_lease(p_ref, p_now, 'expire');
  END IF;

  SELECT phone_number INTO chosen FROM ${s}.pool_numbers
   WHERE pool = p_pool AND status = 'available'
   ORDER BY last_released NULLS FIRST, phone_number
   LIMIT 1
   FOR UPDATE SKIP LOCKED;
  IF chosen IS NULL THEN
    PERFORM ${s}.write_audit(p_now, 'lease', NULL, NULL, p_ref, 'none-free');
    RETURN NULL;
  END IF;

  UPDATE ${s}.pool_numbers SET status = 'leased', last_assigned = p_now WHERE phone_number = chosen;
  INSERT INTO ${s}.leases (ref, pool, phone_number, release_at, created) VALUES (p_ref, p_pool, chosen, p_now + p_hold, p_now);
  PERFORM ${s}.write_audit(p_now, 'lease', chosen, NULL, p_ref, 'leased');
  RETURN chosen;
END
$fn$;

CREATE OR REPLACE FUNCTION ${s}.release(p_ref text, p_now timestamptz DEFAULT now())
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  released text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('${name}.lease'), hashtext(p_ref));
  released := ${s}.end_lease(p_ref, p_now, 'release');
  IF released IS NULL THEN
    PERFORM ${s}.write_audit(p_now, 'release', NULL, NULL, p_ref, 'no-lease');
  END IF;
  RETURN released;
END
$fn$;

-- Expired leases go back to the pool. An expired hold of an agent's number becomes 'releasing', not
-- 'available': the number is still bound to the agent on its voice platform, which SQL cannot change,
-- and the next phone-dir command (pool release --expired) unbinds it and returns it to the pool.
CREATE OR REPLACE FUNCTION ${s}.release_expired(p_now timestamptz DEFAULT now())
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  released integer := 0;
  expired record;
BEGIN
  FOR expired IN
    SELECT ref FROM ${s}.leases WHERE release_at <= p_now ORDER BY release_at FOR UPDATE SKIP LOCKED
  LOOP
    IF ${s}.end_lease(expired.ref, p_now, 'expire') IS NOT NULL THEN
      released := released + 1;
    END IF;
  END LOOP;

  FOR expired IN
    SELECT phone_number, agent FROM ${s}.holds WHERE release_at <= p_now ORDER BY release_at FOR UPDATE SKIP LOCKED
  LOOP
    DELETE FROM ${s}.holds WHERE phone_number = expired.phone_number;
    UPDATE ${s}.pool_numbers SET status = 'releasing'
     WHERE phone_number = expired.phone_number AND status = 'assigned';
    PERFORM ${s}.write_audit(p_now, 'expire', expired.phone_number, expired.agent, NULL, 'releasing');
    released := released + 1;
  END LOOP;
  RETURN released;
END
$fn$;
`;
}

/**
 * Version 2 of the lease functions (same signatures, same contract): a lease's end goes to lease_ended and
 * the LRU key last_used, never to the views' last_assigned/last_released; the choice follows last_used
 * (the v2 composite index). Numbers a phone-dir unit is working on have status 'reserved' and are skipped.
 */
export function functionsV2(s: string, name: string): string {
  return `
-- Ends the lease of p_ref (whatever its release_at) and returns its number to the pool; NULL when none.
CREATE OR REPLACE FUNCTION ${s}.end_lease(p_ref text, p_now timestamptz, p_operation text)
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  released text;
BEGIN
  DELETE FROM ${s}.leases WHERE ref = p_ref RETURNING phone_number INTO released;
  IF released IS NULL THEN
    RETURN NULL;
  END IF;
  -- v2: a lease's end is not the views' last_released (leases never reach the views): its own column.
  UPDATE ${s}.pool_numbers SET status = 'available', lease_ended = p_now
   WHERE phone_number = released AND status = 'leased';
  PERFORM ${s}.write_audit(p_now, p_operation, released, NULL, p_ref, 'released');
  RETURN released;
END
$fn$;

CREATE OR REPLACE FUNCTION ${s}.lease(p_pool text, p_ref text, p_hold interval DEFAULT interval '18 hours', p_now timestamptz DEFAULT now())
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  held ${s}.leases%ROWTYPE;
  chosen text;
BEGIN
  IF coalesce(p_pool, '') = '' THEN
    RAISE EXCEPTION '${name}.lease: pool must be a non-empty text' USING ERRCODE = '22023';
  END IF;
  IF coalesce(p_ref, '') = '' THEN
    RAISE EXCEPTION '${name}.lease: ref must be a non-empty text' USING ERRCODE = '22023';
  END IF;
  IF p_hold IS NULL OR p_hold <= interval '0' THEN
    RAISE EXCEPTION '${name}.lease: hold must be a positive interval, not %', p_hold USING ERRCODE = '22023';
  END IF;
  -- Two callers leasing for one ref at once: the second waits and then finds the first one's lease.
  PERFORM pg_advisory_xact_lock(hashtext('${name}.lease'), hashtext(p_ref));

  SELECT * INTO held FROM ${s}.leases WHERE ref = p_ref;
  IF FOUND AND held.release_at > p_now THEN
    IF held.pool <> p_pool THEN
      RAISE EXCEPTION '${name}.lease: ref % already leases % from pool %', p_ref, held.phone_number, held.pool
        USING ERRCODE = '22023';
    END IF;
    PERFORM ${s}.write_audit(p_now, 'lease', held.phone_number, NULL, p_ref, 'already-leased');
    RETURN held.phone_number;
  ELSIF FOUND THEN
    PERFORM ${s}.end_lease(p_ref, p_now, 'expire');
  END IF;

  SELECT phone_number INTO chosen FROM ${s}.pool_numbers
   WHERE pool = p_pool AND status = 'available'
   ORDER BY last_used NULLS FIRST, phone_number
   LIMIT 1
   FOR UPDATE SKIP LOCKED;
  IF chosen IS NULL THEN
    PERFORM ${s}.write_audit(p_now, 'lease', NULL, NULL, p_ref, 'none-free');
    RETURN NULL;
  END IF;

  UPDATE ${s}.pool_numbers SET status = 'leased' WHERE phone_number = chosen;
  INSERT INTO ${s}.leases (ref, pool, phone_number, release_at, created) VALUES (p_ref, p_pool, chosen, p_now + p_hold, p_now);
  PERFORM ${s}.write_audit(p_now, 'lease', chosen, NULL, p_ref, 'leased');
  RETURN chosen;
END
$fn$;

`;
}
