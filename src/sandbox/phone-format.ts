import { parsePhoneNumberFromString } from 'libphonenumber-js';

const NANP = /^\+1[2-9]\d\d[2-9]\d{6}$/;

/** "(415) 555-0101" for NANP numbers (Twilio's default friendly_name), international format otherwise. */
export function nationalFormat(e164: string): string {
  // Fast path: a 100,000-number scenario formats every number at load time.
  if (NANP.test(e164)) return `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
  const p = parsePhoneNumberFromString(e164);
  if (!p) return e164;
  return p.countryCallingCode === '1' ? p.formatNational() : p.formatInternational();
}

/** Retell's phone_number_pretty, e.g. "+1 (415) 555-0101". */
export function prettyFormat(e164: string): string {
  if (NANP.test(e164)) return `+1 ${nationalFormat(e164)}`;
  const p = parsePhoneNumberFromString(e164);
  if (!p) return e164;
  return p.countryCallingCode === '1' ? `+1 ${p.formatNational()}` : p.formatInternational();
}

/** NANP area code as a number, if any. */
export function areaCodeOf(e164: string): number | undefined {
  const m = /^\+1([2-9]\d\d)\d{7}$/.exec(e164);
  return m ? Number(m[1]) : undefined;
}
