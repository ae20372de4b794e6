import { ConfigError } from './errors.js';
import { redactUrlCredentials, registerSecret } from './secrets.js';
import { didYouMean } from './suggest.js';

/** A carrier's section of workspaces.json, its fields checked against the carrier's own field list. */
export type CarrierSection = Record<string, unknown>;

interface WorkspaceEntry {
  id?: string;
  name?: string;
  platform?: string;
  api_key_env?: string;
  api_key?: string;
  base_url?: string;
  [key: string]: unknown;
}

export type FieldKind = 'string' | 'name' | 'url';

/** The carriers' workspaces.json sections and their fields (the registry's entries say which). */
export interface ConfigCatalog { carrierSections: ReadonlyMap<string, Record<string, FieldKind>> }

const ENTRY_FIELDS: Record<string, FieldKind> = { id: 'name', name: 'string', platform: 'name', api_key_env: 'name', api_key: 'name', base_url: 'url' };

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

export interface WorkspaceConfig {
  name: string;
  displayName: string;
  /** `"platform"`: null for the default platform (files written before there was a choice). */
  platform: string | null;
  apiKeyEnv: string | null;
  literalApiKey: boolean;
  baseUrl: string | null;
  /** Carrier sections of this workspace's own, overriding the top-level ones. */
  carriers: Map<string, CarrierSection>;
}

export interface Config {
  file: string;
  mode: string | null;
  /** Top-level carrier sections, by carrier name. */
  carriers: Map<string, CarrierSection>;
  workspaces: Map<string, WorkspaceConfig>;
  warnings: string[];
  /** Literal keys are kept out of WorkspaceConfig so that printing a config never prints a secret. */
  literalKeys: Map<string, string>;
}

/** Top-level keys of workspaces.json that are neither workspaces nor carrier sections. */
const FILE_KEYS = ['$schema', 'mode'] as const;

/** Every top-level key that does not name a workspace: the file's own keys and each carrier's section. */
export function reservedKeys(catalog: ConfigCatalog): string[] {
  return [...FILE_KEYS, ...catalog.carrierSections.keys()];
}
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

function carrierSections(file: string, path: PropertyKey[], obj: Record<string, unknown>, catalog: ConfigCatalog): Map<string, CarrierSection> {
  const sections = new Map<string, CarrierSection>();
  for (const [name, fields] of catalog.carrierSections) {
    if (obj[name] !== undefined) sections.set(name, checkFields<CarrierSection>(file, [...path, name], obj[name], fields));
  }
  return sections;
}

function parseEntry(file: string, key: string, raw: unknown, catalog: ConfigCatalog): { entry: WorkspaceEntry; carriers: Map<string, CarrierSection> } {
  const entry = checkFields<WorkspaceEntry>(file, [key], raw, ENTRY_FIELDS);
  return { entry, carriers: carrierSections(file, [key], entry, catalog) };
}

/** Parses workspaces.json in either Retell CLI form (single entries, or `production` as an array of entries with ids). */
export function parseConfig(file: string, json: unknown, catalog: ConfigCatalog): Config {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`${file}: expected a JSON object of workspaces`);
  }
  const obj = json as Record<string, unknown>;
  const config: Config = { file, mode: null, carriers: carrierSections(file, [], obj, catalog), workspaces: new Map(), warnings: [], literalKeys: new Map() };
  config.mode = checkMode(file, obj.mode, obj.production, config.warnings);
  const reserved = new Set(reservedKeys(catalog));
  for (const [key, raw] of Object.entries(obj)) {
    if (reserved.has(key)) continue;
    // [workspace name, where the name is written, entry]
    const entries: [string, string, ReturnType<typeof parseEntry>][] = Array.isArray(raw)
      ? raw.map((item, i) => {
          const parsed = parseEntry(file, `${key}.${i}`, item, catalog);
          if (!parsed.entry.id) throw new ConfigError(issuePath(file, [key, i, 'id'], 'each entry of a multi-workspace array needs an "id"'));
          return [parsed.entry.id, `${key}.${i}.id`, parsed];
        })
      : [[key, key, parseEntry(file, key, raw, catalog)]];
    for (const [name, where, { entry, carriers }] of entries) {
      const problem = workspaceNameProblem(name);
      if (problem) {
        throw new ConfigError(`${file}: ${shorten(where)}: ${JSON.stringify(shorten(name))} cannot name a workspace: ${problem}`, WORKSPACE_NAME_RULE);
      }
      if (config.workspaces.has(name)) throw new ConfigError(`${file}: workspace "${name}" is defined twice`);
      if (!entry.api_key_env && !entry.api_key) {
        throw new ConfigError(issuePath(file, [name, 'api_key_env'], `missing: name the environment variable that holds the workspace's API key`));
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
        platform: entry.platform ?? null,
        apiKeyEnv: entry.api_key_env ?? null,
        literalApiKey: Boolean(entry.api_key && !entry.api_key_env),
        baseUrl: entry.base_url ?? null,
        carriers,
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

/** The value of a variable a config key names; missing or empty is a ConfigError naming both. Registered as a secret. */
export function readEnv(env: Env, variable: string, file: string, key: string): string {
  const value = env[variable];
  if (!value) {
    throw new ConfigError(`environment variable ${variable} (${file}: ${key}) is not set`, `export ${variable}=… before running phone-dir`);
  }
  registerSecret(value);
  return value;
}

/** A workspace's API key and base URL (`baseUrlEnv` set in the environment wins over the entry's base_url). */
export function resolveWorkspaceKey(config: Config, workspace: string, env: Env, baseUrlEnv: string): { apiKey: string; baseUrl: string | null; hint: string } {
  const ws = requireWorkspace(config, workspace);
  const apiKey = ws.apiKeyEnv ? readEnv(env, ws.apiKeyEnv, config.file, `${workspace}.api_key_env`) : config.literalKeys.get(workspace)!;
  const hint = ws.apiKeyEnv ? `${ws.apiKeyEnv} (${config.file}: ${workspace}.api_key_env)` : `${workspace}.api_key in ${config.file}`;
  return { apiKey, baseUrl: env[baseUrlEnv] || ws.baseUrl || null, hint };
}

/** The carrier section that applies to a workspace (its own wins over the top-level one), with where it is written. */
export function carrierSectionFor(config: Config, carrier: string, workspace: string | null): { section: CarrierSection; where: string } | null {
  const own = workspace ? config.workspaces.get(workspace)?.carriers.get(carrier) : undefined;
  if (own) return { section: own, where: `${workspace}.${carrier}` };
  const top = config.carriers.get(carrier);
  return top ? { section: top, where: carrier } : null;
}
