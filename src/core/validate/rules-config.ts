import { z } from 'zod';
import type { Finding } from './finding.js';
import { error, warning } from './finding.js';
import { parseConfig, reservedKeys, type ConfigCatalog, type FieldKind } from '../config.js';
import { PhoneDirError } from '../errors.js';
import { didYouMean } from '../suggest.js';

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/** What validate needs to know of the registry to check workspaces.json: the carriers' sections and the platforms' names. */
export interface ConfigRulesCatalog extends ConfigCatalog { platforms: readonly string[] }

// Patterns rather than min(1), as in schemas.ts.
const envName = z.string().regex(/^\S+$/, 'expected the name of an environment variable');
const nonEmpty = z.string().regex(/\S/, 'must not be empty');
const FIELD_SCHEMAS: Record<FieldKind, z.ZodType> = { name: envName, url: z.string(), string: z.string() };

function sectionSchema(fields: Record<string, FieldKind>): ObjectSchema {
  return z.strictObject(Object.fromEntries(Object.entries(fields).map(([key, kind]) => [key, FIELD_SCHEMAS[kind].optional()])));
}

function entrySchema(catalog: ConfigRulesCatalog): ObjectSchema {
  const sections = Object.fromEntries([...catalog.carrierSections].map(([name, fields]) => [name, sectionSchema(fields).optional()]));
  return z.strictObject({
    id: nonEmpty.optional(),
    name: z.string().optional(),
    platform: z.string().optional(),
    api_key_env: envName.optional(),
    api_key: nonEmpty.optional(),
    base_url: z.string().optional(),
    ...sections,
  });
}

function schemaFindings(file: string, path: string[], value: unknown, schema: ObjectSchema, catalog: ConfigRulesCatalog): Finding[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const known = Object.keys(schema.shape);
  return result.error.issues.flatMap((issue) => {
    const at = [...path, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      // A key inside a nested carrier section is compared with that section's keys.
      const section = issue.path.length ? catalog.carrierSections.get(String(issue.path[issue.path.length - 1])) : undefined;
      const keysHere = issue.path.length ? Object.keys(section ?? {}) : known;
      return issue.keys.map((key) => error('config', `${file}: ${[...at, key].join('.')}: unknown key${didYouMean(key, keysHere)}`, { file }));
    }
    return [error('config', `${file}: ${at.join('.') || '(root)'}: ${issue.message}`, { file })];
  });
}

function platformFindings(file: string, path: string[], value: unknown, catalog: ConfigRulesCatalog): Finding[] {
  const platform = (value as { platform?: unknown } | null)?.platform;
  if (typeof platform !== 'string' || catalog.platforms.includes(platform)) return [];
  return [error('config', `${file}: ${[...path, 'platform'].join('.')}: "${platform}" is not a voice platform phone-dir knows${didYouMean(platform, catalog.platforms)} (known: ${[...catalog.platforms].sort().join(', ')})`, { file })];
}

function entryFindings(file: string, key: string, value: unknown, catalog: ConfigRulesCatalog, schema: ObjectSchema): Finding[] {
  const reserved = reservedKeys(catalog);
  const check = (path: string[], item: unknown) => {
    const found = schemaFindings(file, path, item, schema, catalog);
    return found.length ? found : platformFindings(file, path, item, catalog);
  };
  if (Array.isArray(value)) return value.flatMap((item, index) => check([key, String(index)], item));
  if (typeof value !== 'object' || value === null) {
    return [error('config', `${file}: ${key}: expected a workspace entry (an object) or an array of entries${didYouMean(key, reserved)}`, { file })];
  }
  const found = check([key], value);
  // "twillio": {…} is read as a workspace; say which section was probably meant.
  const hint = didYouMean(key, reserved);
  if (found.length && hint) found.unshift(error('config', `${file}: ${key}: read as a workspace${hint}`, { file }));
  return found;
}

/**
 * workspaces.json, checked as `sync` will read it: every key of every entry known (a typo is a finding
 * with a suggestion, where sync would silently ignore the key), then the reader's own rules.
 */
export function checkWorkspacesConfig(file: string, json: unknown, catalog: ConfigRulesCatalog): Finding[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [error('config', `${file}: (root): expected a JSON object of workspaces`, { file })];
  const obj = json as Record<string, unknown>;
  const out: Finding[] = [];
  const entry = entrySchema(catalog);
  for (const [key, value] of Object.entries(obj)) {
    const fields = catalog.carrierSections.get(key);
    if (fields) out.push(...schemaFindings(file, [key], value, sectionSchema(fields), catalog));
    else if (key === 'mode' || key === '$schema') {
      if (typeof value !== 'string') out.push(error('config', `${file}: ${key}: expected a string`, { file }));
    } else out.push(...entryFindings(file, key, value, catalog, entry));
  }
  if (out.length) return out;
  try {
    return parseConfig(file, obj, catalog).warnings.map((message) => warning('config', message, { file }));
  } catch (err) {
    if (err instanceof PhoneDirError) return [error('config', err.message, { file })];
    throw err;
  }
}
