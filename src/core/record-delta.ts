/**
 * A change to the directory as the records it changed, field by field, so that it can be made again on
 * another revision of the directory (`--push` after someone else pushed first): the change is recomputed on
 * the new head, never replayed as the bytes written for the old one.
 */
import type { Directory, NumberRecord, WorkspaceNumber } from './model.js';
import { compareStrings } from './model.js';

export interface RecordDelta {
  phone_number: string;
  /** The record's own fields this change set (undefined values are not set). */
  fields: Partial<Omit<NumberRecord, 'workspaces' | 'phone_number'>>;
  /** Workspaces whose entry this change set (the entry) or removed (null). */
  workspaces: Record<string, WorkspaceNumber | null>;
  /** The change added the record (absent before) or removed it (absent after). */
  added: NumberRecord | null;
  removed: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What changed from `before` to `after`, number by number, in phone-number order. */
export function recordDeltas(before: Directory, after: Directory): RecordDelta[] {
  const phones = [...new Set([...before.numbers.keys(), ...after.numbers.keys()])].sort(compareStrings);
  const out: RecordDelta[] = [];
  for (const phone of phones) {
    const was = before.numbers.get(phone);
    const now = after.numbers.get(phone);
    if (same(was, now)) continue;
    if (!now) {
      out.push({ phone_number: phone, fields: {}, workspaces: {}, added: null, removed: true });
      continue;
    }
    if (!was) {
      out.push({ phone_number: phone, fields: {}, workspaces: {}, added: structuredClone(now), removed: false });
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(now) as (keyof NumberRecord)[]) {
      if (key === 'workspaces' || key === 'phone_number') continue;
      if (!same(was[key], now[key])) fields[key] = structuredClone(now[key]);
    }
    const workspaces: Record<string, WorkspaceNumber | null> = {};
    for (const ws of new Set([...Object.keys(was.workspaces), ...Object.keys(now.workspaces)])) {
      if (!same(was.workspaces[ws], now.workspaces[ws])) workspaces[ws] = now.workspaces[ws] ? structuredClone(now.workspaces[ws]!) : null;
    }
    out.push({ phone_number: phone, fields: fields as RecordDelta['fields'], workspaces, added: null, removed: false });
  }
  return out;
}

/**
 * Makes the change again on `target` (another revision): the fields and workspace entries it set win over
 * what the target has; what it did not touch stays the target's. Returns the numbers it changed.
 */
export function applyRecordDeltas(target: Directory, deltas: RecordDelta[]): string[] {
  const changed: string[] = [];
  for (const delta of deltas) {
    const current = target.numbers.get(delta.phone_number);
    const before = JSON.stringify(current);
    if (delta.removed) target.numbers.delete(delta.phone_number);
    else if (delta.added && !current) target.numbers.set(delta.phone_number, structuredClone(delta.added));
    else {
      const record = current ?? structuredClone(delta.added);
      if (!record) continue; // changed here, removed there: the removal stands
      Object.assign(record, structuredClone(delta.fields));
      if (delta.added) Object.assign(record, { ...structuredClone(delta.added), workspaces: { ...record.workspaces, ...structuredClone(delta.added.workspaces) } });
      for (const [ws, entry] of Object.entries(delta.workspaces)) {
        if (entry) record.workspaces[ws] = structuredClone(entry);
        else delete record.workspaces[ws];
      }
      target.numbers.set(delta.phone_number, record);
    }
    for (const ws of Object.keys(target.numbers.get(delta.phone_number)?.workspaces ?? {})) target.workspaces.add(ws);
    if (JSON.stringify(target.numbers.get(delta.phone_number)) !== before) changed.push(delta.phone_number);
  }
  return changed;
}
