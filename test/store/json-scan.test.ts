/** The JSON scanner behind validate's syntax positions and duplicate keys. */
import { describe, it, expect } from 'vitest';
import { findSyntaxError, findDuplicateKeys, lineColumn } from '../../src/store/json-scan.js';

describe('findSyntaxError', () => {
  it.each([
    ['{"a": 1,}', 8, "unexpected '}': expected a double-quoted property name (is there a trailing comma?)"],
    ['[1,]', 3, "unexpected ']': expected a value (is there a trailing comma?)"],
    ['{"a": 1', 7, "unexpected end of file: expected ',' or '}' after a property value"],
    ['{"a": "x\ny"}', 8, 'unescaped control character or line break in a string'],
    ['{"a": tru}', 6, 'unexpected character: expected a value'],
    ['{} x', 3, 'unexpected character: expected the end of the file after the top-level value'],
  ])('%j: at %i, %s', (text, offset, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findSyntaxError(text)).toEqual({ offset, message });
  });

  it('accepts what JSON.parse accepts, and survives deep nesting without recursion', () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}', '[]', ' "x" ']) expect(findSyntaxError(text)).toBeNull();
    expect(findSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
  });
});

describe('findDuplicateKeys', () => {
  it('finds a repeated key at any depth, with its path and both positions', () => {
    const text = '{"numbers": {"+1": {"a": 1}, "+1": {"a": 2, "b": 3}}, "list": [{"k": 1}, {"k": 1, "k": 2}]}';
    expect(findDuplicateKeys(text)).toEqual([
      { path: ['numbers'], key: '+1', offset: text.lastIndexOf('"+1"'), firstOffset: text.indexOf('"+1"') },
      { path: ['list', '1'], key: 'k', offset: text.lastIndexOf('"k"'), firstOffset: text.lastIndexOf('"k": 1') },
    ]);
  });

  it('compares keys decoded (an escaped key is the same key) and in objects of every size', () => {
    expect(findDuplicateKeys('{"a": 1, "\\u0061": 2}').map((d) => d.key)).toEqual(['a']);
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, i]));
    const text = JSON.stringify(many).replace('}', ', "key7": 0}');
    expect(findDuplicateKeys(text).map((d) => d.key)).toEqual(['key7']);
    expect(findDuplicateKeys(JSON.stringify(many))).toEqual([]);
  });

  it('is not fooled by quotes, braces and commas inside strings', () => {
    expect(findDuplicateKeys('{"a": "x\\", \\"a\\": {", "b": "}", "c": ","}')).toEqual([]);
  });
});

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 8)).toEqual({ line: 3, column: 3 });
  });
});
