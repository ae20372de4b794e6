import { safeText } from './safe-text.js';

/**
 * Markdown for pull-request comments. Text from files and providers is data, never markup: control
 * characters are shown as escapes (safeText), and what would break a table or start markup is escaped —
 * `\`, `|`, backticks, `<`/`>` (HTML), `*`/`_`/`~`/`[`/`]` (emphasis, links) and `@` (a mention would ping
 * someone). No ANSI colour is ever written: nothing here takes a chalk instance.
 */
const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '@': '&#64;' };

export function mdText(text: string): string {
  return safeText(text).replace(/[\\|`*_~[\]]/g, (c) => `\\${c}`).replace(/[<>&@]/g, (c) => ESCAPES[c]!);
}

/** Tables longer than this are folded into a <details> block, so a big change does not bury the comment. */
export const COLLAPSE_AFTER = 50;

/**
 * A table (cells are escaped here: pass plain text). Past COLLAPSE_AFTER rows the whole table goes inside
 * `<details>`, its summary saying what it holds.
 */
export function mdTable(head: string[], rows: string[][], what: string): string {
  const line = (cells: string[]) => `| ${cells.map(mdText).join(' | ')} |`;
  const table = [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
  if (rows.length <= COLLAPSE_AFTER) return table;
  return `<details><summary>${mdText(what)} (${rows.length} rows)</summary>\n\n${table}\n\n</details>`;
}

export function mdHeading(level: 2 | 3, text: string): string {
  return `${'#'.repeat(level)} ${mdText(text)}`;
}

/** Blocks joined by one blank line, ending with a newline. */
export function mdDocument(blocks: string[]): string {
  return `${blocks.filter((b) => b !== '').join('\n\n')}\n`;
}

const collator = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows in a stable order: by each cell in turn (byte order, independent of the locale). */
export function sortRows(rows: string[][]): string[][] {
  return [...rows].sort((x, y) => {
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const c = collator(x[i] ?? '', y[i] ?? '');
      if (c) return c;
    }
    return 0;
  });
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
