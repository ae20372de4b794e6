import type { Directory, NumberRecord } from '../model.js';
import { sortedNumbers } from '../model.js';
import type { AgentsIndex } from '../agents.js';
import type { ParsedViews } from '../model-from-views.js';
import type { PoolsFile } from '../schemas.js';
import type { Catalog, WorkspacePlatforms } from '../catalog.js';

/** Everything the offline rules look at; built by the store, so the rules stay pure. */
export interface ValidationInput {
  dir: Directory;
  parsed: ParsedViews;
  agents: AgentsIndex;
  pools: PoolsFile | null;
  now: Date;
  /** The carriers and platforms phone-dir knows: rules that depend on a vendor's capabilities ask it. */
  catalog: Catalog;
  /** Each workspace's platform (workspaces.json); a workspace not in it is on the catalog's default platform. */
  platforms?: WorkspacePlatforms;
  /**
   * View files that could not be read (invalid JSON, schema violation, missing): the workspaces they belong to,
   * whether pools.json is one, and the agent files (`agents/<name>/<ws>.json`) that could not be read. Rules
   * skip what depends on them instead of reporting the consequences of a file they could not see (the file's
   * own problem is reported once, as a schema or agent-file finding).
   */
  unreadable?: { workspaces: ReadonlySet<string>; pools: boolean; agentFiles?: ReadonlySet<string> };
  /** The numbers in E.164 order, sorted once per run (see numbersOf). */
  sorted?: NumberRecord[];
  /** Relative file names for messages. */
  files: { directory: string; numbers(ws: string): string; assignments(ws: string): string; pools: string };
}

/** Every rule walks the numbers in order; at 100,000 numbers sorting them once per rule showed in profiles. */
export function numbersOf(input: ValidationInput): NumberRecord[] {
  input.sorted ??= sortedNumbers(input.dir);
  return input.sorted;
}
