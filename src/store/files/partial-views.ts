/**
 * View files built from their text (view-text.ts) with only some numbers' entries: what the pool's hot
 * path reads and patches (src/core/pool/patch.ts works on the entries of the numbers it changes and on
 * the small derived members, which these files hold whole), and the entries to splice back in.
 */
import type { DirectoryFile, DirectoryNumberEntry } from '../../core/schemas.js';
import { listPoolMembers } from '../../core/pool/select.js';
import type { LargeLayout, ViewText } from './view-text.js';

/** Which member holds a view file's entries (as src/core/views.ts renders the files). */
export type LargeMember = LargeLayout;

export const DIRECTORY_ENTRIES: LargeMember = { key: 'numbers', keyed: true, next: 'metadata' };
export const NUMBERS_ENTRIES: LargeMember = { key: 'numbers', keyed: false, next: 'summary' };
export const ASSIGNMENTS_ENTRIES: LargeMember = { key: 'assignments', keyed: false, next: 'by_agent' };

type Entries = Record<string, DirectoryNumberEntry>;

/**
 * directory.json whose `numbers` are read on demand: an entry is parsed when asked for (the pool's members
 * at once, for the choice: listPoolMembers), and anything that needs every entry (listing the keys,
 * changing the object) parses the member whole first, keeping the entries already handed out.
 */
export function lazyDirectoryFile(view: ViewText): DirectoryFile {
  const handedOut = new Map<string, DirectoryNumberEntry | undefined>();
  let whole: Entries | undefined;
  let poolMembers: string[] | undefined;
  /** The entries with a pool, parsed in one go (those already handed out are kept). */
  const members = (): string[] => {
    if (whole) return Object.keys(whole).filter((phone) => typeof whole![phone]?.pool === 'string');
    if (!poolMembers) {
      const found = view.entriesWithString('pool') as Map<string, DirectoryNumberEntry>;
      for (const [phone, entry] of found) if (!handedOut.has(phone)) handedOut.set(phone, entry);
      poolMembers = [...found.keys()];
    }
    return poolMembers;
  };
  const all = (): Entries => {
    if (!whole) {
      whole = view.largeValue() as Entries;
      for (const [phone, entry] of handedOut) if (entry !== undefined) whole[phone] = entry;
    }
    return whole;
  };
  const numbers = new Proxy({} as Entries, {
    get(target, key) {
      if (whole) return Reflect.get(whole, key);
      if (typeof key !== 'string') return Reflect.get(target, key);
      if (!handedOut.has(key)) {
        const found = view.count(key);
        // Not an entry: what any object has (hasOwnProperty…). Several: only a full parse says which counts.
        if (found === 0) return Reflect.get(target, key);
        if (found > 1) return all()[key];
        handedOut.set(key, view.entries<DirectoryNumberEntry>(key)[0]);
      }
      return handedOut.get(key);
    },
    has(target, key) {
      if (whole || typeof key !== 'string') return Reflect.has(whole ?? target, key);
      return handedOut.has(key) || view.count(key) > 0 || Reflect.has(target, key);
    },
    ownKeys: () => Reflect.ownKeys(all()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(all(), key),
    set: (_target, key, value) => Reflect.set(all(), key, value),
    deleteProperty: (_target, key) => Reflect.deleteProperty(all(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(all(), key, descriptor),
  });
  listPoolMembers(numbers, members);
  const file = view.topLevel();
  file[DIRECTORY_ENTRIES.key] = numbers;
  return file as unknown as DirectoryFile;
}

/** The file with only these numbers' entries (fresh objects), in file order. */
export function partialFile<T>(view: ViewText, large: LargeMember, phones: Iterable<string>): T {
  const file = view.topLevel();
  if (large.keyed) {
    const entries: Record<string, unknown> = {};
    for (const phone of phones) {
      const found = view.entries(phone);
      if (found.length) entries[phone] = found[found.length - 1]; // as JSON.parse keeps a repeated key
    }
    file[large.key] = entries;
  } else {
    const found = [...new Set(phones)].flatMap((phone) => view.located(phone));
    file[large.key] = found.sort((a, b) => a.at - b.at).map((f) => f.entry);
  }
  return file as T;
}

/** The entries of these numbers in a (patched) file, null where it has none; undefined when one is listed twice. */
export function entriesOf(file: Record<string, unknown>, large: LargeMember, phones: Iterable<string>): Map<string, unknown | null> | undefined {
  const out = new Map<string, unknown | null>();
  const member = file[large.key];
  for (const phone of phones) {
    if (large.keyed) {
      out.set(phone, Object.hasOwn(member as object, phone) ? (member as Record<string, unknown>)[phone] : null);
      continue;
    }
    const found = (member as { phone_number: string }[]).filter((e) => e.phone_number === phone);
    if (found.length > 1) return undefined;
    out.set(phone, found[0] ?? null);
  }
  return out;
}
