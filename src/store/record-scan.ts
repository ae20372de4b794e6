/**
 * Finds one number's record in a view file without parsing the whole file, for `show`: phone-dir writes
 * every record as `{` followed by its `"phone_number"` (directory.json also keys it by the number), so
 * the record's text can be located and parsed alone. Anything unexpected returns undefined, and the
 * caller falls back to a full parse.
 */

/** The end (exclusive) of the JSON object that starts at `start`, honouring strings and escapes. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return -1;
}

function parseObjectAt(text: string, start: number): Record<string, unknown> | undefined {
  const end = objectEnd(text, start);
  if (end === -1) return undefined;
  try {
    const value: unknown = JSON.parse(text.slice(start, end));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const PHONE_KEY = /"phone_number"\s*:\s*$/;

/** Where each `"phone_number": "<phone>"` pair starts its record (none: no record has it). */
function recordKeysAt(text: string, phone: string): number[] {
  const quoted = `"${phone}"`;
  const found: number[] = [];
  for (let at = text.indexOf(quoted); at !== -1; at = text.indexOf(quoted, at + 1)) {
    // The number also appears as a directory.json key and in by_agent / unassigned lists.
    const before = text.slice(Math.max(0, at - 40), at);
    const m = PHONE_KEY.exec(before);
    if (m) found.push(at - (before.length - m.index));
  }
  return found;
}

/** null: no record of the file has the number; undefined: cannot tell without a full parse. */
export function scanRecord(text: string, phone: string): Record<string, unknown> | null | undefined {
  const keys = recordKeysAt(text, phone);
  if (keys.length === 0) return null;
  // Two records of one number (a repeated key, a repeated entry): the full parse decides which one counts.
  if (keys.length > 1) return undefined;
  const at = keys[0]!;
  let open = at - 1;
  while (open >= 0 && /\s/.test(text[open]!)) open--;
  if (text[open] !== '{') return undefined;
  const record = parseObjectAt(text, open);
  return record?.phone_number === phone ? record : undefined;
}
