import type { Directory } from '../model.js';
import type { AgentsIndex } from '../agents.js';
import type { ParsedViews } from '../model-from-views.js';
import type { PoolsFile } from '../schemas.js';

/** Everything the offline rules look at; built by the store, so the rules stay pure. */
export interface ValidationInput {
  dir: Directory;
  parsed: ParsedViews;
  agents: AgentsIndex;
  pools: PoolsFile | null;
  now: Date;
  /** Relative file names for messages. */
  files: { directory: string; numbers(ws: string): string; assignments(ws: string): string; pools: string };
}
