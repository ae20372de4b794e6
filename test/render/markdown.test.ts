import { describe, it, expect } from 'vitest';
import { mdText, mdTable, sortRows, COLLAPSE_AFTER } from '../../src/render/markdown.js';
import { renderDiffMarkdown } from '../../src/render/markdown-diff.js';
import { renderValidateMarkdown } from '../../src/render/markdown-validate.js';
import { renderSyncMarkdown } from '../../src/render/markdown-sync.js';
import type { WorkspaceDiff } from '../../src/core/query.js';
import type { Change } from '../../src/core/plan.js';

const leg = (agent_id: string, agent_path: string) => [{ agent_id, agent_path, weight: 1 }];

describe('markdown helpers', () => {
  it('escapes what would break a table or become markup, and shows control characters as escapes', () => {
    expect(mdText('a|b `c` *d* _e_ [f](g) <img> @team & \\')).toBe('a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) &lt;img&gt; &#64;team &amp; \\\\');
    // safeText's escapes keep their backslash when rendered: `\\x1b` shows as \x1b.
    expect(mdText('red \x1b[31m\nline')).toBe('red \\\\x1b\\[31m\\\\nline');
  });

  it('renders a table with escaped cells, and folds it into <details> past 50 rows', () => {
    expect(mdTable(['a', 'b|c'], [['1', 'x|y'], ['2', '`z`']], 'Things')).toBe('| a | b\\|c |\n| --- | --- |\n| 1 | x\\|y |\n| 2 | \\`z\\` |');
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [String(i)]);
    expect(mdTable(['n'], rows(COLLAPSE_AFTER), 'Rows')).not.toContain('<details>');
    const big = mdTable(['n'], rows(COLLAPSE_AFTER + 1), 'Rows');
    expect(big.startsWith('<details><summary>Rows (51 rows)</summary>\n\n| n |\n| --- |\n| 0 |\n')).toBe(true);
    expect(big.endsWith('| 50 |\n\n</details>')).toBe(true);
  });

  it('sorts rows by each cell in byte order, whatever the input order', () => {
    expect(sortRows([['b', '1'], ['a', '2'], ['a', '10'], ['B', '0']])).toEqual([['B', '0'], ['a', '10'], ['a', '2'], ['b', '1']]);
  });
});

describe('diff as Markdown', () => {
  const diff: WorkspaceDiff = {
    only_in_a: [{ phone_number: '+14155550102', assignment_type: 'inbound-only', agent_path: 'agents/b|ad', inbound_agents: leg('agent_b', 'agents/b|ad'), outbound_agents: [] }],
    only_in_b: [],
    different: [{
      phone_number: '+14155550101',
      a: { agent_path: 'agents/sales', agent_id: 'agent_s', assignment_type: 'inbound-outbound', inbound_agents: leg('agent_s', 'agents/sales'), outbound_agents: leg('agent_s', 'agents/sales') },
      b: { agent_path: null, agent_id: null, assignment_type: 'unassigned', inbound_agents: [], outbound_agents: [] },
    }],
  };

  it('has a heading, a summary line and one table per section, in a fixed order', () => {
    expect(renderDiffMarkdown('staging', 'production', diff, 2)).toBe([
      '## phone-dir diff: staging ↔ production',
      '',
      '**2 differences**: 1 only in staging, 0 only in production, 1 assigned differently.',
      '',
      '### Only in staging (1)',
      '',
      '| number | agent |',
      '| --- | --- |',
      '| +14155550102 | agents/b\\|ad (inbound-only) |',
      '',
      '### Only in production (0)',
      '',
      '_None._',
      '',
      '### Assigned differently (1)',
      '',
      '| number | staging | production |',
      '| --- | --- | --- |',
      '| +14155550101 | agents/sales (inbound-outbound) | unassigned |',
      '',
    ].join('\n'));
  });

  it('says identical in one line', () => {
    expect(renderDiffMarkdown('staging', 'staging', { only_in_a: [], only_in_b: [], different: [] }, 3))
      .toBe('## phone-dir diff: staging ↔ staging\n\n**Identical**: staging compared with itself (3 numbers).\n');
  });

  it('is the same for the same differences in any order', () => {
    const many: WorkspaceDiff = { only_in_a: [], only_in_b: [], different: [] };
    for (let i = 0; i < 60; i++) many.only_in_a.push({ ...diff.only_in_a[0]!, phone_number: `+1415555${String(10000 + ((i * 37) % 60)).slice(1)}` });
    const reversed = { ...many, only_in_a: [...many.only_in_a].reverse() };
    const out = renderDiffMarkdown('staging', 'production', many, 60);
    expect(renderDiffMarkdown('staging', 'production', reversed, 60)).toBe(out);
    expect(out).toContain('<details><summary>Only in staging (60 rows)</summary>');
    expect(out.indexOf('+14155550000')).toBeLessThan(out.indexOf('+14155550059'));
  });
});

describe('validate as Markdown', () => {
  it('lists errors then warnings, sorted, with where each is', () => {
    const out = renderValidateMarkdown({
      ok: false,
      errors: [
        { rule: 'e164', severity: 'error', message: 'bad `number` | here', file: 'phone-numbers/directory.json' },
        { rule: 'duplicate-key', severity: 'error', message: 'key repeated', file: 'phone-numbers/directory.json', line: 8, column: 7 },
      ],
      warnings: [{ rule: 'not-imported', severity: 'warning', message: '+14155550109 is imported in no workspace' }],
    } as never);
    expect(out).toBe([
      '## phone-dir validate: failed',
      '',
      '**2 errors, 1 warning** (exit 1).',
      '',
      '### Errors (2)',
      '',
      '| rule | where | finding |',
      '| --- | --- | --- |',
      '| duplicate-key | phone-numbers/directory.json:8:7 | key repeated |',
      '| e164 | phone-numbers/directory.json | bad \\`number\\` \\| here |',
      '',
      '### Warnings (1)',
      '',
      '| rule | where | finding |',
      '| --- | --- | --- |',
      '| not-imported |  | +14155550109 is imported in no workspace |',
      '',
    ].join('\n'));
  });
});

describe('sync plan as Markdown', () => {
  const changes: Change[] = [
    { kind: 'change', scope: 'assignment', phone_number: '+14155550102', workspace: 'staging', summary: '~ +14155550102 staging: agents/a (inbound-only) → agents/b (inbound-only)' },
    { kind: 'add', scope: 'number', phone_number: '+14155550101', summary: '+ +14155550101 added (twilio, local, in staging)' },
    { kind: 'change', scope: 'file', phone_number: '', file: 'phone-numbers/directory.json', summary: "~ phone-numbers/directory.json: rewritten in phone-dir's layout (no value changes)" },
  ];

  it('is a table of the changes, sorted, with the state line and the problems', () => {
    expect(renderSyncMarkdown({ command: 'sync', dryRun: true, state: 'sync: would change: 1 added, 1 reassigned', changes, refusedChanges: [], problems: ['twilio failed: 401 <denied>'] })).toBe([
      '## phone-dir sync (plan): 3 changes',
      '',
      '**sync: would change: 1 added, 1 reassigned**',
      '',
      '| number | workspace | change | details |',
      '| --- | --- | --- | --- |',
      "|  |  | change | phone-numbers/directory.json: rewritten in phone-dir's layout (no value changes) |",
      '| +14155550101 |  | add | added (twilio, local, in staging) |',
      '| +14155550102 | staging | change | agents/a (inbound-only) → agents/b (inbound-only) |',
      '',
      '### Problems',
      '',
      '- twilio failed: 401 &lt;denied&gt;',
      '',
    ].join('\n'));
  });

  it('says no changes when there are none', () => {
    expect(renderSyncMarkdown({ command: 'sync', dryRun: false, state: 'sync: up to date', changes: [], refusedChanges: [], problems: [] }))
      .toBe('## phone-dir sync: no changes\n\n**sync: up to date**\n');
  });
});
