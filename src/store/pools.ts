import type { PoolsFile } from '../core/schemas.js';
import type { FileIssue } from './parse-file.js';
import { checkJsonFile } from './schema-check.js';
import type { ProjectPaths } from './paths.js';
import { readTextOrNull } from './fsutil.js';

/** pools.json is optional and hand-written; a missing file means no pools. */
export async function readPools(paths: ProjectPaths): Promise<{ pools: PoolsFile | null; text: string | null; issues: FileIssue[] }> {
  const text = await readTextOrNull(paths.pools, paths.rel(paths.pools), paths.root);
  if (text === null) return { pools: null, text: null, issues: [] };
  const { value, issues } = await checkJsonFile<PoolsFile>(paths.rel(paths.pools), text, 'pools');
  return { pools: value, text, issues };
}
