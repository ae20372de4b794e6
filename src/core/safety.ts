import type { Directory } from './model.js';

export interface Refusal { source: string; message: string }

export const REMOVAL_THRESHOLD = 0.3;
export const REMOVAL_MIN_NUMBERS = 10;

/** A workspace that would lose more than 30% of at least 10 numbers, or that a provider lists as empty. */
export function workspaceRefusal(before: Directory, after: Directory, ws: string, listed: number, platformLabel: string): Refusal | null {
  let had = 0;
  let lost = 0;
  for (const n of before.numbers.values()) {
    if (!n.workspaces[ws]) continue;
    had++;
    if (!after.numbers.get(n.phone_number)?.workspaces[ws]) lost++;
  }
  if (listed === 0 && had > 0) return { source: ws, message: `${platformLabel} lists no numbers for workspace ${ws}, where the directory has ${had}; refusing to empty it` };
  if (had >= REMOVAL_MIN_NUMBERS && lost / had > REMOVAL_THRESHOLD) {
    return { source: ws, message: `workspace ${ws} would lose ${lost} of ${had} numbers (${Math.round((lost / had) * 100)}% > ${REMOVAL_THRESHOLD * 100}%)` };
  }
  return null;
}

/** The same rule for a carrier: its block would go from more than 30% of at least 10 numbers, or it lists none. */
export function carrierRefusal(before: Directory, after: Directory, carrier: string, carrierLabel: string, listed: number): Refusal | null {
  const heldThere = (n: { provider: string; carrier: unknown } | undefined) => Boolean(n?.carrier) && n!.provider === carrier;
  let had = 0;
  let lost = 0;
  for (const n of before.numbers.values()) {
    if (!heldThere(n)) continue;
    had++;
    if (!heldThere(after.numbers.get(n.phone_number))) lost++;
  }
  if (listed === 0 && had > 0) return { source: carrier, message: `${carrierLabel} lists no numbers, where the directory has ${had}; refusing to drop them` };
  if (had >= REMOVAL_MIN_NUMBERS && lost / had > REMOVAL_THRESHOLD) {
    return { source: carrier, message: `${carrierLabel} data would lose ${lost} of ${had} numbers (${Math.round((lost / had) * 100)}% > ${REMOVAL_THRESHOLD * 100}%)` };
  }
  return null;
}
