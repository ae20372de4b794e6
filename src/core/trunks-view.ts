import type { CarrierSnapshot } from './snapshot.js';
import type { TrunksFile, SyncFile, SyncHistoryEntry } from './schemas.js';
import { FILE_VERSION } from './file-version.js';
import { compareStrings, sortKeys } from './model.js';
import { schemaRef } from './views.js';
import { isoSeconds } from './time.js';

const byKey = <T>(entries: [string, T][]): Record<string, T> => sortKeys(Object.fromEntries(entries));

/** twilio/trunks.json: the trunks, origination URLs and credential-list usernames of the carriers with trunks; never a password. */
export function renderTrunks(snaps: CarrierSnapshot[], lastSync: string): TrunksFile {
  const snap = { trunks: snaps.flatMap((s) => s.trunks), credential_lists: snaps.flatMap((s) => s.credential_lists) };
  return {
    $schema: schemaRef(2, 'trunks.schema.json'),
    version: FILE_VERSION,
    last_sync: lastSync,
    trunks: byKey(snap.trunks.map((t) => [t.sid, {
      trunk_sid: t.sid,
      friendly_name: t.friendly_name,
      domain_name: t.domain_name,
      auth_type: t.credential_list_sids.length ? 'credential_list' : t.auth_type,
      credential_list_sid: t.credential_list_sids[0] ?? null,
      origination_urls: [...t.origination_urls].sort((a, b) => a.priority - b.priority || compareStrings(a.sid, b.sid))
        .map((o) => ({ sid: o.sid, sip_url: o.sip_url, friendly_name: o.friendly_name, priority: o.priority, weight: o.weight })),
      phone_numbers: [...t.phone_numbers].sort((a, b) => compareStrings(a.phone_number, b.phone_number)).map((p) => ({ phone_number_sid: p.sid, phone_number: p.phone_number })),
      date_created: t.date_created,
      date_updated: t.date_updated,
    }])),
    credentials: byKey(snap.credential_lists.map((c) => [c.sid, {
      credential_list_sid: c.sid,
      friendly_name: c.friendly_name,
      usernames: [...c.usernames].sort(),
      note: 'Passwords not stored - retrieve from secure storage',
    }])),
  };
}

export const SYNC_HISTORY_LIMIT = 100;
export const SYNC_INTERVAL_MINUTES = 60;

/** twilio/sync.json gets every run (changed or not), newest first, so committed files need not change. */
export function recordSync(previous: SyncFile | null, entry: SyncHistoryEntry): SyncFile {
  const history = [entry, ...(previous?.sync_history ?? [])].slice(0, SYNC_HISTORY_LIMIT);
  const ok = entry.status === 'success' || entry.status === 'partial';
  const full = entry.type === 'full';
  const next = isoSeconds(new Date(Date.parse(entry.timestamp) + SYNC_INTERVAL_MINUTES * 60_000));
  return {
    $schema: schemaRef(2, 'sync.schema.json'),
    version: FILE_VERSION,
    last_full_sync: ok && full ? entry.timestamp : previous?.last_full_sync ?? null,
    last_incremental_sync: ok && !full ? entry.timestamp : previous?.last_incremental_sync ?? null,
    sync_history: history,
    next_sync: next,
    sync_interval_minutes: previous?.sync_interval_minutes ?? SYNC_INTERVAL_MINUTES,
  };
}
