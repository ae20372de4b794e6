/**
 * Version 1 of the pool store schema: membership and LRU order, runtime state (reservations, purchase
 * intents, holds, leases) and the audit trail. Columns of reservations and intents mirror the files
 * store's pool-state.json (src/core/pool/state.ts), so one PoolStore port can serve both.
 */
export function tablesV1(s: string): string {
  return `
CREATE TABLE ${s}.pool_numbers (
  phone_number  text PRIMARY KEY,
  pool          text NOT NULL,
  workspace     text,
  -- 'releasing': a hold expired through SQL; the number is still bound on its platform until phone-dir
  -- unbinds it, so it is not handed out meanwhile.
  status        text NOT NULL DEFAULT 'available'
                CHECK (status IN ('available', 'reserved', 'assigned', 'leased', 'releasing')),
  last_assigned timestamptz,
  last_released timestamptz
);
-- The LRU choice (seed 004's composite index): equality on pool and status, then oldest release first.
CREATE INDEX pool_numbers_lru ON ${s}.pool_numbers (pool, status, last_released NULLS FIRST, phone_number);

CREATE TABLE ${s}.reservations (
  phone_number text PRIMARY KEY,
  workspace    text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('assign', 'release', 'update', 'import', 'delete')),
  owner        jsonb NOT NULL,
  created      timestamptz NOT NULL,
  expires      timestamptz NOT NULL,
  intended     jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE ${s}.purchase_intents (
  phone_number      text PRIMARY KEY,
  workspace         text NOT NULL,
  pool              text NOT NULL,
  carrier           text,
  trunk_sid         text,
  termination_uri   text,
  voice_url         text,
  sms_url           text,
  friendly_name     text,
  nickname          text,
  auth_username     text,
  auth_password_env text,
  owner             jsonb NOT NULL,
  created           timestamptz NOT NULL,
  expires           timestamptz NOT NULL
);

CREATE TABLE ${s}.holds (
  phone_number text PRIMARY KEY REFERENCES ${s}.pool_numbers (phone_number) ON DELETE CASCADE,
  workspace    text,
  agent        text,
  release_at   timestamptz NOT NULL,
  created      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX holds_release_at ON ${s}.holds (release_at);

CREATE TABLE ${s}.leases (
  ref          text PRIMARY KEY,
  pool         text NOT NULL,
  phone_number text NOT NULL UNIQUE REFERENCES ${s}.pool_numbers (phone_number) ON DELETE CASCADE,
  release_at   timestamptz NOT NULL,
  created      timestamptz NOT NULL
);
CREATE INDEX leases_release_at ON ${s}.leases (release_at);

CREATE TABLE ${s}.audit (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL,
  operation    text NOT NULL,
  phone_number text,
  agent        text,
  ref          text,
  host         text NOT NULL,
  pid          integer NOT NULL,
  username     text NOT NULL,
  result       text NOT NULL
);
CREATE INDEX audit_number_at ON ${s}.audit (phone_number, at);
CREATE INDEX audit_at ON ${s}.audit (at);
`;
}
