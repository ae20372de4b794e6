import { describe, it, expect } from 'vitest';
import { normalizePhoneNumber, tryNormalizePhoneNumber, parsePhoneNumberArg, isE164, isValidE164, formatPretty, areaCodeOf, describeNumber } from '../../src/core/phone.js';
import { expectUsageError } from '../helpers/errors.js';

describe('normalizePhoneNumber', () => {
  it.each([
    ['(415) 555-0101', '+14155550101'],
    ['415-555-0101', '+14155550101'],
    ['415.555.0101', '+14155550101'],
    ['4155550101', '+14155550101'],
    ['1-415-555-0101', '+14155550101'],
    ['+1 (415) 555-0101', '+14155550101'],
    ['  +14155550101  ', '+14155550101'],
    ['(888) 555-0107', '+18885550107'],
    ['+44 20 7183 8750', '+442071838750'],
    ['+49 1512 3456789', '+4915123456789'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhoneNumber(input)).toBe(expected);
  });

  it.each([['555'], ['abc'], [''], ['(415) 555-010'], ['415 555 01011'], ['+1 123 456 7890'], ['+447700900123']])('rejects %j with a usage error naming the input', (input) => {
    expectUsageError(() => normalizePhoneNumber(input), `"${input}"`);
    expect(tryNormalizePhoneNumber(input)).toBeNull();
  });

  it.each([['4155550101x12'], ['+1 (415) 555-0000 ext. 9'], ['415-555-0101 extension 3'], ['415 555 0101 #12'], ['+14155550101;ext=5'], ['+14155550101,123']])('rejects %j: it has an extension', (input) => {
    expect(() => normalizePhoneNumber(input)).toThrow(`"${input}" has an extension; phone-dir keeps numbers without extensions`);
    expect(tryNormalizePhoneNumber(input)).toBeNull();
  });

  it.each([['call 415-555-0101 now'], ['415-555-0101 abc'], ['tel:+14155550101']])('rejects %j: the input must be the number alone', (input) => {
    expect(() => normalizePhoneNumber(input)).toThrow(`invalid phone number: "${input}"`);
  });

  it('says why when the numbering plan can tell', () => {
    expect(() => normalizePhoneNumber('+1415555010')).toThrow('invalid phone number: "+1415555010" (too few digits)');
    expect(() => normalizePhoneNumber('415 555 01011')).toThrow('(too many digits)');
  });

  it('takes another default country for national forms', () => {
    expect(normalizePhoneNumber('020 7183 8750', 'GB')).toBe('+442071838750');
  });
});

describe('parsePhoneNumberArg: a number on the command line', () => {
  it.each([['+14155550101', '+14155550101'], [' +14155550101 ', '+14155550101'], ['(415) 555-0101', '+14155550101'], ['+442071838750', '+442071838750']])('%j → %s', (input, expected) => {
    expect(parsePhoneNumberArg(input)).toBe(expected);
  });

  it.each([['+1415555010', 'invalid phone number'], ['+11234567890', 'invalid phone number'], ['+447700900123', 'invalid phone number'], ['4155550101x12', 'has an extension'], ['+1 (415) 555-0000 ext. 9', 'has an extension']])('rejects %j (%s), naming it, exit 2', (input, why) => {
    expect(expectUsageError(() => parsePhoneNumberArg(input), `"${input}"`).message).toContain(why);
  });
});

describe('E.164 checks', () => {
  it('isE164 is the format only', () => {
    expect(isE164('+14155550101')).toBe(true);
    expect(isE164('14155550101')).toBe(false);
    expect(isE164('+0415555010')).toBe(false);
    expect(isE164('+1415555')).toBe(true);
    expect(isE164('+1234567890123456')).toBe(false);
  });

  it.each([['+14155550101'], ['+18885550107'], ['+12125550106'], ['+442071838750'], ['+4915123456789'], ['+61412345678']])('isValidE164(%s) is true', (n) => {
    expect(isValidE164(n)).toBe(true);
  });

  it.each([
    ['+11234567890', 'area code starting with 1'],
    ['+10005550100', 'area code starting with 0'],
    ['+14150550101', 'exchange starting with 0'],
    ['+14151550101', 'exchange starting with 1'],
    ['+19115550101', 'N11 area code'],
    ['+447700900123', 'UK drama range'],
    ['+4412', 'too short'],
    ['14155550101', 'no plus'],
    ['+1 415 555 0101', 'spaces'],
  ])('isValidE164(%s) is false (%s)', (n) => {
    expect(isValidE164(n)).toBe(false);
  });
});

describe('formatPretty and areaCodeOf', () => {
  it('formats NANP numbers the seed\'s way', () => {
    expect(formatPretty('+14155550101')).toBe('(415) 555-0101');
    expect(formatPretty('+18885550107')).toBe('(888) 555-0107');
  });

  it('formats other countries internationally', () => {
    expect(formatPretty('+442071838750')).toBe('+44 20 7183 8750');
    expect(formatPretty('+4915123456789')).toBe('+49 1512 3456789');
  });

  it('area code: the NANP area code, else null', () => {
    expect(areaCodeOf('+14155550101')).toBe('415');
    expect(areaCodeOf('+18885550107')).toBe('888');
    expect(areaCodeOf('+442071838750')).toBeNull();
  });
});

describe('describeNumber', () => {
  it.each([
    ['+14155550101', 'local', 'US'],
    ['+12125550106', 'local', 'US'],
    ['+18885550107', 'toll-free', 'US'],
    ['+18005550199', 'toll-free', 'US'],
    ['+18335550100', 'toll-free', 'US'],
    ['+442071838750', 'local', 'GB'],
    ['+4915123456789', 'mobile', 'DE'],
    ['+33612345678', 'mobile', 'FR'],
    ['+61412345678', 'mobile', 'AU'],
  ])('%s is %s in %s', (n, type, country) => {
    expect(describeNumber(n)).toEqual({ phone_number_type: type, country_code: country });
  });
});
