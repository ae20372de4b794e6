import type { Finding } from './finding.js';
import { error, warning } from './finding.js';
import { numbersOf, type ValidationInput } from './context.js';
import { isValidE164 } from '../phone.js';
import { sortedWorkspaces } from '../model.js';

const PN_SID = /^PN[0-9a-fA-F]{32}$/;

export function checkNumbers(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const file = input.files.directory;
  for (const [key, entry] of Object.entries(input.parsed.directory?.numbers ?? {})) {
    if (key !== entry.phone_number) out.push(error('duplicate', `${file}: key ${key} holds ${entry.phone_number}`, { phone_number: entry.phone_number, file }));
  }
  for (const n of numbersOf(input)) {
    if (!isValidE164(n.phone_number)) out.push(error('e164', `${n.phone_number} is not a valid E.164 number`, { phone_number: n.phone_number }));
    if (n.twilio && !PN_SID.test(n.twilio.phone_number_sid)) {
      out.push(error('twilio-sid', `${n.phone_number}: twilio.phone_number_sid "${n.twilio.phone_number_sid}" is not a PN… SID`, { phone_number: n.phone_number, file }));
    }
  }
  const sids = new Map<string, string>();
  for (const n of numbersOf(input)) {
    if (!n.twilio) continue;
    const other = sids.get(n.twilio.phone_number_sid);
    if (other) out.push(error('duplicate', `${n.phone_number} and ${other} share Twilio SID ${n.twilio.phone_number_sid}`, { phone_number: n.phone_number, file }));
    else sids.set(n.twilio.phone_number_sid, n.phone_number);
  }
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    for (const [list, f] of [
      [files.numbers?.numbers ?? [], input.files.numbers(ws)],
      [files.assignments?.assignments ?? [], input.files.assignments(ws)],
    ] as const) {
      const seen = new Set<string>();
      for (const entry of list) {
        if (seen.has(entry.phone_number)) out.push(error('duplicate', `${entry.phone_number} appears more than once in ${f}`, { phone_number: entry.phone_number, workspace: ws, file: f }));
        seen.add(entry.phone_number);
      }
    }
  }
  return out;
}

/** The seed's warnings: Twilio numbers imported nowhere, and numbers in one workspace but not another. */
export function checkCoverage(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const unreadable = input.unreadable?.workspaces ?? new Set<string>();
  const workspaces = sortedWorkspaces(input.dir).filter((ws) => !unreadable.has(ws));
  for (const n of numbersOf(input)) {
    const present = Object.keys(n.workspaces);
    if (present.length === 0) {
      // directory.json may say it is imported into a workspace whose files could not be read.
      const listed = Object.keys(input.parsed.directory?.numbers[n.phone_number]?.workspaces ?? {});
      if (n.twilio && !listed.some((ws) => unreadable.has(ws))) out.push(warning('not-imported', `${n.phone_number} is in Twilio but imported in no workspace`, { phone_number: n.phone_number }));
      continue;
    }
    // A number bought through Retell belongs to the one workspace that bought it.
    if (n.status !== 'active' || n.provider.startsWith('retell-')) continue;
    for (const ws of workspaces) {
      if (!n.workspaces[ws]) {
        out.push(warning('missing-in-workspace', `${n.phone_number} is missing in ${ws} (exists in ${present.sort().join(', ')} only)`, { phone_number: n.phone_number, workspace: ws }));
      }
    }
  }
  return out;
}

export function checkSipConfig(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  for (const n of numbersOf(input)) {
    for (const [ws, wn] of Object.entries(n.workspaces)) {
      if (wn.assignment && wn.import_method === 'sip-trunk' && !wn.termination_uri) {
        out.push(error('missing-termination-uri', `${n.phone_number} is assigned in ${ws} but has no SIP termination URI`, { phone_number: n.phone_number, workspace: ws, file: input.files.numbers(ws) }));
      }
    }
  }
  return out;
}
