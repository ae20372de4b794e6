import { parseConfig, type Config, type ConfigCatalog } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { ProjectPaths } from './paths.js';
import { readTextOrNull } from './fsutil.js';
import { parseJsonText, formatIssue } from './parse-file.js';

/** workspaces.json may be a link to a shared file outside the project; the JSON scanner gives positions, never its bytes. */
export async function readConfig(paths: ProjectPaths, catalog: ConfigCatalog): Promise<Config | null> {
  const text = await readTextOrNull(paths.config, 'workspaces.json');
  if (text === null) return null;
  const { value, issues } = parseJsonText('workspaces.json', text);
  if (issues.length) throw new ConfigError(formatIssue(issues[0]!), 'fix the JSON syntax there (phone-dir validate checks workspaces.json too)');
  return parseConfig('workspaces.json', value, catalog);
}

export async function requireConfig(paths: ProjectPaths, catalog: ConfigCatalog): Promise<Config> {
  const config = await readConfig(paths, catalog);
  if (!config) {
    throw new ConfigError(`workspaces.json not found in ${paths.root}`, 'copy workspaces.example.json to workspaces.json and set the environment variables it names');
  }
  return config;
}
