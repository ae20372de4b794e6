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

/**
 * Every key an object repeats, in a text JSON.parse accepted. Only structure is tracked (strings are
 * jumped over with indexOf): at 100,000 numbers this pass costs well under a JSON.parse.
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // One entry per open container: its keys (null for an array), its current key and its element index.
  const keys: (Map<string, number> | null)[] = [];
  const currentKey: string[] = [];
  const index: number[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = closingQuote(text, i);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const depth = keys.length - 1;
        const first = keys[depth]!.get(key);
        if (first === undefined) keys[depth]!.set(key, i);
        else found.push({ path: keys.slice(0, depth).map((k, d) => (k ? currentKey[d]! : String(index[d]))), key, offset: i, firstOffset: first });
        currentKey[depth] = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      keys.push(c === 123 ? new Map() : null);
      currentKey.push('');
      index.push(0);
      expectKey = c === 123;
    } else if (c === 125 || c === 93) {
      keys.pop();
      currentKey.pop();
      index.pop();
    } else if (c === 44) {
      const depth = keys.length - 1;
      if (keys[depth]) expectKey = true;
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
