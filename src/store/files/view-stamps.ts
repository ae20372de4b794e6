/**
 * Which view files are still exactly as the files store last wrote them: their identity (device, inode,
 * size, modification and change times) right after the store's commit, in the gitignored
 * phone-numbers/twilio/view-stamps.json. A file whose identity still matches holds serialize's output,
 * so it may be indexed and spliced (view-text.ts) instead of parsed and re-rendered. Anything else (a hand
 * edit, git checkout, sync, a lost or damaged stamps file) shows as a different identity or no stamp, and
 * the store parses the file as before.
 *
 * A cache, not data: written after the commit, without the journal or an fsync. Every way it can be lost
 * or cut off (a crash, a full disk) leaves it missing or unparsable, which only means "trust nothing".
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ProjectPaths } from '../paths.js';
import { assertWithin, openFileForReading, unlinkIfExists } from '../fsutil.js';

const STAMPS_VERSION = 1;

export function viewStampsPath(paths: ProjectPaths): string {
  return path.join(path.dirname(paths.sync), 'view-stamps.json');
}

function stampOf(st: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** Stamps by project-relative path; empty when the file is missing or not one this code wrote. */
export async function readViewStamps(paths: ProjectPaths): Promise<Map<string, string>> {
  try {
    const file = viewStampsPath(paths);
    const fh = await openFileForReading(file, paths.rel(file), paths.root);
    if (fh === null) return new Map();
    let text: string;
    try {
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
    const json = JSON.parse(text) as { version?: unknown; files?: unknown };
    if (json.version !== STAMPS_VERSION || typeof json.files !== 'object' || json.files === null) return new Map();
    return new Map(Object.entries(json.files as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

export async function writeViewStamps(paths: ProjectPaths, stamps: Map<string, string>): Promise<void> {
  const files = Object.fromEntries([...stamps].sort(([a], [b]) => (a < b ? -1 : 1)));
  const file = viewStampsPath(paths);
  // Only inside the project's real folders (twilio/ may be a link), and never through a link at the file itself.
  await assertWithin(paths.root, path.dirname(file), paths.rel(path.dirname(file)));
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await unlinkIfExists(file);
  await fsp.writeFile(file, `${JSON.stringify({ version: STAMPS_VERSION, files }, null, 2)}\n`, { flag: 'wx' });
}

/** The file's current stamp; null when it is missing. */
export async function currentStamp(file: string): Promise<string | null> {
  try {
    return stampOf(await fsp.stat(file, { bigint: true }));
  } catch {
    return null;
  }
}

/** A file's text with the stamp it had while it was read (one handle: the two belong together); null: missing. */
export async function readStamped(file: string, shown: string, scope: string): Promise<{ text: string; stamp: string } | null> {
  const fh = await openFileForReading(file, shown, scope);
  if (fh === null) return null;
  try {
    const stamp = stampOf(await fh.stat({ bigint: true }));
    // Decoded in one go: readFile('utf8') decodes chunk by chunk into a rope, which every search then flattens.
    return { text: (await fh.readFile()).toString('utf8'), stamp };
  } finally {
    await fh.close();
  }
}
