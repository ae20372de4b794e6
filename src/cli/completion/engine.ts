import type { Argument, Command, Option } from 'commander';
import { HELP_TOPICS } from '../commands/help.js';

/** Values phone-dir can offer from the project on disk (offline). */
export type ProjectValueKind = 'workspaces' | 'agents' | 'pools';
export type ValueKind = ProjectValueKind | 'dirs' | 'files';

export interface Candidate { value: string; description?: string }

/** Either words to offer, or a request for the shell's own directory or file completion. */
export type Completion = { kind: 'words'; words: Candidate[] } | { kind: 'dirs' | 'files' };

/** Reads the project the completed command line points at (its `-C`, else the current folder's). */
export type ValueSource = (kind: ProjectValueKind, dirFlag: string | undefined) => string[];

/** What an option's value is, by the option's long name; every command names these options the same way. */
const OPTION_VALUES: Record<string, ValueKind> = {
  '--dir': 'dirs',
  '--output': 'files',
  '--scenario': 'files',
  '--workspace': 'workspaces',
  '--agent': 'agents',
  '--inbound-agent': 'agents',
  '--outbound-agent': 'agents',
  '--pool': 'pools',
};

/** The same for positional arguments, by their name in the command's usage (`diff <wsA> <wsB>`). */
const ARGUMENT_VALUES: Record<string, ValueKind> = { wsA: 'workspaces', wsB: 'workspaces', agent: 'agents' };


const isHidden = (cmd: Command) => Boolean((cmd as unknown as { _hidden?: boolean })._hidden);

function subcommands(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !isHidden(c));
}

function findSubcommand(cmd: Command, word: string): Command | undefined {
  return subcommands(cmd).find((c) => c.name() === word || c.aliases().includes(word));
}

/** A command's own options and those of its ancestors (the global ones), `--version` only at the top. */
function optionsInScope(cmd: Command): Option[] {
  const own: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) {
    own.push(...c.options.filter((o) => !o.hidden && (c === cmd || o.long !== '--version')));
  }
  return own;
}

function findOption(cmd: Command, word: string): Option | undefined {
  return optionsInScope(cmd).find((o) => o.long === word || o.short === word);
}

const takesValue = (o: Option) => o.required || o.optional;

function optionWords(cmd: Command): Candidate[] {
  const words = optionsInScope(cmd).map((o) => ({ value: o.long ?? o.short ?? '', description: o.description }));
  return [...words, { value: '--help', description: 'display help for command' }].filter((w) => w.value);
}

function valuesOf(kind: ValueKind | undefined, choices: readonly string[] | undefined, read: (kind: ProjectValueKind) => string[]): Completion {
  if (choices?.length) return { kind: 'words', words: choices.map((value) => ({ value })) };
  if (kind === 'dirs' || kind === 'files') return { kind };
  if (!kind) return { kind: 'words', words: [] };
  return { kind: 'words', words: read(kind).map((value) => ({ value })) };
}

/** Where the words before the cursor lead: the command reached, the option awaiting a value, how many positionals were given. */
interface Position { cmd: Command; pending: Option | null; positionals: string[]; dirFlag: string | undefined }

function walk(program: Command, before: string[]): Position {
  const at: Position = { cmd: program, pending: null, positionals: [], dirFlag: undefined };
  let afterDashes = false;
  for (const word of before) {
    if (at.pending) {
      // bash splits `--workspace=staging` into three words: the `=` belongs to the option.
      if (word === '=') continue;
      if (at.pending.long === '--dir') at.dirFlag = word;
      at.pending = null;
      continue;
    }
    if (!afterDashes && word === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && word.startsWith('-') && word !== '-') {
      const [flag, value] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
      const option = findOption(at.cmd, flag);
      if (option && takesValue(option)) {
        if (value === undefined) at.pending = option;
        else if (option.long === '--dir') at.dirFlag = value;
      }
      continue;
    }
    const sub = at.positionals.length === 0 ? findSubcommand(at.cmd, word) : undefined;
    if (sub) at.cmd = sub;
    else at.positionals.push(word);
  }
  return at;
}

/** `phone-dir help pool <TAB>`: the subcommands of what the words so far name. */
function helpWords(program: Command, words: string[]): Candidate[] {
  let cmd = program;
  for (const word of words) {
    const next = findSubcommand(cmd, word);
    if (!next) return [];
    cmd = next;
  }
  const names = subcommands(cmd).filter((c) => c.name() !== 'help').map((c) => ({ value: c.name(), description: c.description() }));
  return cmd === program ? [...names, ...HELP_TOPICS.map((value) => ({ value, description: 'the exit-code table' }))] : names;
}

function argumentAt(cmd: Command, index: number): Argument | undefined {
  const args = cmd.registeredArguments;
  const last = args[args.length - 1];
  return args[index] ?? (last?.variadic ? last : undefined);
}

function filterPrefix(completion: Completion, prefix: string, addBack = ''): Completion {
  if (completion.kind !== 'words') return addBack ? { kind: 'words', words: [] } : completion;
  return { kind: 'words', words: completion.words.filter((w) => w.value.startsWith(prefix)).map((w) => ({ ...w, value: `${addBack}${w.value}` })) };
}

/**
 * What may come at the cursor. `words` are the words after `phone-dir`, the last one being the word
 * under the cursor (empty after a space). Generated from the commander tree, so every command and
 * flag added to it completes with no change here.
 */
export function complete(program: Command, words: string[], source: ValueSource): Completion {
  const current = words[words.length - 1] ?? '';
  const at = walk(program, words.slice(0, -1));
  const read = (kind: ProjectValueKind) => source(kind, at.dirFlag);
  if (at.pending) {
    const completion = valuesOf(OPTION_VALUES[at.pending.long ?? ''], at.pending.argChoices, read);
    return filterPrefix(completion, current === '=' ? '' : current);
  }
  if (current.startsWith('--') && current.includes('=')) {
    const flag = current.slice(0, current.indexOf('='));
    const option = findOption(at.cmd, flag);
    if (!option || !takesValue(option)) return { kind: 'words', words: [] };
    return filterPrefix(valuesOf(OPTION_VALUES[option.long ?? ''], option.argChoices, read), current.slice(flag.length + 1), `${flag}=`);
  }
  if (current.startsWith('-')) return filterPrefix({ kind: 'words', words: optionWords(at.cmd) }, current);
  if (at.cmd.parent === program && at.cmd.name() === 'help') return filterPrefix({ kind: 'words', words: helpWords(program, at.positionals) }, current);
  if (subcommands(at.cmd).length && at.positionals.length === 0) {
    return filterPrefix({ kind: 'words', words: subcommands(at.cmd).map((c) => ({ value: c.name(), description: c.description() })) }, current);
  }
  const argument = argumentAt(at.cmd, at.positionals.length);
  if (argument) return filterPrefix(valuesOf(ARGUMENT_VALUES[argument.name()], argument.argChoices, read), current);
  return filterPrefix({ kind: 'words', words: optionWords(at.cmd) }, current);
}
