import { configCatalog } from '../../providers/registry.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findProjectRoot, projectPaths } from '../../store/paths.js';
import { parseConfig, workspaceNameProblem } from '../../core/config.js';
import type { ProjectValueKind } from './engine.js';

/** Folder names below `dir`, sorted; none when it cannot be read (completion never fails loudly). */
function folders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** workspaces.json's workspaces (either Retell CLI form), then phone-numbers/ folders that are workspace names. */
function workspaces(root: string): string[] {
  const paths = projectPaths(root);
  const names = new Set<string>();
  const config = readJson(paths.config);
  if (config !== undefined) {
    try {
      for (const name of parseConfig('workspaces.json', config, configCatalog()).workspaces.keys()) names.add(name);
    } catch {
      // An invalid workspaces.json offers only the folders; the command itself will name the problem.
    }
  }
  for (const name of folders(paths.dataDir)) if (workspaceNameProblem(name) === null) names.add(name);
  return [...names].sort();
}

function pools(root: string): string[] {
  const file = readJson(projectPaths(root).pools) as { pools?: unknown } | undefined;
  const declared = file?.pools;
  return declared && typeof declared === 'object' && !Array.isArray(declared) ? Object.keys(declared).sort() : [];
}

/** The project a command line points at: its `-C` (from `cwd`), else the nearest one above `cwd`. */
export function projectValues(cwd: string, home: string | undefined) {
  return (kind: ProjectValueKind, dirFlag: string | undefined): string[] => {
    // The shell has not expanded a `~` in the line being completed yet.
    const dir = dirFlag !== undefined && home && /^~(\/|$)/.test(dirFlag) ? path.join(home, dirFlag.slice(1)) : dirFlag;
    const root = dir !== undefined ? path.resolve(cwd, dir) : findProjectRoot(cwd);
    if (kind === 'workspaces') return workspaces(root);
    if (kind === 'pools') return pools(root);
    return folders(projectPaths(root).agents).map((name) => `agents/${name}`);
  };
}
