import { readFile } from 'node:fs/promises';
import type { SyncFile } from '../core/schemas.js';
import type { ProjectPaths } from './paths.js';

/** twilio/sync.json is runtime data (gitignored); a damaged one is treated as absent rather than blocking work. */
export async function readSyncFile(paths: ProjectPaths): Promise<SyncFile | null> {
  try {
    return JSON.parse(await readFile(paths.sync, 'utf8')) as SyncFile;
  } catch {
    return null;
  }
}
