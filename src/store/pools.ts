import { readFile } from 'node:fs/promises';
import { poolsFileSchema, type PoolsFile } from '../core/schemas.js';
import { parseJsonFile, type FileIssue } from './parse-file.js';
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
  const { value, issues } = parseJsonFile(paths.rel(paths.pools), text, poolsFileSchema);
  return { pools: value, text, issues };
}
