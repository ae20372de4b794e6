import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sampleProject, editJson, removeProject } from '../helpers/fixture.js';
import { startProject, ok, type Project } from '../pool/helpers.js';

const ANSI = /\u001b\[/; // eslint-disable-line no-control-regex
const COLOR = { FORCE_COLOR: '1', NO_COLOR: '' };

describe('--format markdown at the command line', () => {
  let dir: string;
  beforeAll(async () => { dir = await sampleProject({ withConfig: true }); });
  afterAll(async () => { await removeProject(dir); });

  it('diff: the comment, never coloured, the same every run; --json and text still work', async () => {
    const r = await runCli(['diff', 'staging', 'production', '--format', 'markdown', '--exit-code'], { cwd: dir, env: COLOR });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['## phone-dir diff: staging ↔ production', '', '**5 differences**: 1 only in staging, 0 only in production, 4 assigned differently.']);
    expect(r.stdout).toContain('| +14155550108 | agents/after-hours (inbound-only) | unassigned |');
    expect((await runCli(['diff', 'staging', 'production', '--format', 'markdown'], { cwd: dir })).stdout).toBe(r.stdout);
    const json = await runCli(['diff', 'staging', 'production', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout).only_in_a).toHaveLength(1);
    expect((await runCli(['diff', 'staging', 'production'], { cwd: dir })).stdout).toContain('Only in staging (1):');
    const bad = await runCli(['diff', 'staging', 'production', '--format', 'html'], { cwd: dir });
    expect([bad.exitCode, bad.stderr.split('\n')[0]]).toEqual([2, 'error: --format: "html" is not one of text, json, markdown']);
  });

  it('validate: passed, then the findings as a table (exit 1), escaped', async () => {
    const clean = await runCli(['validate', '--format', 'markdown'], { cwd: dir });
    expect([clean.exitCode, clean.stdout]).toEqual([0, '## phone-dir validate: passed\n\n**0 errors, 0 warnings**.']);
    const broken = await sampleProject();
    try {
      await editJson(path.join(broken, 'phone-numbers', 'directory.json'), (j) => { j.numbers['+14155550101'].pool = 'ghost|`pool`'; });
      const r = await runCli(['validate', '--format', 'markdown', '--strict'], { cwd: broken, env: COLOR });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).not.toMatch(ANSI);
      expect(r.stdout).toContain('## phone-dir validate: failed');
      expect(r.stdout).toMatch(/\| unknown-pool \| [^|]* \| .*ghost\\\|\\`pool\\`/);
    } finally {
      await removeProject(broken);
    }
  });

  it('report: --format markdown, also into --output', async () => {
    const r = await runCli(['report', '--format', 'markdown'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^## Phone number directory report\n\n\*\*12 numbers\*\*: 10 assigned, 2 unassigned \(generated \d{4}-/);
    expect(r.stdout).toContain('| workspace | platform | numbers | assigned |\n| --- | --- | --- | --- |\n| production | retell | 11 | 7 |\n| staging | retell | 12 | 9 |');
    const out = await runCli(['report', '--format', 'markdown', '--output', 'inventory.md'], { cwd: dir });
    expect([out.exitCode, out.stderr]).toEqual([0, 'wrote inventory.md (markdown)']);
    expect(await readFile(path.join(dir, 'inventory.md'), 'utf8')).toContain('### Top agents');
  });
});

describe('sync plan as Markdown (sandbox)', () => {
  let p: Project;
  beforeAll(async () => { p = await startProject(); }, 60_000);
  afterAll(async () => { await p?.close(); });

  it('--check --format markdown: the plan as a table, exit 1 on drift; then sync --format markdown applies it', async () => {
    await editJson(p.file('phone-numbers/directory.json'), (j) => { j.numbers['+14155550101'].phone_number_pretty = '(999) | 999'; });
    const check = await p.run(['sync', '--all', '--check', '--format', 'markdown']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).not.toMatch(ANSI);
    const lines = check.stdout.split('\n');
    expect(lines[0]).toBe('## phone-dir sync (plan): 1 change');
    expect(lines[2]).toMatch(/^\*\*sync: would change: .+\*\*$/);
    expect(check.stdout).toContain('| number | workspace | change | details |');
    expect(check.stdout).toContain('| +14155550101 |  | change | phone-numbers/directory.json: phone\\_number\\_pretty "(999) \\| 999" → "(415) 555-0101" |');
    const again = await p.run(['sync', '--all', '--check', '--format', 'markdown']);
    expect(again.stdout).toBe(check.stdout);
    const applied = await ok(p.run(['sync', '--all', '--format', 'markdown']));
    expect(applied.stdout.split('\n')[0]).toBe('## phone-dir sync: 1 change');
    const clean = await ok(p.run(['sync', '--all', '--check', '--format', 'markdown']));
    expect(clean.stdout).toBe('## phone-dir sync (plan): no changes\n\n**sync: up to date**');
  });
});
