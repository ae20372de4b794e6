/**
 * Every `phone-dir …` command line in the README and docs/ (fenced code blocks) names commands and flags
 * that exist, with values where a flag takes one and the arguments the command needs: parsed against the
 * real commander tree, without running anything.
 */
import { describe, it, expect } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command, Option } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/cli.js';

const sink = { write: () => true } as unknown as NodeJS.WriteStream;
const program = buildProgram({ io: { stdout: sink, stderr: sink, stdin: process.stdin }, env: {}, cwd: REPO_ROOT }, () => undefined);

/** Shell words up to the end of this command (a pipe, `&&`, `;`, a redirection, `)`, a comment). */
function words(rest: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of rest.matchAll(re)) {
    const bare = m[3];
    if (bare !== undefined) {
      if (/^(\||\|\||&&|;|#|\d*>|>|<)/.test(bare)) break;
      const cut = bare.search(/[);]/);
      if (cut !== -1) { if (cut > 0) out.push(bare.slice(0, cut)); break; }
      out.push(bare);
    } else {
      out.push(m[1] ?? m[2] ?? '');
    }
  }
  return out;
}

const takesValue = (o: Option) => o.required || o.optional;

function findOption(chain: Command[], flag: string): Option | undefined {
  for (const c of [...chain].reverse()) {
    const o = c.options.find((opt) => opt.long === flag || opt.short === flag);
    if (o) return o;
  }
  return undefined;
}

/** Why `phone-dir <argv>` would not parse (null: it would). */
export function problemOf(argv: string[]): string | null {
  const chain: Command[] = [program];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const cmd = chain[chain.length - 1]!;
    if (w.startsWith('-') && w !== '-') {
      const [flag, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
      const opt = findOption(chain, flag!);
      if (!opt) return `unknown option ${flag} for ${chain.map((c) => c.name()).join(' ')}`;
      if (!takesValue(opt)) { if (inline !== undefined) return `${flag} takes no value`; continue; }
      let value = inline;
      if (value === undefined && (opt.required || (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')))) value = argv[++i];
      if (opt.required && value === undefined) return `${flag} needs a value`;
      if (value !== undefined && opt.argChoices && !opt.argChoices.includes(value) && !value.startsWith('$')) return `${flag} ${value}: not one of ${opt.argChoices.join(', ')}`;
      continue;
    }
    const sub = positional.length === 0 ? cmd.commands.find((c) => c.name() === w || c.aliases().includes(w)) : undefined;
    if (sub) { chain.push(sub); continue; }
    positional.push(w);
  }
  const cmd = chain[chain.length - 1]!;
  if (cmd === program) return positional.length ? `unknown command ${positional[0]}` : null;
  const args = cmd.registeredArguments;
  const variadic = args.some((a) => a.variadic);
  const required = args.filter((a) => a.required).length;
  if (cmd.commands.length > 0 && args.length === 0 && positional.length > 0) return `unknown subcommand ${positional[0]} of ${cmd.name()}`;
  if (positional.length < required) return `${cmd.name()} needs ${required} argument(s), got ${positional.length}`;
  if (!variadic && positional.length > args.length) return `${cmd.name()} takes ${args.length} argument(s), got ${positional.length}: ${positional.join(' ')}`;
  return null;
}

/** The line without its shell comment (a `#` outside quotes, at the start or after a space). */
function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** phone-dir where a shell runs a command: line start (after `$ ` or a YAML `run:`), after npx, `&&`, `|`, `;`, `$(`, or a bin/ path. */
const COMMAND_POSITION = /(?:^\s*(?:\$\s+|-?\s*run:\s+)?|(?:&&|\|\||\||;|\$\(|\bnpx|\bthen|\bdo)\s*|\/bin\/)phone-dir(?=\s|$)/g;

/** `phone-dir …` invocations in the fenced code blocks of a Markdown text: [line number, the rest of the line]. */
function invocations(markdown: string): [number, string][] {
  const out: [number, string][] = [];
  let fenced = false;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i]!)) { fenced = !fenced; continue; }
    if (!fenced) continue;
    const start = i;
    let line = withoutComment(lines[i]!);
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = `${line.replace(/\\\s*$/, ' ')}${withoutComment(lines[++i]!)}`;
    for (const m of line.matchAll(COMMAND_POSITION)) out.push([start + 1, line.slice(m.index + m[0].length)]);
  }
  return out;
}

async function documents(): Promise<string[]> {
  const docs = (await readdir(path.join(REPO_ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', 'src/sandbox/README.md', ...docs.sort()];
}

describe('commands in the README and docs/', () => {
  it('the checker rejects what commander would: unknown commands and flags, missing values and arguments', () => {
    expect(problemOf(['sync', '--all', '--commit'])).toBeNull();
    expect(problemOf(['-C', '../repo', 'pool', 'assign', '-w', 'staging', '--agent', 'agents/x', '--hold', '18h'])).toBeNull();
    expect(problemOf(['sync', '--al'])).toMatch(/unknown option --al/);
    expect(problemOf(['pool', 'assgn'])).toMatch(/unknown subcommand assgn/);
    expect(problemOf(['frobnicate'])).toMatch(/unknown command/);
    expect(problemOf(['show'])).toMatch(/needs 1 argument/);
    expect(problemOf(['validate', '--format'])).toMatch(/needs a value/);
    expect(problemOf(['list', '--all-the-things'])).toMatch(/unknown option/);
    const sample = '```bash\nphone-dir sync --all  # hourly\nx && npx phone-dir validate \\\n  --strict | tee log\nname: phone-dir drift\n```\nphone-dir outside a block\n';
    expect(invocations(sample).map(([line, rest]) => [line, words(rest)])).toEqual([[2, ['sync', '--all']], [3, ['validate', '--strict']]]);
  });

  it('every phone-dir line parses against the command tree', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const doc of await documents()) {
      for (const [line, rest] of invocations(await readFile(path.join(REPO_ROOT, doc), 'utf8'))) {
        const argv = words(rest);
        if (argv.length === 0) continue; // `npm install phone-dir`: the package, not a command
        checked += 1;
        const problem = problemOf(argv);
        if (problem) problems.push(`${doc}:${line}: phone-dir ${argv.join(' ')}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('the README links every document of docs/', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const doc of (await documents()).filter((d) => d.startsWith('docs/'))) expect(readme, doc).toContain(`](${doc})`);
  });
});
