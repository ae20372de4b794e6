import { createRequire } from 'node:module';
import type TableType from 'cli-table3';

// Loaded on first use: `show` and `validate` print no table and should not pay for it at start-up.
let Table: typeof TableType | undefined;

/** A borderless, aligned table: readable in a terminal and stable in a pipe. */
export function renderTable(head: string[], rows: string[][]): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof TableType;
  const table = new Table({
    head,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...rows);
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}
