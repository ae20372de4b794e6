import { readFile } from 'node:fs/promises';
import type { PoolsFile } from '../core/schemas.js';
import type { FileIssue } from './parse-file.js';
import { checkJsonFile } from './schema-check.js';
import type { ProjectPaths } from './paths.js';

/** pools.json is optional and hand-written; a missing file means no pools. */
export async function readPools(paths: ProjectPaths): Promise<{ pools: PoolsFile | null; text: string | null; issues: FileIssue[] }> {
  let text: string;
  try {
    text = await readFile(paths.pools, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { pools: null, text: null, issues: [] };
    throw err;
  }
  const { value, issues } = await checkJsonFile<PoolsFile>(paths.rel(paths.pools), text, 'pools');
  return { pools: value, text, issues };
}
