import { readFile } from 'node:fs/promises';
import { parseConfig, type Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { ProjectPaths } from './paths.js';
import { parseJsonText, formatIssue } from './parse-file.js';

export async function readConfig(paths: ProjectPaths): Promise<Config | null> {
  let text: string;
  try {
    text = await readFile(paths.config, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const { value, issues } = parseJsonText('workspaces.json', text);
  if (issues.length) throw new ConfigError(formatIssue(issues[0]!), 'fix the JSON syntax there (phone-dir validate checks workspaces.json too)');
  return parseConfig('workspaces.json', value);
}

export async function requireConfig(paths: ProjectPaths): Promise<Config> {
  const config = await readConfig(paths);
  if (!config) {
    throw new ConfigError(`workspaces.json not found in ${paths.root}`, 'copy workspaces.example.json to workspaces.json and set the environment variables it names');
  }
  return config;
}
