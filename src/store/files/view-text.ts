/**
 * A view file's text as phone-dir writes it (serialize: JSON.stringify with 2 spaces, one trailing newline),
 * read without parsing it whole: its top-level members, and the entries of its one large member
 * (directory.json's `numbers`, a workspace file's `numbers` or `assignments` list) found by phone number.
 * The pool's hot path then parses only the entries it works on and writes the file back by splicing the
 * changed entries' text in: the bytes a full serialize would give, provided the text was written by
 * serialize (the caller checks that, see view-stamps.ts). Anything unexpected gives null, and the caller
 * parses the whole file instead.
 *
 * Layout relied on: top-level keys start a line with 2 spaces, the large member's entries with 4, and an
 * entry's closing brace is the first line after it at 4 spaces; strings never hold a raw line break (JSON
 * escapes it). The searches are the engine's own (indexOf, regular expressions), not loops over the
 * entries: a command runs this code once, before the JIT has warmed up.
 */
import { compareStrings } from '../../core/model.js';

interface Member { key: string; start: number; end: number }

/** The member holding the entries: its key, whether it is keyed by number, and the key that follows it. */
export interface LargeLayout { key: string; keyed: boolean; next: string }

/** An entry's text: from its first character (after the indentation) to its closing brace included. */
interface EntrySpan { start: number; end: number; valueStart: number }

const TOP_KEY = '\n  "';
const INDENT = '\n    ';
const CLOSING = `${INDENT}}`;
const LIST_ENTRY = `${INDENT}{\n      "phone_number": `;

/** The JSON string starting at `quote`, when it has no escapes (phone-dir's keys have none); null otherwise. */
function plainStringAt(text: string, quote: number): { value: string; end: number } | null {
  if (text.charCodeAt(quote) !== 34) return null;
  const close = text.indexOf('"', quote + 1);
  if (close < 0) return null;
  const value = text.slice(quote + 1, close);
  return value.includes('\\') || value.includes('\n') ? null : { value, end: close + 1 };
}

/**
 * The top-level members, the large one included. The keys before it are found from the start and those
 * after it from `next` (the key that follows it, searched for from the end): the large member itself is
 * never scanned line by line (a search for `\n  "` stops at every line of it).
 */
function topLevelMembers(text: string, large: LargeLayout): { members: Member[]; large: Member } | null {
  if (!text.startsWith('{\n  "') || !text.endsWith('\n}\n')) return null;
  const members: Member[] = [];
  let found: Member | undefined;
  for (let at = text.indexOf(TOP_KEY); at !== -1; at = text.indexOf(TOP_KEY, at + 1)) {
    const key = plainStringAt(text, at + 3);
    if (!key || !text.startsWith(': ', key.end)) return null;
    const previous = members[members.length - 1];
    if (previous) {
      if (text.charCodeAt(at - 1) !== 44) return null; // the comma ending the previous member
      previous.end = at - 1;
    }
    const member: Member = { key: key.value, start: key.end + 2, end: -1 };
    members.push(member);
    if (member.key !== large.key || found) continue;
    found = member;
    const next = text.lastIndexOf(`,${TOP_KEY}${large.next}": `);
    if (next < member.start) return null;
    at = next;
  }
  const last = members[members.length - 1];
  if (!last || !found) return null;
  last.end = text.length - 3;
  return { members, large: found };
}

/** A value as serialize writes it on a line indented by `spaces`. */
function renderAt(value: unknown, spaces: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${spaces}`);
}

interface Splice { start: number; end: number; text: string }

const REMOVED = '\u0000';
/** A removed entry with the comma before it; then one that was first, with the comma after it. */
const REMOVED_AFTER_COMMA = new RegExp(`,\\n {4}${REMOVED}`, 'g');
const REMOVED_FIRST = new RegExp(`\\n {4}${REMOVED},`);

export class ViewText {
  private readonly found = new Map<string, EntrySpan[]>();
  private constructor(
    readonly text: string,
    private readonly members: Member[],
    private readonly large: Member,
    private readonly keyed: boolean,
  ) {}

  static of(text: string, layout: LargeLayout): ViewText | null {
    const found = topLevelMembers(text, layout);
    if (!found) return null;
    const { members, large } = found;
    const keyed = layout.keyed;
    const body = text.slice(large.start, large.start + 6);
    const [open, close] = keyed ? ['{', '}'] : ['[', ']'];
    const empty = large.end === large.start + 2 && text.startsWith(`${open}${close}`, large.start);
    if (!empty && (body !== `${open}${INDENT}` || !text.startsWith(`\n  ${close}`, large.end - 4))) return null;
    return new ViewText(text, members, large, keyed);
  }

  /** The top-level members, parsed, in file order; the large one as an empty object or list. */
  topLevel(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const m of this.members) out[m.key] = m === this.large ? (this.keyed ? {} : []) : JSON.parse(this.text.slice(m.start, m.end));
    return out;
  }

  /** The large member, parsed whole. */
  largeValue(): unknown {
    return JSON.parse(this.text.slice(this.large.start, this.large.end));
  }

  /** Every entry of this number, in file order (a list may repeat one; an object written by serialize cannot). */
  private spans(phone: string): EntrySpan[] {
    let found = this.found.get(phone);
    if (!found) {
      found = this.search(phone);
      this.found.set(phone, found);
    }
    return found;
  }

  private search(phone: string): EntrySpan[] {
    // Searched for by the number and its closing quote (a number's '+' is rare in the text: the engine skips
    // to it), then checked in place: where a key (keyed) or a list entry's first field has it.
    const quoted = JSON.stringify(phone);
    const before = this.keyed ? `${INDENT}"` : `${LIST_ENTRY}"`;
    const out: EntrySpan[] = [];
    const needle = quoted.slice(1);
    for (let at = this.text.indexOf(needle, this.large.start); at !== -1 && at < this.large.end; at = this.text.indexOf(needle, at + 1)) {
      const lineStart = at - before.length;
      if (!this.text.startsWith(before, lineStart)) continue;
      const after = at + needle.length;
      if (this.keyed) {
        if (!this.text.startsWith(': {', after)) continue;
        out.push(this.spanFrom(lineStart + INDENT.length, after + 2));
      } else {
        // The number ends its field: the comma before the next one (or the entry's end).
        const next = this.text.charCodeAt(after);
        if (next !== 44 && next !== 10) continue;
        out.push(this.spanFrom(lineStart + INDENT.length, lineStart + INDENT.length));
      }
    }
    return out;
  }

  private spanFrom(start: number, valueStart: number): EntrySpan {
    if (this.text.startsWith('{}', valueStart)) return { start, valueStart, end: valueStart + 2 };
    return { start, valueStart, end: this.text.indexOf(CLOSING, valueStart) + CLOSING.length };
  }

  /** How many entries the file has for this number. */
  count(phone: string): number {
    return this.spans(phone).length;
  }

  /** The entries of this number, parsed (fresh objects), in file order. */
  entries<T>(phone: string): T[] {
    return this.located<T>(phone).map((l) => l.entry);
  }

  /** The entries of this number with where they start (to keep several numbers' entries in file order). */
  located<T>(phone: string): { at: number; entry: T }[] {
    return this.spans(phone).map((s) => ({ at: s.start, entry: JSON.parse(this.text.slice(s.valueStart, s.end)) as T }));
  }

  /**
   * The entries (of the keyed member) whose `key` at their first level holds a string, parsed, by number:
   * a pool's members in directory.json, without reading the other entries.
   */
  entriesWithString(key: string): Map<string, unknown> {
    const found = new RegExp(`\\n      ${JSON.stringify(key)}: "`, 'g');
    found.lastIndex = this.large.start;
    const slices: string[] = [];
    for (let m = found.exec(this.text); m !== null && m.index < this.large.end; m = found.exec(this.text)) {
      const start = this.text.lastIndexOf(`${INDENT}"`, m.index) + INDENT.length;
      const end = this.text.indexOf(CLOSING, m.index) + CLOSING.length;
      slices.push(this.text.slice(start, end));
    }
    return new Map(Object.entries(JSON.parse(`{${slices.join(',')}}`) as Record<string, unknown>));
  }

  /** Where a list's new entry goes: before its first entry with a greater number (as putEntry puts it). */
  private insertionPoint(phone: string): number {
    const numbers = /\n {4}\{\n {6}"phone_number": "([^"\\]*)"/g;
    numbers.lastIndex = this.large.start;
    for (let m = numbers.exec(this.text); m !== null && m.index < this.large.end; m = numbers.exec(this.text)) {
      if (compareStrings(m[1]!, phone) > 0) return m.index + INDENT.length;
    }
    return -1;
  }

  /**
   * The file with these numbers' entries replaced, inserted into a list or removed (null), and the other
   * top-level members taken from `file`: what serialize(file, with every entry) would write. Null when
   * that is not certain (another set of top-level keys, a repeated entry, a new key in the keyed member).
   */
  render(file: Record<string, unknown>, entries: Map<string, unknown | null>): string | null {
    const keys = Object.keys(file);
    if (keys.length !== this.members.length || keys.some((k, i) => k !== this.members[i]!.key)) return null;
    const splices: Splice[] = [];
    const inserted = new Map<number, { phone: string; text: string }[]>();
    let removals = false;
    for (const [phone, value] of entries) {
      const spans = this.spans(phone);
      if (spans.length > 1) return null;
      const span = spans[0];
      const rendered = value === null ? null : this.keyed ? `${JSON.stringify(phone)}: ${renderAt(value, '    ')}` : renderAt(value, '    ');
      if (span) {
        // A removed entry leaves a marker (a raw NUL never occurs in JSON text) that the commas are tidied around below.
        splices.push({ start: span.start, end: span.end, text: rendered ?? REMOVED });
        removals ||= rendered === null;
      } else if (rendered !== null) {
        if (this.keyed) return null; // sortedKeys would re-sort the whole object: a full write decides
        const at = this.insertionPoint(phone);
        inserted.set(at, [...(inserted.get(at) ?? []), { phone, text: rendered }]);
      }
    }
    for (const [at, list] of inserted) {
      const texts = list.sort((a, b) => compareStrings(a.phone, b.phone)).map((e) => e.text).join(`,${INDENT}`);
      // Before an entry; or after the last one; or into an empty list.
      if (at !== -1) splices.push({ start: at, end: at, text: `${texts},${INDENT}` });
      else if (this.large.end - this.large.start === 2) splices.push({ start: this.large.start, end: this.large.end, text: `[${INDENT}${texts}\n  ]` });
      else splices.push({ start: this.large.end - 4, end: this.large.end - 4, text: `,${INDENT}${texts}` });
    }
    splices.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < splices.length; i++) if (splices[i]!.start < splices[i - 1]!.end) return null;
    const pieces: string[] = [];
    let at = this.large.start;
    for (const splice of splices) {
      pieces.push(this.text.slice(at, splice.start), splice.text);
      at = splice.end;
    }
    pieces.push(this.text.slice(at, this.large.end));
    let large = pieces.join('');
    if (removals) {
      large = large.replace(REMOVED_AFTER_COMMA, '').replace(REMOVED_FIRST, '');
      if (large.includes(REMOVED)) large = this.keyed ? '{}' : '[]';
    }
    const members = this.members.map((m) => `${JSON.stringify(m.key)}: ${m === this.large ? large : renderAt(file[m.key], '  ')}`);
    return `{\n  ${members.join(',\n  ')}\n}\n`;
  }
}
