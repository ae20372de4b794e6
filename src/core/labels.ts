/** Tags and notes: directory-only fields a team sets (`number update --tag/--untag/--notes`); no provider has them. */
import { UsageError } from './errors.js';

// Control characters would reach terminals raw through list/show; a comma would split a tag in show's "a, b".
const CONTROL = /\p{Cc}/u;

export interface TagChange { add: string[]; remove: string[] }

function checkTag(flag: string, input: string): string {
  const tag = input.trim();
  if (!tag) throw new UsageError(`${flag}: a tag must not be empty`);
  if (CONTROL.test(tag) || tag.includes(',')) throw new UsageError(`${flag}: "${JSON.stringify(tag).slice(1, -1)}" is not a tag (no commas or control characters)`, 'give one tag per flag: --tag sales --tag after-hours');
  return tag;
}

/** `--tag`/`--untag` values, checked; null when neither was given. */
export function parseTags(add: string[], remove: string[]): TagChange | null {
  if (!add.length && !remove.length) return null;
  const change = { add: add.map((t) => checkTag('--tag', t)), remove: remove.map((t) => checkTag('--untag', t)) };
  const both = change.add.find((t) => change.remove.includes(t));
  if (both !== undefined) throw new UsageError(`"${both}" is given to both --tag and --untag`);
  return change;
}

/** The tags after the change: no duplicates, sorted as the views write them. */
export function changeTags(current: string[], change: TagChange): string[] {
  const tags = new Set(current);
  for (const t of change.add) tags.add(t);
  for (const t of change.remove) tags.delete(t);
  return [...tags].sort();
}

/** `--notes` text; "" (or only spaces) clears them (null). */
export function parseNotes(input: string): string | null {
  const notes = input.trim();
  if (CONTROL.test(notes)) throw new UsageError('--notes: control characters (newlines, tabs, escapes) are not allowed', 'give the notes on one line');
  return notes === '' ? null : notes;
}
