/**
 * Help that teaches: every command of the commander tree shows its flags (with defaults and choices),
 * the global options, at least two examples that parse, and the exit codes that apply, taken from the
 * one table in src/cli/exit-codes.ts. --version comes from package.json.
 */
import { describe, it, expect } from 'vitest';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { commandPath, leafCommands, takesLock } from '../../src/cli/help-sections.js';
import { COMMAND_EXIT_CODES, EXIT_CODES, commandExitCodes } from '../../src/cli/exit-codes.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

function program(out: string[] = []): Command {
  const sink = { write: (s: string) => out.push(s) };
  return buildProgram({ io: { stdout: sink, stderr: sink }, env: {}, cwd: tmpdir() }, () => {});
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** The whole --help of a command, the after-help sections included. */
function helpOf(path: string[]): string {
  const out: string[] = [];
  let cmd = program(out);
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
  cmd.outputHelp();
  return out.join('');
}

/** The lines of one section: from its heading to the next blank line. */
function section(help: string, heading: string): string[] | null {
  const lines = help.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return null;
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** Splits a shell line into words as sh would (quotes, no expansion), up to a pipe, redirection, && or comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'" || ch === '"') {
      const close = line.indexOf(ch, i + 1);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (word === null && /[|>&#]/.test(ch)) {
      break;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

const examplesOf = (help: string) => (section(help, 'Examples:') ?? []).map((l) => l.replace(/^ {2}\$ /, '')).filter((l) => l.startsWith('phone-dir '));

/** Parses argv with every action replaced by a recorder: commander checks commands, flags, required options, arguments and choices. */
async function dryParse(argv: string[]): Promise<string> {
  const p = program();
  let reached = '';
  for (const cmd of allCommands(p)) cmd.action(() => { reached = commandPath(cmd); });
  await p.parseAsync(argv, { from: 'user' });
  return reached;
}

const root = program();
const leaves = leafCommands(root).map((c) => commandPath(c));

describe('every command\'s --help', () => {
  it('the tree has the commands the help is checked on', () => {
    expect(leaves).toEqual(expect.arrayContaining(['init', 'sync', 'validate', 'pool assign', 'pool release', 'number import', 'completion', 'help']));
  });

  it('every leaf has an entry in COMMAND_EXIT_CODES, and every entry is a leaf', () => {
    expect([...leaves].sort()).toEqual(Object.keys(COMMAND_EXIT_CODES).sort());
  });

  it.for(leaves)('%s: two examples that parse, the exit codes that apply, the global options, defaults and choices', async (name) => {
    const cmd = leafCommands(root).find((c) => commandPath(c) === name)!;
    const help = helpOf(name.split(' '));
    const examples = examplesOf(help);
    expect(examples.length, help).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const reached = await dryParse(shellWords(example).slice(1));
      expect(reached, example).toBe(name);
    }
    const codes = (section(help, 'Exit codes:') ?? []).map((l) => /^ +(\d+) {2}\S/.exec(l)?.[1]).filter((c): c is string => c !== undefined).map(Number);
    expect(codes, help).toEqual(commandExitCodes(name, takesLock(cmd)).map((r) => r.code));
    for (const code of codes) expect(EXIT_CODES.map((r) => r.code)).toContain(code);
    expect(codes).toEqual(expect.arrayContaining([0, 2, 70, 130]));
    expect(codes.includes(3)).toBe(takesLock(cmd));
    expect(help).toContain('Global Options:');
    for (const flag of ['--dir <path>', '--json', '--quiet', '--debug', '--no-color']) expect(help).toContain(flag);
    const flat = help.replace(/\s+/g, ' ');
    for (const option of cmd.options) {
      expect(flat).toContain(option.flags);
      if (option.defaultValue !== undefined) expect(flat, option.flags).toContain(`default: ${JSON.stringify(option.defaultValue)}`);
      if (option.argChoices) expect(flat, option.flags).toContain(`choices: ${option.argChoices.map((c) => JSON.stringify(c)).join(', ')}`);
    }
  });

  it('a code\'s meaning comes from the table, with the command\'s own "when"', () => {
    const diff = commandExitCodes('diff', false);
    expect(diff.find((r) => r.code === 1)?.meaning).toBe('a check failed: the workspaces differ (with --exit-code)');
    expect(diff.find((r) => r.code === 2)?.meaning).toBe('usage or configuration error');
    const assign = commandExitCodes('pool assign', true).map((r) => r.code);
    expect(assign).toEqual([0, 2, 3, 4, 5, 6, 70, 130]);
  });

  it('the commands with subcommands and the top level: examples that parse', async () => {
    for (const cmd of [root, ...root.commands.filter((c) => c.commands.length)]) {
      const path = commandPath(cmd).split(' ').filter(Boolean);
      const examples = examplesOf(helpOf(path));
      expect(examples.length, commandPath(cmd)).toBeGreaterThanOrEqual(2);
      for (const example of examples) {
        const reached = await dryParse(shellWords(example).slice(1));
        expect(leaves, example).toContain(reached);
        expect(reached.startsWith(path.join(' ')), example).toBe(true);
      }
    }
  });

  it('the dry parse rejects what the CLI rejects (a check that it can fail)', async () => {
    await expect(dryParse(['pool', 'assign', '--workspace', 'staging'])).rejects.toThrow(/--agent/);
    await expect(dryParse(['search', '--type', 'landline'])).rejects.toThrow(/landline/);
    await expect(dryParse(['list', '--bogus'])).rejects.toThrow(/--bogus/);
  });

  it('through the binary: pool assign --help ends with its examples and exit codes', async () => {
    const r = await runCli(['pool', 'assign', '--help'], { cwd: tmpdir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ phone-dir pool assign [^\n]+\n[\s\S]*\n\nExit codes:\n {4}0 {2}success\n[\s\S]* {4}6 {2}pool exhausted\n[\s\S]*\(phone-dir help exit-codes explains every code\)$/);
  });
});

describe('--version', () => {
  it('prints package.json\'s version, on the fast path and through commander, read at run time', async () => {
    // A copy of the package whose package.json says another version: a hard-coded version would not follow it.
    const copy = await mkdtemp(path.join(tmpdir(), 'phone-dir-version-'));
    try {
      await cp(path.join(REPO_ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
      await cp(path.join(REPO_ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
      await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
      const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(copy, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7-test' }));
      for (const args of [['--version'], ['-V'], ['--no-color', '--version']]) {
        const r = await execa('node', [path.join(copy, 'bin', 'phone-dir.js'), ...args], { reject: false });
        expect(r.stdout, args.join(' ')).toBe('9.8.7-test');
        expect(r.exitCode).toBe(0);
      }
      const real = await runCli(['--no-color', '--version'], { cwd: tmpdir() });
      expect(real.stdout).toBe(pkg.version);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe('CHANGELOG.md', () => {
  it('ships in the package, is linked from README, and has Unreleased and the version package.json carries', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; files: string[] };
    expect(pkg.files).toContain('CHANGELOG.md');
    expect(await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain('](CHANGELOG.md)');
    const changelog = await readFile(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(versions[0]).toBe('Unreleased');
    expect(versions).toContain(pkg.version);
    // Keep a Changelog's change types only, under each version.
    for (const heading of changelog.matchAll(/^#{3,4} (Added|Changed|Deprecated|Removed|Fixed|Security|[^\n]*)$/gm)) {
      if (!/landing/.test(heading[0])) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(heading[1]);
    }
  });
});
