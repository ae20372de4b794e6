/**
 * `phone-dir merge-driver`: Git's merge driver for the directory views (see .gitattributes). Git runs it
 * with the ancestor's, our and their version of one view file; it merges them number by number and writes
 * the result over ours (exit 0), or leaves Git's own conflict markers and names the numbers both sides
 * changed (exit 1). `--install` sets it up in this clone.
 */
import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import type { Context } from '../context.js';
import { addExamples } from '../program.js';
import { CheckFailedError, UsageError } from '../../core/errors.js';

export const GITATTRIBUTES_LINES = [
  'phone-numbers/directory.json merge=phone-dir',
  'phone-numbers/*/numbers.json merge=phone-dir',
  'phone-numbers/*/assignments.json merge=phone-dir',
];

async function install(ctx: Context): Promise<void> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { git, GitError } = await import('../../store/git.js');
  let top: string;
  try {
    top = await git(ctx.root, ['rev-parse', '--show-toplevel']);
  } catch (err) {
    throw new UsageError(`--install: ${ctx.root} is not inside a Git repository${err instanceof GitError && err.notFound ? ' (git is not installed)' : ''}`, 'run git init (or clone the directory\'s repository) first');
  }
  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'phone-dir.js');
  await git(top, ['config', 'merge.phone-dir.name', 'phone-dir: the directory views, number by number']);
  await git(top, ['config', 'merge.phone-dir.driver', `"${process.execPath}" "${bin}" merge-driver %O %A %B %P`]);
  const attributes = path.join(top, '.gitattributes');
  const existing = await readFile(attributes, 'utf8').catch(() => '');
  const prefix = path.relative(top, ctx.root).split(path.sep).filter(Boolean).join('/');
  const wanted = GITATTRIBUTES_LINES.map((line) => (prefix ? `${prefix}/${line}` : line));
  const missing = wanted.filter((line) => !existing.split('\n').includes(line));
  if (missing.length) await writeFile(attributes, `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`);
  ctx.info(`merge driver set in this clone's .git/config${missing.length ? `; .gitattributes gained ${missing.length} line${missing.length === 1 ? '' : 's'} (commit it so that every clone uses it)` : '; .gitattributes already names it'}`);
}

async function parseOrNull(text: string): Promise<unknown | null | 'empty'> {
  if (text.trim() === '') return 'empty';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Git's own line merge, with its markers, for a file this driver cannot merge by number (exit: conflicts). */
async function textMerge(ours: string, base: string, theirs: string): Promise<number> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('git', ['merge-file', '-L', 'ours', '-L', 'base', '-L', 'theirs', ours, base, theirs], (err) => {
      resolve(err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0);
    });
  });
}

async function merge(ctx: Context, basePath: string, oursPath: string, theirsPath: string, shownPath: string | undefined): Promise<number> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const { mergeView, viewKindOf } = await import('../../core/merge-views.js');
  const { serialize } = await import('../../core/views.js');
  const name = shownPath ?? oursPath;
  const kind = viewKindOf(name);
  const [baseText, oursText, theirsText] = await Promise.all([basePath, oursPath, theirsPath].map((file) => readFile(file, 'utf8')));
  const [base, ours, theirs] = await Promise.all([baseText!, oursText!, theirsText!].map(parseOrNull));
  const unreadable = [base, ours, theirs].some((v) => v === null) || ours === 'empty' || theirs === 'empty';
  if (!kind || unreadable) {
    const conflicts = await textMerge(oursPath, basePath, theirsPath);
    if (conflicts) ctx.err(`phone-dir merge-driver: ${name}: ${kind ? 'a version is not valid JSON' : 'not a directory view'}; merged line by line, with conflicts left marked\n`);
    return conflicts ? 1 : 0;
  }
  const empty = kind === 'directory' ? { numbers: {}, metadata: {} } : kind === 'numbers' ? { numbers: [] } : { assignments: [], unassigned: [] };
  const outcome = mergeView(kind, base === 'empty' ? empty : base, ours, theirs);
  if (!outcome.conflicts.length) {
    await writeFile(oursPath, serialize(outcome.merged));
    return 0;
  }
  await textMerge(oursPath, basePath, theirsPath);
  const listed = outcome.conflicts.slice(0, 10).map((c) => `${c.key} (${c.fields.join(', ')})`).join('; ');
  ctx.err(`phone-dir merge-driver: ${name}: changed differently on both sides: ${listed}${outcome.conflicts.length > 10 ? `; and ${outcome.conflicts.length - 10} more` : ''}. Left as a conflict for a person: keep one version of each of these numbers (or rerun phone-dir sync after the merge), then phone-dir validate and git add\n`);
  return 1;
}

export function registerMergeDriver(program: Command, kit: CommandKit): void {
  const cmd = program.command('merge-driver')
    .description('Git merge driver for the directory views: merges number by number (exit 0), or names the numbers both sides changed (exit 1); --install sets it up in this clone')
    .argument('[base]', 'the ancestor version (%O)')
    .argument('[ours]', 'our version, overwritten with the result (%A)')
    .argument('[theirs]', 'their version (%B)')
    .argument('[path]', 'the file\'s path in the repository (%P)')
    .option('--install', 'set the driver in .git/config and add the views to .gitattributes')
    .action(kit.action(async (ctx, base: string | undefined, ours: string | undefined, theirs: string | undefined, shown: string | undefined, f: { install?: boolean }) => {
      if (f.install) {
        await install(ctx);
        return 0;
      }
      if (!base || !ours || !theirs) throw new UsageError('merge-driver needs the three versions: merge-driver <base> <ours> <theirs> [path]', 'Git passes them (%O %A %B %P); to set the driver up, run phone-dir merge-driver --install');
      const code = await merge(ctx, base, ours, theirs, shown);
      if (code) throw new CheckFailedError('the merge left conflicts');
      return 0;
    }, { project: false }));
  addExamples(cmd, ['phone-dir merge-driver --install', 'phone-dir merge-driver base.json ours.json theirs.json phone-numbers/directory.json   # what Git runs (%O %A %B %P)']);
}
