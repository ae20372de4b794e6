import { ConfigError } from './errors.js';
import { redactUrlCredentials, registerSecret } from './secrets.js';
import { didYouMean } from './suggest.js';

export interface TwilioSection {
  account_sid_env?: string;
  auth_token_env?: string;
  api_key_sid_env?: string;
  api_key_secret_env?: string;
  base_url?: string;
  [key: string]: unknown;
}

interface WorkspaceEntry {
  id?: string;
  name?: string;
  api_key_env?: string;
  api_key?: string;
  base_url?: string;
  twilio?: TwilioSection;
  [key: string]: unknown;
}

type FieldKind = 'string' | 'name' | 'url';

const TWILIO_FIELDS: Record<string, FieldKind> = {
  account_sid_env: 'name', auth_token_env: 'name', api_key_sid_env: 'name', api_key_secret_env: 'name', base_url: 'url',
};
const ENTRY_FIELDS: Record<string, FieldKind> = { id: 'name', name: 'string', api_key_env: 'name', api_key: 'name', base_url: 'url' };

function isUrl(value: string): boolean {
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Checks the known fields of a config object and keeps unknown ones (the Retell CLIs add their own).
 * Hand-written rather than a schema library: every provider command reads this file, and zod alone
 * would add ~70 ms to each of them.
 */
function checkFields<T>(file: string, path: PropertyKey[], raw: unknown, fields: Record<string, FieldKind>): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(issuePath(file, path, 'expected an object'));
  for (const [key, kind] of Object.entries(fields)) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ConfigError(issuePath(file, [...path, key], 'expected a string'));
    if (kind === 'name' && value === '') throw new ConfigError(issuePath(file, [...path, key], 'must not be empty'));
    if (kind === 'url' && !isUrl(value)) throw new ConfigError(issuePath(file, [...path, key], `"${redactUrlCredentials(value)}" is not a URL`));
  }
  return raw as T;
}

function parseTwilio(file: string, path: PropertyKey[], raw: unknown): TwilioSection {
  return checkFields<TwilioSection>(file, path, raw, TWILIO_FIELDS);
}

export interface WorkspaceConfig {
  name: string;
  displayName: string;
  apiKeyEnv: string | null;
  literalApiKey: boolean;
  baseUrl: string | null;
  twilio: TwilioSection | null;
}

export interface Config {
  file: string;
  mode: string | null;
  twilio: TwilioSection | null;
  workspaces: Map<string, WorkspaceConfig>;
  warnings: string[];
  /** Literal keys are kept out of WorkspaceConfig so that printing a config never prints a secret. */
  literalKeys: Map<string, string>;
}

/** Top-level keys of workspaces.json that are not workspaces (signalwire: the carrier section of spec/config.md). */
export const WORKSPACES_RESERVED_KEYS = ['$schema', 'mode', 'twilio', 'signalwire'] as const;
const RESERVED = new Set<string>(WORKSPACES_RESERVED_KEYS);
/** The Retell CLIs' `mode`: how `production` is laid out (one entry, or an array of entries with ids). */
const MODES = new Set(['single-production', 'multi-production']);

function issuePath(file: string, path: PropertyKey[], message: string): string {
  return `${file}: ${path.map(String).join('.') || '(root)'}: ${message}`;
}

function checkMode(file: string, raw: unknown, production: unknown, warnings: string[]): string | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string') {
    throw new ConfigError(issuePath(file, ['mode'], `expected "single-production" or "multi-production", not ${Array.isArray(raw) ? 'an array' : typeof raw === 'object' && raw !== null ? 'an object' : JSON.stringify(raw)}`));
  }
  if (!MODES.has(raw)) {
    warnings.push(`${file}: mode: "${raw}" is not one the Retell CLIs know ("single-production" or "multi-production"); phone-dir ignores it`);
  } else if (raw === 'multi-production' && production !== undefined && !Array.isArray(production)) {
    warnings.push(`${file}: mode is "multi-production" but "production" is not an array of entries with ids; the Retell CLIs will refuse this file`);
  }
  return raw;
}

function parseEntry(file: string, key: string, raw: unknown): WorkspaceEntry {
  const entry = checkFields<WorkspaceEntry>(file, [key], raw, ENTRY_FIELDS);
  if (entry.twilio !== undefined) parseTwilio(file, [key, 'twilio'], entry.twilio);
  return entry;
}

/** Parses workspaces.json in either Retell CLI form (single entries, or `production` as an array of entries with ids). */
export function parseConfig(file: string, json: unknown): Config {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`${file}: expected a JSON object of workspaces`);
  }
  const config: Config = { file, mode: null, twilio: null, workspaces: new Map(), warnings: [], literalKeys: new Map() };
  const obj = json as Record<string, unknown>;
  if (obj.twilio !== undefined) {
    config.twilio = parseTwilio(file, ['twilio'], obj.twilio);
  }
  config.mode = checkMode(file, obj.mode, obj.production, config.warnings);
  for (const [key, raw] of Object.entries(obj)) {
    if (RESERVED.has(key)) continue;
    // [workspace name, where the name is written, entry]
    const entries: [string, string, WorkspaceEntry][] = Array.isArray(raw)
      ? raw.map((item, i) => {
          const entry = parseEntry(file, `${key}.${i}`, item);
          if (!entry.id) throw new ConfigError(issuePath(file, [key, i, 'id'], 'each entry of a multi-workspace array needs an "id"'));
          return [entry.id, `${key}.${i}.id`, entry];
        })
      : [[key, key, parseEntry(file, key, raw)]];
    for (const [name, where, entry] of entries) {
      const problem = workspaceNameProblem(name);
      if (problem) {
        throw new ConfigError(`${file}: ${shorten(where)}: ${JSON.stringify(shorten(name))} cannot name a workspace: ${problem}`, WORKSPACE_NAME_RULE);
      }
      if (config.workspaces.has(name)) throw new ConfigError(`${file}: workspace "${name}" is defined twice`);
      if (!entry.api_key_env && !entry.api_key) {
        throw new ConfigError(issuePath(file, [name, 'api_key_env'], 'missing: name the environment variable that holds the Retell API key'));
      }
      if (entry.api_key) {
        // Even when api_key_env wins, the file still holds a secret.
        config.warnings.push(`${file}: ${name}.api_key holds a literal API key; keep ${file} out of Git or use api_key_env`);
        registerSecret(entry.api_key);
        if (!entry.api_key_env) config.literalKeys.set(name, entry.api_key);
      }
      config.workspaces.set(name, {
        name,
        displayName: entry.name ?? name,
        apiKeyEnv: entry.api_key_env ?? null,
        literalApiKey: Boolean(entry.api_key && !entry.api_key_env),
        baseUrl: entry.base_url ?? null,
        twilio: entry.twilio ?? null,
      });
    }
  }
  return config;
}

const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_WORKSPACE_NAME = 64;
/** Names phone-dir itself uses directly under phone-numbers/: a workspace folder there would shadow them. */
const DATA_DIR_NAMES = new Set(['twilio', 'directory.json', 'pools.json']);
export const WORKSPACE_NAME_RULE =
  `a workspace name becomes the folder phone-numbers/<workspace>/: use at most ${MAX_WORKSPACE_NAME} letters, digits, ".", "_" and "-", starting with a letter or digit`;

function shorten(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/**
 * Why `name` cannot name a workspace, or null when it can. A workspace name becomes a folder of
 * phone-numbers/ and a key of plain objects in the views (numbers.json's `workspace`, directory.json's
 * `workspaces`), so it must be a plain file name, none of the names phone-dir keeps there, and no name
 * JavaScript objects already carry (`constructor`, `toString`, `__proto__`…), which lookups would mistake
 * for a workspace.
 */
export function workspaceNameProblem(name: string): string | null {
  if (name.length > MAX_WORKSPACE_NAME) return `longer than ${MAX_WORKSPACE_NAME} characters`;
  if (!WORKSPACE_NAME.test(name)) return 'use letters, digits, ".", "_" and "-", starting with a letter or digit';
  if (name.toLowerCase().endsWith('.tmp')) return 'names ending in .tmp are phone-dir\'s staged writes';
  if (DATA_DIR_NAMES.has(name.toLowerCase())) return `phone-numbers/${name.toLowerCase()} is phone-dir's own`;
  if (name in Object.prototype) return 'a name JavaScript objects already carry';
  return null;
}

export function requireWorkspace(config: Config, name: string): WorkspaceConfig {
  const ws = config.workspaces.get(name);
  if (!ws) {
    const known = [...config.workspaces.keys()].sort().join(', ') || 'none';
    throw new ConfigError(`${config.file}: unknown workspace "${name}"${didYouMean(name, config.workspaces.keys())} (known: ${known})`, `add "${name}" to ${config.file}`);
  }
  return ws;
}

type Env = Record<string, string | undefined>;

function readEnv(env: Env, variable: string, file: string, key: string): string {
  const value = env[variable];
  if (!value) {
    throw new ConfigError(`environment variable ${variable} (${file}: ${key}) is not set`, `export ${variable}=… before running phone-dir`);
  }
  registerSecret(value);
  return value;
}

export interface RetellCredentials { apiKey: string; baseUrl: string | null }

export function resolveRetellCredentials(config: Config, workspace: string, env: Env): RetellCredentials {
  const ws = requireWorkspace(config, workspace);
  const apiKey = ws.apiKeyEnv ? readEnv(env, ws.apiKeyEnv, config.file, `${workspace}.api_key_env`) : config.literalKeys.get(workspace)!;
  return { apiKey, baseUrl: env.PHONE_DIR_RETELL_BASE_URL || ws.baseUrl || null };
}

export type TwilioCredentials =
  | { accountSid: string; username: string; password: string; baseUrl: string | null };

/** Twilio credentials for a workspace (its own `twilio` section wins over the top-level one). */
export function resolveTwilioCredentials(config: Config, workspace: string | null, env: Env): TwilioCredentials {
  const section = (workspace ? config.workspaces.get(workspace)?.twilio : null) ?? config.twilio;
  const where = workspace && config.workspaces.get(workspace)?.twilio ? `${workspace}.twilio` : 'twilio';
  if (!section) throw new ConfigError(`${config.file}: no "twilio" section`, 'add {"twilio": {"account_sid_env": …, "auth_token_env": …}}');
  if (!section.account_sid_env) throw new ConfigError(`${config.file}: ${where}.account_sid_env: missing`);
  const accountSid = readEnv(env, section.account_sid_env, config.file, `${where}.account_sid_env`);
  const baseUrl = env.PHONE_DIR_TWILIO_BASE_URL || section.base_url || null;
  if (section.api_key_sid_env || section.api_key_secret_env) {
    if (!section.api_key_sid_env || !section.api_key_secret_env) {
      throw new ConfigError(`${config.file}: ${where}: api_key_sid_env and api_key_secret_env go together`);
    }
    const username = readEnv(env, section.api_key_sid_env, config.file, `${where}.api_key_sid_env`);
    const password = readEnv(env, section.api_key_secret_env, config.file, `${where}.api_key_secret_env`);
    return { accountSid, username, password, baseUrl };
  }
  if (!section.auth_token_env) throw new ConfigError(`${config.file}: ${where}.auth_token_env: missing (or give api_key_sid_env + api_key_secret_env)`);
  const password = readEnv(env, section.auth_token_env, config.file, `${where}.auth_token_env`);
  return { accountSid, username: accountSid, password, baseUrl };
}
