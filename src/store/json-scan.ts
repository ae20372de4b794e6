/**
 * A JSON scanner for what JSON.parse does not say: where a syntax error is (V8's messages give a character
 * offset at best, and quote the file's text, which may hold a secret), and which keys an object repeats
 * (JSON.parse silently keeps the last copy, while a reader that scans for a record may find the first).
 * Iterative, so a deeply nested hostile file cannot overflow the stack.
 */

export interface JsonSyntaxError { offset: number; message: string }
export interface DuplicateKey {
  /** The keys and array indexes leading to the object that repeats the key. */
  path: string[];
  key: string;
  offset: number;
  firstOffset: number;
}

interface Frame { isObject: boolean }

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

class ScanFailure extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

function skipWhitespace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** The index just past the string that starts (with its quote) at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6))) throw new ScanFailure(i, 'invalid \\u escape in a string (expected 4 hex digits)');
        i += 5;
      } else if (next !== undefined && ESCAPABLE.has(next)) i++;
      else throw new ScanFailure(i, 'invalid escape in a string');
    } else if (c < 0x20) throw new ScanFailure(i, 'unescaped control character or line break in a string');
  }
  throw new ScanFailure(start, 'unterminated string');
}

function describeUnexpected(text: string, at: number, expected: string): ScanFailure {
  if (at >= text.length) return new ScanFailure(text.length, `unexpected end of file: expected ${expected}`);
  const c = text[at]!;
  // Only structural characters are quoted: any other text of the file could be a secret.
  const shown = '{}[],:"'.includes(c) ? `'${c}'` : 'character';
  return new ScanFailure(at, `unexpected ${shown}: expected ${expected}`);
}

/** Scans a scalar (string, number, true, false, null) at `at`; returns the index past it. */
function scalarEnd(text: string, at: number): number {
  const c = text[at];
  if (c === '"') return stringEnd(text, at);
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, at)) return at + literal.length;
  NUMBER.lastIndex = at;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  throw describeUnexpected(text, at, c === ']' ? 'a value (is there a trailing comma?)' : 'a value');
}

function readKey(text: string, at: number, afterComma: boolean): number {
  let i = skipWhitespace(text, at);
  if (text[i] !== '"') throw describeUnexpected(text, i, afterComma && text[i] === '}' ? 'a double-quoted property name (is there a trailing comma?)' : 'a double-quoted property name');
  i = skipWhitespace(text, stringEnd(text, i));
  if (text[i] !== ':') throw describeUnexpected(text, i, "':' after a property name");
  return i + 1;
}

function scan(text: string): void {
  const stack: Frame[] = [];
  let i = 0;
  for (;;) {
    // A value is expected at i.
    i = skipWhitespace(text, i);
    const c = text[i];
    if (c === '{' || c === '[') {
      const frame: Frame = { isObject: c === '{' };
      const inner = skipWhitespace(text, i + 1);
      if (text[inner] === (c === '{' ? '}' : ']')) i = inner + 1;
      else {
        stack.push(frame);
        i = frame.isObject ? readKey(text, inner, false) : inner;
        continue;
      }
    } else i = scalarEnd(text, i);
    // After a value: close what ends here, then expect the next key or element.
    for (;;) {
      i = skipWhitespace(text, i);
      const top = stack[stack.length - 1];
      if (!top) {
        if (i < text.length) throw describeUnexpected(text, i, 'the end of the file after the top-level value');
        return;
      }
      const d = text[i];
      if (d === ',') {
        i = top.isObject ? readKey(text, i + 1, true) : i + 1;
        break;
      }
      if (d === (top.isObject ? '}' : ']')) {
        stack.pop();
        i++;
        continue;
      }
      throw describeUnexpected(text, i, top.isObject ? "',' or '}' after a property value" : "',' or ']' after an array element");
    }
  }
}

/** The first syntax error of a JSON text, or null when it is valid (slow: for texts JSON.parse rejected). */
export function findSyntaxError(text: string): JsonSyntaxError | null {
  try {
    scan(text);
    return null;
  } catch (err) {
    if (err instanceof ScanFailure) return { offset: err.offset, message: err.message };
    throw err;
  }
}

/** The index of the quote that closes the string opening at `start` (the text is valid JSON). */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (text.charCodeAt(end - 1) === 92) {
    let backslash = end - 1;
    while (text.charCodeAt(backslash) === 92) backslash--;
    if ((end - 1 - backslash) % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  return end;
}

/** An object being scanned: where its keys are in the text (small objects) or its keys (large ones). */
interface OpenObject { starts: number[]; ends: number[]; keys: Map<string, number> | null }

/** Objects with more keys than this switch from comparing positions to a Map (directory.json's numbers). */
const LINEAR_LIMIT = 32;

function sameText(text: string, start1: number, end1: number, start2: number, end2: number): boolean {
  if (end1 - start1 !== end2 - start2) return false;
  for (let i = 0; i < end1 - start1; i++) if (text.charCodeAt(start1 + i) !== text.charCodeAt(start2 + i)) return false;
  return true;
}

const keyAt = (text: string, start: number, end: number): string => {
  const raw = text.slice(start, end);
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
};

/** The offset of an earlier copy of the key at [start, end) in the object, or -1; records the key. */
function firstCopy(text: string, object: OpenObject, start: number, end: number): number {
  let escaped = false;
  for (let i = start; i < end && !escaped; i++) escaped = text.charCodeAt(i) === 92;
  if (!object.keys && (escaped || object.starts.length >= LINEAR_LIMIT)) {
    // Escaped keys are compared decoded; many keys are compared by hash.
    object.keys = new Map(object.starts.map((s, i) => [keyAt(text, s, object.ends[i]!), s - 1]));
  }
  if (object.keys) {
    const key = keyAt(text, start, end);
    const first = object.keys.get(key);
    if (first === undefined) object.keys.set(key, start - 1);
    return first ?? -1;
  }
  for (let i = 0; i < object.starts.length; i++) {
    if (sameText(text, object.starts[i]!, object.ends[i]!, start, end)) return object.starts[i]! - 1;
  }
  object.starts.push(start);
  object.ends.push(end);
  return -1;
}

/**
 * Every key an object repeats, in a text JSON.parse accepted. Only structure is tracked: strings are
 * jumped over with indexOf, and the keys of small objects are compared where they lie in the text,
 * without building a string for each (at 100,000 numbers a Map per object cost twice a JSON.parse).
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // One entry per open container: the object (null for an array), its current key's span, its element index.
  const open: (OpenObject | null)[] = [];
  // Objects are reused per depth: a fresh one per record showed as garbage collection at 100,000 numbers.
  const spare: OpenObject[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const index: number[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = closingQuote(text, i);
      if (expectKey) {
        const depth = open.length - 1;
        const first = firstCopy(text, open[depth]!, i + 1, end);
        keyStart[depth] = i + 1;
        keyEnd[depth] = end;
        if (first !== -1) {
          const path = open.slice(0, depth).map((o, d) => (o ? keyAt(text, keyStart[d]!, keyEnd[d]!) : String(index[d])));
          found.push({ path, key: keyAt(text, i + 1, end), offset: i, firstOffset: first });
        }
        expectKey = false;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      let object: OpenObject | null = null;
      if (c === 123) {
        object = spare[open.length] ??= { starts: [], ends: [], keys: null };
        object.starts.length = 0;
        object.ends.length = 0;
        object.keys = null;
      }
      open.push(object);
      keyStart.push(0);
      keyEnd.push(0);
      index.push(0);
      expectKey = c === 123;
    } else if (c === 125 || c === 93) {
      open.pop();
      keyStart.pop();
      keyEnd.pop();
      index.pop();
    } else if (c === 44) {
      const depth = open.length - 1;
      if (open[depth]) expectKey = true;
      else index[depth]!++;
    }
  }
  return found;
}

/** 1-based line and column (in UTF-16 code units, as editors and GitHub count them) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
