import type { SyncFile } from '../core/schemas.js';
import type { ProjectPaths } from './paths.js';
import { readTextOrNull } from './fsutil.js';

/** twilio/sync.json is runtime data (gitignored); a damaged one is treated as absent rather than blocking work. */
export async function readSyncFile(paths: ProjectPaths): Promise<SyncFile | null> {
  try {
    const text = await readTextOrNull(paths.sync, paths.rel(paths.sync), paths.root);
    return text === null ? null : (JSON.parse(text) as SyncFile);
  } catch {
    return null;
  }
}
