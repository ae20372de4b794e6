// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (0x9b is an 8-bit CSI) and bidi overrides
// raw; as \u escapes they mean the same to a JSON reader and nothing to a terminal.
const TERMINAL_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function renderJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(TERMINAL_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}
