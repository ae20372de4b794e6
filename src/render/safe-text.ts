/**
 * Text from providers and hand-edited files (nicknames, agent names, friendly names, notes, tags) reaches a
 * terminal through human output. A raw ESC can retitle the window, hide lines or fake a prompt; a newline
 * can forge a table row; bidi overrides reorder what follows. Every human renderer passes such text
 * through here, before colouring. JSON output needs none of this: JSON.stringify escapes control characters.
 */

// C0 controls, DEL, C1 controls (0x9b is an 8-bit CSI), line/paragraph separators, bidi embeddings,
// overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g; // eslint-disable-line no-control-regex
const UNSAFE_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g; // eslint-disable-line no-control-regex

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character shown as a visible escape (`\x1b`, `\n`), so it prints as one inert line. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** The same, keeping tabs and line breaks: for CSV, whose quoted fields may hold them as data. */
export function safeData(text: string): string {
  return text.replace(UNSAFE_EXCEPT_LINE_BREAKS, visible);
}

/** safeText for optional values: null and undefined stay as they are, so callers keep their `?? '-'`. */
export function safeOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : safeText(text);
}
