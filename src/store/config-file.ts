import { parseConfig, type Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { ProjectPaths } from './paths.js';
import { readTextOrNull } from './fsutil.js';

/**
 * V8 quotes the start of the text in some JSON errors (`Unexpected token 'T', "TOP-SECRET…" is not valid
 * JSON`). workspaces.json may be a link to a file outside the project (a shared one), so its bytes are
 * never echoed: the position is enough.
 */
function withoutQuotedText(message: string): string {
  return message.replace(/, ".*" is not valid JSON$/s, '');
}

export async function readConfig(paths: ProjectPaths): Promise<Config | null> {
  const text = await readTextOrNull(paths.config, 'workspaces.json');
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`workspaces.json: invalid JSON: ${withoutQuotedText((err as Error).message)}`);
  }
  return parseConfig('workspaces.json', json);
}

export async function requireConfig(paths: ProjectPaths): Promise<Config> {
  const config = await readConfig(paths);
  if (!config) {
    throw new ConfigError(`workspaces.json not found in ${paths.root}`, 'copy workspaces.example.json to workspaces.json and set the environment variables it names');
  }
  return config;
}
