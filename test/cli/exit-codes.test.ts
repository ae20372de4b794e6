/**
 * One table, argv → exit code, over every command (spec/cli.md's exit codes): no project, unknown
 * workspace, unknown agent, unknown number, bad flag. Every row runs on fixture directories: the rows
 * fail before any provider is contacted, so no sandbox is needed.
 */
import { describe, it, beforeAll, afterAll, expect } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { sampleProject, emptyProject, removeProject, snapshotTree, editJson } from '../helpers/fixture.js';
import { exitCodesMarkdown, exitCodesText } from '../../src/cli/exit-codes.js';

const N = '+14155550101';
const UNKNOWN_N = '+14155559999';

/** Every command with the arguments it needs to get past parsing. */
const EVERY_COMMAND: string[][] = [
  ['sync', '--all'], ['sync-twilio'], ['sync-retell', '--all'],
  ['list'], ['show', N], ['agent-numbers', 'agents/sales-agent'], ['unassigned'], ['search', '--tag', 'sales'],
  ['validate'], ['diff', 'staging', 'production'], ['report'], ['status'],
  ['number', 'import', '+14155550199', 'x.pstn.twilio.com', '-w', 'staging'], ['number', 'update', N, '-w', 'staging', '--nickname', 'x'],
  ['number', 'delete', N, '-w', 'staging', '--yes'],
  ['pool', 'provision', '-w', 'staging', '--dry-run'], ['pool', 'assign', '-w', 'staging', '-a', 'agents/sales-agent'],
  ['pool', 'release', '--expired'], ['pool', 'hold', N, '-w', 'staging', '--until', '1h'], ['pool', 'health'],
  ['pool', 'ensure', '-w', 'staging', '--min', '1', '--dry-run'],
];

/** Commands a workspace can be given to, with a mistyped one. */
const TYPO = 'stagign';
const WITH_WORKSPACE: string[][] = [
  ['sync', '-w', TYPO], ['sync-retell', '-w', TYPO], ['list', '-w', TYPO], ['search', '-w', TYPO], ['unassigned', '-w', TYPO],
  ['agent-numbers', 'agents/sales-agent', '-w', TYPO], ['diff', 'staging', TYPO], ['diff', TYPO, 'staging'],
  ['number', 'import', '+14155550199', 'x.pstn.twilio.com', '-w', TYPO], ['number', 'update', N, '-w', TYPO, '--nickname', 'x'],
  ['number', 'delete', N, '-w', TYPO, '--yes'], ['pool', 'provision', '-w', TYPO, '--dry-run'], ['pool', 'assign', '-w', TYPO, '-a', 'agents/sales-agent'],
  ['pool', 'release', N, '-w', TYPO], ['pool', 'hold', N, '-w', TYPO, '--until', '1h'], ['pool', 'health', '-w', TYPO],
  ['pool', 'ensure', '-w', TYPO, '--min', '1', '--dry-run'],
];

const UNKNOWN_AGENT: string[][] = [
  ['list', '--agent', 'agents/nobody'], ['search', '--agent', 'agents/nobody'], ['agent-numbers', 'agents/nobody'],
  ['list', '--agent', 'agent_nobody'], ['agent-numbers', 'agent_nobody', '-w', 'staging'],
  ['pool', 'assign', '-w', 'staging', '-a', 'agents/nobody'], ['pool', 'release', '--agent', 'agents/nobody'],
  ['pool', 'release', '--agent', 'agents/nobody', '-w', 'staging'], ['number', 'update', N, '-w', 'staging', '--inbound-agent', 'agents/nobody'],
];

const UNKNOWN_NUMBER: string[][] = [
  ['show', UNKNOWN_N], ['pool', 'release', UNKNOWN_N, '-w', 'staging'], ['pool', 'hold', UNKNOWN_N, '-w', 'staging', '--until', '1h'],
  ['number', 'update', UNKNOWN_N, '-w', 'staging', '--nickname', 'x'], ['number', 'delete', UNKNOWN_N, '-w', 'staging', '--yes'],
];

const label = (args: string[]) => args.join(' ');

let outside: string;
let project: string;
let noConfig: string;

beforeAll(async () => {
  [outside, project, noConfig] = await Promise.all([emptyProject(), sampleProject({ withConfig: true }), sampleProject()]);
});
afterAll(async () => {
  await Promise.all([outside, project, noConfig].map(removeProject));
});

describe('exit codes: argv → code over every command', () => {
  it.concurrent.for(EVERY_COMMAND.map((args) => [label(args), args] as const))('no project: %s → 2, naming the folder and init', async ([, args]) => {
    const r = await runCli(args, { cwd: outside });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`no workspaces.json or phone-numbers/ in ${outside} or its parents (run phone-dir init)`);
    expect(r.stdout).toBe('');
  });

  it.concurrent.for([['list'], ['report'], ['pool', 'health'], ['validate'], ['sync', '--all']].map((args) => [label(args), args] as const))('-C /nonexistent: %s → 2', async ([, args]) => {
    const r = await runCli(['-C', '/nonexistent', ...args], { cwd: project });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: -C \/nonexistent: \/nonexistent does not exist$/m);
  });

  it('commands that need no project work outside one, and change nothing there', async () => {
    for (const args of [['completion', 'bash'], ['help'], ['help', 'exit-codes'], ['help', 'pool', 'assign'], ['--help'], ['--version']]) {
      const r = await runCli(args, { cwd: outside });
      expect(r.exitCode, `${label(args)}: ${r.stderr}`).toBe(0);
    }
    expect((await snapshotTree(outside)).size).toBe(0);
  });

  it.concurrent.for(WITH_WORKSPACE.map((args) => [label(args), args] as const))('a workspace missing from workspaces.json: %s → 2 with did-you-mean', async ([, args]) => {
    const r = await runCli(args, { cwd: project });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`unknown workspace "${TYPO}" (did you mean "staging"?)`);
    expect(r.stdout).toBe('');
  });

  it.concurrent.for([['list', '-w', TYPO], ['unassigned', '-w', TYPO], ['pool', 'health', '-w', TYPO]].map((args) => [label(args), args] as const))('without workspaces.json, phone-numbers/ names the workspaces: %s → 2', async ([, args]) => {
    const r = await runCli(args, { cwd: noConfig });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`phone-numbers/: unknown workspace "${TYPO}" (did you mean "staging"?)`);
  });

  it('a workspace in workspaces.json without data yet is empty, not an error', async () => {
    const dir = await sampleProject({ withConfig: true });
    try {
      await editJson(path.join(dir, 'workspaces.json'), (j) => { j.qa = { api_key_env: 'RETELL_QA_API_KEY' }; });
      for (const args of [['list', '-w', 'qa', '--json'], ['unassigned', '-w', 'qa', '--json'], ['search', '-w', 'qa', '--json']]) {
        const r = await runCli(args, { cwd: dir });
        expect(r.exitCode, `${label(args)}: ${r.stderr}`).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual([]);
      }
      const health = await runCli(['pool', 'health', '-w', 'qa'], { cwd: dir });
      expect(health.exitCode, health.stderr).toBe(0);
    } finally {
      await removeProject(dir);
    }
  });

  it.concurrent.for(UNKNOWN_AGENT.map((args) => [label(args), args] as const))('an unknown agent: %s → 4', async ([, args]) => {
    const r = await runCli(args, { cwd: project });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/agent not found/);
    expect(r.stdout).toBe('');
  });

  it.concurrent.for(UNKNOWN_NUMBER.map((args) => [label(args), args] as const))('an unknown number: %s → 4', async ([, args]) => {
    const r = await runCli(args, { cwd: project });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toContain(UNKNOWN_N);
  });

  it.concurrent.for(EVERY_COMMAND.map((args) => [label(args), args] as const))('a bad flag: %s --bogus → 2', async ([, args]) => {
    const r = await runCli([...args, '--bogus'], { cwd: project });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--bogus'/);
    expect(r.stdout).toBe('');
  });

  it('none of the failing rows changed a byte of the project', async () => {
    const before = await snapshotTree(project);
    for (const args of [...WITH_WORKSPACE.slice(0, 4), ...UNKNOWN_AGENT.slice(0, 2), ['sync', '-w', TYPO, '--commit']]) await runCli(args, { cwd: project });
    expect(await snapshotTree(project)).toEqual(before);
  });
});

describe('errors under --json', () => {
  it('are one {"error":{code,message,hint}} document on stderr, stdout empty', async () => {
    for (const [args, code] of [[['list', '-w', TYPO, '--json'], 2], [['show', UNKNOWN_N, '--json'], 4], [['list', '--json', '--bogus'], 2]] as const) {
      const r = await runCli([...args], { cwd: project });
      expect(r.exitCode, r.stderr).toBe(code);
      expect(r.stdout).toBe('');
      const doc = JSON.parse(r.stderr) as { error: { code: number; message: string; hint: string | null } };
      expect(doc.error.code).toBe(code);
      expect(doc.error.message.length).toBeGreaterThan(0);
      expect(doc.error).toHaveProperty('hint');
    }
  });
});

describe('the exit-code table', () => {
  it("README.md's table is the code's table", async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes\n'));
    const table = section.slice(section.indexOf('| code |'), section.indexOf('\n\n', section.indexOf('| code |')));
    expect(table).toBe(exitCodesMarkdown());
  });

  it('phone-dir help exit-codes prints it', async () => {
    const r = await runCli(['help', 'exit-codes'], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(exitCodesText().trimEnd()); // execa strips the final newline
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 70, 130]) expect(r.stdout).toMatch(new RegExp(`^ +${code}  \\S`, 'm'));
  });
});

describe('help', () => {
  it('help pool assign is the help of pool assign, with the global options', async () => {
    const r = await runCli(['help', 'pool', 'assign'], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: phone-dir pool assign /m);
    expect(r.stdout).toMatch(/^Global Options:$/m);
    expect(r.stdout).toMatch(/^ +-C, --dir <path>/m);
  });

  it('every subcommand --help shows the global options', async () => {
    for (const args of [['list', '--help'], ['pool', 'release', '--help'], ['number', 'import', '--help']]) {
      const r = await runCli(args, { cwd: project });
      expect(r.stdout, label(args)).toMatch(/^Global Options:$/m);
      expect(r.stdout, label(args)).toMatch(/--quiet/);
    }
  });

  it('an unknown help topic is a usage error with a suggestion', async () => {
    const r = await runCli(['help', 'exit-code'], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('(did you mean "exit-codes"?)');
  });
});

