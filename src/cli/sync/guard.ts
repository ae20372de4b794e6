import type { Directory } from '../../core/model.js';
import type { AgentsIndex } from '../../core/agents.js';
import type { PoolsFile } from '../../core/schemas.js';
import type { ParsedViews } from '../../core/model-from-views.js';
import type { ProjectPaths } from '../../store/paths.js';
import { renderViews } from '../../core/views.js';
import { validateDirectory, type Finding } from '../../core/validate/index.js';
import { DataError } from '../../core/errors.js';
import type { Catalog } from '../../core/catalog.js';
import { recordedPlatforms } from '../../core/reconcile.js';

export interface GuardInput {
  paths: ProjectPaths;
  current: { dir: Directory; parsed: ParsedViews };
  next: Directory;
  agents: AgentsIndex;
  pools: PoolsFile | null;
  now: Date;
  catalog: Catalog;
}

/**
 * Errors that state what a provider reports (an agent id that no agents/ file names, an assigned SIP number
 * without a termination URI, a SID's shape): sync records them as they are and validate reports them.
 * Refusing them would stop every sync until the provider changes; the guard is for what a write can break.
 */
const PROVIDER_FACTS = new Set(['unknown-agent-id', 'missing-termination-uri', 'carrier-sid', 'unsupported-binding']);

function errorsOf(input: GuardInput, dir: Directory, parsed: ParsedViews): Finding[] {
  const p = input.paths;
  return validateDirectory({
    dir, parsed, agents: input.agents, pools: input.pools, now: input.now, catalog: input.catalog, platforms: recordedPlatforms(dir),
    files: { directory: p.rel(p.directory), numbers: (ws) => p.rel(p.workspaceNumbers(ws)), assignments: (ws) => p.rel(p.workspaceAssignments(ws)), pools: p.rel(p.pools) },
  }).errors.filter((f) => !PROVIDER_FACTS.has(f.rule));
}

/**
 * The last guard before a sync writes: the validate errors the new views would have that the current ones
 * do not. A sync must never leave a directory that `phone-dir validate` rejects; errors that were already
 * there (a hand edit) are not the sync's to refuse.
 */
export function errorsIntroduced(input: GuardInput): Finding[] {
  const after = errorsOf(input, input.next, renderViews(input.next));
  if (after.length === 0) return [];
  const before = new Set(errorsOf(input, input.current.dir, input.current.parsed).map((f) => f.message));
  return after.filter((f) => !before.has(f.message));
}

export function refuseInvalidWrite(introduced: Finding[]): void {
  if (introduced.length === 0) return;
  const more = introduced.length > 1 ? ` (and ${introduced.length - 1} more)` : '';
  throw new DataError(
    `sync would write a directory that validate rejects: ${introduced[0]!.message}${more}; nothing was written`,
    'run the same sync with --dry-run to see its plan, and report this as a phone-dir bug',
  );
}
