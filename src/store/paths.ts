import { existsSync } from 'node:fs';
import path from 'node:path';

export const DATA_DIR = 'phone-numbers';

export interface ProjectPaths {
  root: string;
  dataDir: string;
  directory: string;
  pools: string;
  trunks: string;
  sync: string;
  lock: string;
  config: string;
  agents: string;
  workspaceNumbers(ws: string): string;
  workspaceAssignments(ws: string): string;
  /** Path relative to the project root, with forward slashes, for messages and git. */
  rel(p: string): string;
}

export function projectPaths(root: string): ProjectPaths {
  const dataDir = path.join(root, DATA_DIR);
  return {
    root,
    dataDir,
    directory: path.join(dataDir, 'directory.json'),
    pools: path.join(dataDir, 'pools.json'),
    trunks: path.join(dataDir, 'twilio', 'trunks.json'),
    sync: path.join(dataDir, 'twilio', 'sync.json'),
    lock: path.join(dataDir, '.lock'),
    config: path.join(root, 'workspaces.json'),
    agents: path.join(root, 'agents'),
    workspaceNumbers: (ws) => path.join(dataDir, ws, 'numbers.json'),
    workspaceAssignments: (ws) => path.join(dataDir, ws, 'assignments.json'),
    rel: (p) => path.relative(root, p).split(path.sep).join('/'),
  };
}

/** A project root holds workspaces.json or phone-numbers/ (init creates the latter). */
export function isProjectRoot(dir: string): boolean {
  return existsSync(path.join(dir, 'workspaces.json')) || existsSync(path.join(dir, DATA_DIR));
}

/** The nearest ancestor holding workspaces.json or phone-numbers/, else the starting directory. */
export function findProjectRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (isProjectRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}
