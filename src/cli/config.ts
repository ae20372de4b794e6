import type { Config } from '../core/config.js';
import type { ProjectPaths } from '../store/paths.js';
import { configCatalog } from '../providers/registry.js';

/** workspaces.json as the registry's carriers and platforms read it; null when there is none. */
export async function readProjectConfig(paths: ProjectPaths): Promise<Config | null> {
  const { readConfig } = await import('../store/config-file.js');
  return readConfig(paths, configCatalog());
}

/** workspaces.json, required (commands that talk to carriers or platforms). */
export async function requireProjectConfig(paths: ProjectPaths): Promise<Config> {
  const { requireConfig } = await import('../store/config-file.js');
  return requireConfig(paths, configCatalog());
}
