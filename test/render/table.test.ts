import { describe, it, expect } from 'vitest';
import { renderTable, displayWidth } from '../../src/render/table.js';

describe('renderTable', () => {
  it('pads every column to its widest cell, two spaces apart, with no trailing spaces', () => {
    expect(renderTable(['Number', 'Agent', 'Pool'], [['+14155550101', 'agents/sales-agent', ''], ['+1', 'x', 'sales']]))
      .toBe('Number        Agent               Pool\n+14155550101  agents/sales-agent\n+1            x                   sales');
  });

  it('aligns by terminal columns: colours take none, wide characters two, combining marks none', () => {
    const dim = (text: string) => `\u001b[2m${text}\u001b[22m`;
    const out = renderTable(['Nick', 'End'], [[dim('ab'), '|'], ['日本', '|'], ['e\u0301', '|']]).split('\n');
    expect(out.map((line) => displayWidth(line))).toEqual([9, 7, 7, 7]);
    expect(out[2]).toBe('日本  |');
    expect(out[3]).toBe('e\u0301     |');
  });

  it('without a head, lays out the rows alone', () => {
    expect(renderTable([], [['  +14155550101', 'in'], ['  +1', 'both']])).toBe('  +14155550101  in\n  +1            both');
  });

  it('lays out thousands of rows in one pass (list at 3,000 numbers)', () => {
    const rows = Array.from({ length: 3000 }, (_, index) => [`+1415555${String(index).padStart(4, '0')}`, index % 7 === 0 ? 'unassigned' : 'agents/a']);
    const lines = renderTable(['Number', 'Agent'], rows).split('\n');
    expect(lines).toHaveLength(3001);
    expect(new Set(lines.slice(1).map((line) => line.indexOf('  ') + 2))).toEqual(new Set([14]));
  });
});
