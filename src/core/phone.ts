import { createRequire } from 'node:module';
import type { PhoneNumber, CountryCode } from 'libphonenumber-js';
import { UsageError } from './errors.js';

export type PhoneNumberType = 'local' | 'toll-free' | 'mobile';

// NANP toll-free area codes; lets the hot paths avoid loading libphonenumber's metadata.
const NANP_TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);
const NANP = /^\+1(\d{3})(\d{3})(\d{4})$/;
const E164 = /^\+[1-9]\d{6,14}$/;

type Lib = typeof import('libphonenumber-js/max');
let lib: Lib | undefined;
function libphonenumber(): Lib {
  // Loaded synchronously on first use only: it costs ~40 ms, which reading commands rarely need.
  lib ??= createRequire(import.meta.url)('libphonenumber-js/max') as Lib;
  return lib;
}

export function isE164(value: string): boolean {
  return E164.test(value);
}

// The whole input must be the number: no number picked out of surrounding text ("call 415-555-0101").
function parse(input: string, defaultCountry: CountryCode): PhoneNumber | undefined {
  return libphonenumber().parsePhoneNumberFromString(input.trim(), { defaultCountry, extract: false });
}

/**
 * Accepts E.164 or a national form (`(415) 555-1234`, `415-555-1234`); throws a usage error naming the input
 * when it is not a valid number or carries an extension (which the directory has no place for: dropping it
 * silently would name another line).
 */
export function normalizePhoneNumber(input: string, defaultCountry: CountryCode = 'US'): string {
  const parsed = parse(input, defaultCountry);
  if (parsed?.ext) throw new UsageError(`"${input}" has an extension; phone-dir keeps numbers without extensions`, `give the number alone, e.g. ${parsed.number}`);
  if (!parsed || !parsed.isValid()) throw invalidPhoneNumber(input, defaultCountry);
  return parsed.number;
}

const WHY: Record<string, string> = { TOO_SHORT: 'too few digits', TOO_LONG: 'too many digits', INVALID_COUNTRY: 'unknown country code', INVALID_LENGTH: 'wrong number of digits' };

/** The usage error for a number that is not valid, with why when the numbering plan can tell. */
export function invalidPhoneNumber(input: string, defaultCountry: CountryCode = 'US'): UsageError {
  const why = WHY[libphonenumber().validatePhoneNumberLength(input.trim(), defaultCountry) ?? ''];
  return new UsageError(`invalid phone number: "${input}"${why ? ` (${why})` : ''}`, 'use E.164 (+14155551234) or a US national form ((415) 555-1234)');
}

/** Like normalizePhoneNumber but returns null instead of throwing (validation rules). */
export function tryNormalizePhoneNumber(input: string, defaultCountry: CountryCode = 'US'): string | null {
  const parsed = parse(input, defaultCountry);
  return parsed && !parsed.ext && parsed.isValid() ? parsed.number : null;
}

// NANP area codes and exchanges never start with 0 or 1, and N11 codes are not area codes (+1 123 456 7890
// is not a number); anything outside this fast path is decided by the numbering-plan metadata.
const NANP_VALID = /^\+1[2-9](?!11)\d{2}[2-9]\d{6}$/;

/**
 * A number given on the command line, as every command takes it: normalized to E.164, or a usage error
 * naming the input (invalid, or with an extension). Valid NANP E.164 skips the numbering-plan metadata.
 */
export function parsePhoneNumberArg(input: string, defaultCountry: CountryCode = 'US'): string {
  const trimmed = input.trim();
  return NANP_VALID.test(trimmed) ? trimmed : normalizePhoneNumber(input, defaultCountry);
}

export function isValidE164(value: string): boolean {
  if (!E164.test(value)) return false;
  if (NANP_VALID.test(value)) return true;
  return tryNormalizePhoneNumber(value) === value;
}

export function formatPretty(e164: string): string {
  const m = NANP.exec(e164);
  if (m) return `(${m[1]}) ${m[2]}-${m[3]}`;
  const parsed = parse(e164, 'US');
  return parsed ? parsed.formatInternational() : e164;
}

export function areaCodeOf(e164: string): string | null {
  const m = NANP.exec(e164);
  return m ? m[1]! : null;
}

export interface NumberFacts { phone_number_type: PhoneNumberType; country_code: string | null }

/** Type and country of a number, from the numbering plan (Twilio's own `type` wins when known). */
export function describeNumber(e164: string): NumberFacts {
  const parsed = parse(e164, 'US');
  const country = parsed?.country ?? null;
  const type = parsed?.getType();
  if (type === 'TOLL_FREE') return { phone_number_type: 'toll-free', country_code: country };
  if (type === 'MOBILE') return { phone_number_type: 'mobile', country_code: country };
  const m = NANP.exec(e164);
  if (m && NANP_TOLL_FREE.has(m[1]!)) return { phone_number_type: 'toll-free', country_code: country ?? 'US' };
  return { phone_number_type: 'local', country_code: country };
}
