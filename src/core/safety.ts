import type { Directory } from './model.js';

export interface Refusal { source: string; message: string }

export const REMOVAL_THRESHOLD = 0.3;
export const REMOVAL_MIN_NUMBERS = 10;

/** A workspace that would lose more than 30% of at least 10 numbers, or that a provider lists as empty. */
export function workspaceRefusal(before: Directory, after: Directory, ws: string, listed: number): Refusal | null {
  let had = 0;
  let lost = 0;
  for (const n of before.numbers.values()) {
    if (!n.workspaces[ws]) continue;
    had++;
    if (!after.numbers.get(n.phone_number)?.workspaces[ws]) lost++;
  }
  if (listed === 0 && had > 0) return { source: ws, message: `Retell lists no numbers for workspace ${ws}, where the directory has ${had}; refusing to empty it` };
  if (had >= REMOVAL_MIN_NUMBERS && lost / had > REMOVAL_THRESHOLD) {
    return { source: ws, message: `workspace ${ws} would lose ${lost} of ${had} numbers (${Math.round((lost / had) * 100)}% > ${REMOVAL_THRESHOLD * 100}%)` };
  }
  return null;
}

export function twilioRefusal(before: Directory, after: Directory, listed: number): Refusal | null {
  let had = 0;
  let lost = 0;
  for (const n of before.numbers.values()) {
    if (!n.twilio) continue;
    had++;
    if (!after.numbers.get(n.phone_number)?.twilio) lost++;
  }
  if (listed === 0 && had > 0) return { source: 'twilio', message: `Twilio lists no numbers, where the directory has ${had}; refusing to drop them` };
  if (had >= REMOVAL_MIN_NUMBERS && lost / had > REMOVAL_THRESHOLD) {
    return { source: 'twilio', message: `Twilio data would lose ${lost} of ${had} numbers (${Math.round((lost / had) * 100)}% > ${REMOVAL_THRESHOLD * 100}%)` };
  }
  return null;
}
