import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, mkdir, cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { sampleProject, editJson, removeProject } from '../helpers/fixture.js';
import { generateHistoryRepo } from '../../scripts/bench/history-repo.mjs';
import type { NumberHistory, FieldChange } from '../../src/core/history.js';

const PHONE = '+14155550102';
const git = async (dir: string, ...args: string[]) => (await execa('git', args, { cwd: dir })).stdout;

async function commitAll(dir: string, message: string, date: string): Promise<void> {
  await git(dir, 'add', '-A', 'phone-numbers');
  await execa('git', ['commit', '-q', '-m', message], { cwd: dir, env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
}

async function initRepo(dir: string): Promise<void> {
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.email', 'test@phone-dir.test');
  await git(dir, 'config', 'user.name', 'phone-dir test');
}

/** Renames an agent folder's path for one number in one workspace, in both files that name it (by hand). */
async function renameAgentPath(dir: string, ws: string, phone: string, to: string): Promise<void> {
  await editJson(path.join(dir, 'phone-numbers', ws, 'assignments.json'), (j) => {
    for (const a of j.assignments) if (a.phone_number === phone) a.agent_path = to;
  });
  await editJson(path.join(dir, 'phone-numbers', 'directory.json'), (j) => { j.numbers[phone].workspaces[ws].agent_path = to; });
}

async function history(dir: string, ...args: string[]): Promise<NumberHistory> {
  const r = await runCli(['history', ...args, '--json'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as NumberHistory;
}

const agent = (agent_id: string, agent_path: string | null) => [{ agent_id, agent_path, weight: 1 }];

describe('phone-dir history', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await sampleProject({ withConfig: true });
    await initRepo(dir);
    await commitAll(dir, 'Phone number directory', '2026-01-01T10:00:00Z');
    // Made by phone-dir itself: number update changes only the directory for --pool and --status.
    let r = await runCli(['number', 'update', PHONE, '--workspace', 'staging', '--pool', 'sales-pool'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    await commitAll(dir, 'Pool the support line', '2026-01-02T10:00:00Z');
    // A branch renames the agent folder in production while main changes the status: then a merge.
    await git(dir, 'checkout', '-q', '-b', 'rename');
    await renameAgentPath(dir, 'production', PHONE, 'agents/support-first-line');
    await commitAll(dir, 'Rename support-tier1 (production)', '2026-01-03T10:00:00Z');
    await git(dir, 'checkout', '-q', 'main');
    r = await runCli(['number', 'update', PHONE, '--workspace', 'staging', '--status', 'reserved'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    await commitAll(dir, 'Reserve the support line', '2026-01-04T10:00:00Z');
    await execa('git', ['merge', '-q', '--no-ff', '-m', 'Merge rename', 'rename'], { cwd: dir, env: { GIT_AUTHOR_DATE: '2026-01-05T10:00:00Z', GIT_COMMITTER_DATE: '2026-01-05T10:00:00Z' } });
    // By hand: the number leaves production (all three views), and staging gets an outbound agent too.
    await editJson(path.join(dir, 'phone-numbers', 'directory.json'), (j) => { delete j.numbers[PHONE].workspaces.production; });
    await editJson(path.join(dir, 'phone-numbers', 'production', 'assignments.json'), (j) => { j.assignments = j.assignments.filter((a: { phone_number: string }) => a.phone_number !== PHONE); });
    await editJson(path.join(dir, 'phone-numbers', 'production', 'numbers.json'), (j) => { j.numbers = j.numbers.filter((a: { phone_number: string }) => a.phone_number !== PHONE); });
    await editJson(path.join(dir, 'phone-numbers', 'staging', 'assignments.json'), (j) => {
      for (const a of j.assignments) if (a.phone_number === PHONE) Object.assign(a, { assignment_type: 'inbound-outbound', outbound_agent_id: 'agent_stg_booking_1a2b3c' });
    });
    await commitAll(dir, 'Retire the support line in production', '2026-01-06T10:00:00Z');
    // A commit that touches the views but not this number is not part of its history.
    await editJson(path.join(dir, 'phone-numbers', 'directory.json'), (j) => { j.numbers['+14155550101'].notes = 'changed'; });
    await commitAll(dir, 'Another number', '2026-01-07T10:00:00Z');
  });
  afterAll(async () => { await removeProject(dir); });

  it('lists every change to the number, newest first, each once (a merge that took a branch as it was adds nothing)', async () => {
    const h = await history(dir, '(415) 555-0102');
    expect(h.phone_number).toBe(PHONE);
    expect(h.changes.map((c) => [c.subject, c.date, c.author])).toEqual([
      ['Retire the support line in production', '2026-01-06T10:00:00Z', 'phone-dir test'],
      ['Reserve the support line', '2026-01-04T10:00:00Z', 'phone-dir test'],
      ['Rename support-tier1 (production)', '2026-01-03T10:00:00Z', 'phone-dir test'],
      ['Pool the support line', '2026-01-02T10:00:00Z', 'phone-dir test'],
      ['Phone number directory', '2026-01-01T10:00:00Z', 'phone-dir test'],
    ]);
    const short = await git(dir, 'rev-parse', '--short', 'HEAD~1');
    expect(h.changes[0]!.commit).toBe(short);
    const [retire, reserve, rename, pool, first] = h.changes.map((c) => c.changes);
    expect(retire).toEqual<FieldChange[]>([
      { workspace: 'production', field: 'in_workspace', from: true, to: false },
      { workspace: 'production', field: 'assignment_type', from: 'inbound-only', to: null },
      { workspace: 'production', field: 'inbound_agents', from: agent('agent_prd_support1_c07e55', 'agents/support-first-line'), to: [] },
      { workspace: 'staging', field: 'assignment_type', from: 'inbound-only', to: 'inbound-outbound' },
      { workspace: 'staging', field: 'outbound_agents', from: [], to: agent('agent_stg_booking_1a2b3c', null) },
    ]);
    expect(reserve).toEqual([{ workspace: null, field: 'status', from: 'active', to: 'reserved' }]);
    expect(rename).toEqual([{ workspace: 'production', field: 'inbound_agents', from: agent('agent_prd_support1_c07e55', 'agents/support-tier1'), to: agent('agent_prd_support1_c07e55', 'agents/support-first-line') }]);
    expect(pool).toEqual([{ workspace: null, field: 'pool', from: null, to: 'sales-pool' }]);
    expect(first).toEqual([
      { workspace: null, field: 'in_directory', from: false, to: true },
      { workspace: null, field: 'status', from: null, to: 'active' },
      { workspace: 'production', field: 'in_workspace', from: false, to: true },
      { workspace: 'production', field: 'assignment_type', from: null, to: 'inbound-only' },
      { workspace: 'production', field: 'inbound_agents', from: [], to: agent('agent_prd_support1_c07e55', 'agents/support-tier1') },
      { workspace: 'staging', field: 'in_workspace', from: false, to: true },
      { workspace: 'staging', field: 'assignment_type', from: null, to: 'inbound-only' },
      { workspace: 'staging', field: 'inbound_agents', from: [], to: agent('agent_stg_support1_91ab04', 'agents/support-tier1') },
    ]);
  });

  it('reports what a merge itself decided, and only that', async () => {
    const repo = await sampleProject();
    try {
      await initRepo(repo);
      await commitAll(repo, 'base', '2026-02-01T10:00:00Z');
      await git(repo, 'checkout', '-q', '-b', 'side');
      await editJson(path.join(repo, 'phone-numbers', 'directory.json'), (j) => { j.numbers[PHONE].status = 'reserved'; });
      await commitAll(repo, 'side: reserved', '2026-02-02T10:00:00Z');
      await git(repo, 'checkout', '-q', 'main');
      await editJson(path.join(repo, 'phone-numbers', 'directory.json'), (j) => { j.numbers[PHONE].status = 'protected'; });
      await commitAll(repo, 'main: protected', '2026-02-03T10:00:00Z');
      await execa('git', ['merge', '-q', 'side', '-m', 'merge'], { cwd: repo, reject: false });
      // The conflict is resolved to a third value: only the merge says so.
      await execa('git', ['checkout', '--theirs', 'phone-numbers/directory.json'], { cwd: repo });
      await editJson(path.join(repo, 'phone-numbers', 'directory.json'), (j) => { j.numbers[PHONE].status = 'active'; j.numbers[PHONE].pool = 'sales-pool'; });
      await commitAll(repo, 'merge side', '2026-02-04T10:00:00Z');
      const h = await history(repo, PHONE);
      expect(h.changes.map((c) => [c.subject, c.changes])).toEqual([
        ['merge side', [{ workspace: null, field: 'pool', from: null, to: 'sales-pool' }, { workspace: null, field: 'status', from: 'protected', to: 'active' }]],
        ['main: protected', [{ workspace: null, field: 'status', from: 'active', to: 'protected' }]],
        ['side: reserved', [{ workspace: null, field: 'status', from: 'active', to: 'reserved' }]],
        ['base', expect.any(Array)],
      ]);
    } finally {
      await removeProject(repo);
    }
  });

  it('prints one block per commit in text, and --limit keeps the newest', async () => {
    const r = await runCli(['history', PHONE, '--limit', '2'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`History of ${PHONE} (2 commits, newest first)`);
    expect(lines[2]).toMatch(/^[0-9a-f]{7,} {2}2026-01-06T10:00:00Z {2}phone-dir test {2}Retire the support line in production$/);
    expect(lines.slice(3, 8)).toEqual([
      '  production: removed from the workspace',
      '  production: assignment type: inbound-only → (none)',
      '  production: inbound agent: agents/support-first-line (agent_prd_support1_c07e55) → (none)',
      '  staging: assignment type: inbound-only → inbound-outbound',
      '  staging: outbound agent: (none) → agent_stg_booking_1a2b3c',
    ]);
    expect(r.stdout).toContain('  status: active → reserved');
    expect(r.stdout).not.toContain('Pool the support line');
  });

  it('refuses bad input with the documented exit codes', async () => {
    const invalid = await runCli(['history', '+1415555010'], { cwd: dir });
    expect([invalid.exitCode, invalid.stderr]).toEqual([2, expect.stringContaining('invalid phone number: "+1415555010"')]);
    const limit = await runCli(['history', PHONE, '--limit', '0'], { cwd: dir });
    expect([limit.exitCode, limit.stderr]).toEqual([2, expect.stringContaining('--limit: "0" is not a positive whole number')]);
    const unknown = await runCli(['history', '+14155550199'], { cwd: dir });
    expect([unknown.exitCode, unknown.stderr.split('\n')[0]]).toEqual([4, 'error: no history for +14155550199: no commit of phone-numbers/ has it']);
    const unknownJson = await runCli(['history', '+14155550199', '--json'], { cwd: dir });
    expect([unknownJson.exitCode, unknownJson.stdout, JSON.parse(unknownJson.stderr).error.code]).toEqual([4, '', 4]);
    const plain = await sampleProject();
    try {
      const r = await runCli(['history', PHONE], { cwd: plain, env: { GIT_CEILING_DIRECTORIES: path.dirname(plain) } });
      expect([r.exitCode, r.stderr.split('\n')[0]]).toEqual([2, `error: history: ${plain} is not inside a Git repository, so phone-numbers/ has no history`]);
    } finally {
      await removeProject(plain);
    }
  });

  it('skips a committed conflict with a warning instead of reporting the number removed and re-added', async () => {
    const repo = await sampleProject();
    try {
      await initRepo(repo);
      await commitAll(repo, 'base', '2026-03-01T10:00:00Z');
      const file = path.join(repo, 'phone-numbers', 'directory.json');
      await writeFile(file, '<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> side\n');
      await commitAll(repo, 'broken', '2026-03-02T10:00:00Z');
      await git(repo, 'checkout', '-q', 'HEAD~1', '--', 'phone-numbers/directory.json');
      await editJson(file, (j) => { j.numbers[PHONE].status = 'reserved'; });
      await commitAll(repo, 'fixed', '2026-03-03T10:00:00Z');
      const r = await runCli(['history', PHONE, '--json'], { cwd: repo });
      expect(r.exitCode).toBe(0);
      const broken = await git(repo, 'rev-parse', '--short', 'HEAD~1');
      expect(r.stderr).toBe(`warning: ${broken}:phone-numbers/directory.json is not JSON (a committed conflict?); the next good version is compared with the last good one`);
      const h = JSON.parse(r.stdout) as NumberHistory;
      // The repair is compared with the last good version: one status change, no removal and re-adding.
      expect(h.changes.map((c) => [c.subject, c.changes.length])).toEqual([['fixed', 1], ['base', 8]]);
      expect(h.changes[0]!.changes).toEqual([{ workspace: null, field: 'status', from: 'active', to: 'reserved' }]);
    } finally {
      await removeProject(repo);
    }
  });

  it('works for a project in a subfolder of the repository', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'phone-dir-history-'));
    try {
      await initRepo(repo);
      await mkdir(path.join(repo, 'infra'));
      await cp(path.join(REPO_ROOT, 'phone-numbers'), path.join(repo, 'infra', 'phone-numbers'), { recursive: true });
      await writeFile(path.join(repo, 'README'), 'x\n');
      await git(repo, 'add', '-A');
      await git(repo, 'commit', '-q', '-m', 'add');
      const h = await history(repo, '-C', 'infra', PHONE);
      expect(h.changes.map((c) => c.subject)).toEqual(['add']);
    } finally {
      await removeProject(repo);
    }
  });

  it('reads a 300-commit sync history exactly (the benchmark runs 5,000)', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'phone-dir-history-'));
    try {
      const generated = await generateHistoryRepo(repo, { commits: 300, numbers: 30, target: 0 });
      const h = await history(repo, generated.phone);
      expect(h.changes.map((c) => ({ subject: c.subject, changes: c.changes }))).toEqual(generated.expected);
      expect(generated.expected.length).toBe(10);
      // Every kind of change the generator makes reached the target.
      expect(new Set(h.changes.flatMap((c) => c.changes.map((x) => x.field)))).toEqual(new Set(['in_directory', 'status', 'in_workspace', 'assignment_type', 'inbound_agents', 'outbound_agents', 'pool']));
      // Another number's history holds its own commits only (k * 7 ≡ 7 mod 30: commits 1, 31, 61, …).
      const other = await history(repo, '+14152000007');
      expect(other.changes.map((c) => c.subject)).toEqual([...generated.subjects.filter((s) => s.startsWith('sync: +14152000007 ')).reverse(), 'Phone number directory']);
    } finally {
      await removeProject(repo);
    }
  });
});
