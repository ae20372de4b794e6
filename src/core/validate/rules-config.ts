import type { z } from 'zod';
import type { Finding } from './finding.js';
import { error, warning } from './finding.js';
import { parseConfig, WORKSPACES_RESERVED_KEYS } from '../config.js';
import { PhoneDirError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { twilioConfigSchema, signalwireConfigSchema, workspaceEntrySchema } from '../schemas.js';

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/** The keys of the sections an entry may nest, for suggestions about a key inside them. */
const SECTION_KEYS: Record<string, string[]> = { twilio: Object.keys(twilioConfigSchema.shape), signalwire: Object.keys(signalwireConfigSchema.shape) };

function schemaFindings(file: string, path: string[], value: unknown, schema: ObjectSchema): Finding[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const known = Object.keys(schema.shape);
  return result.error.issues.flatMap((issue) => {
    const at = [...path, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      // A key inside a nested section (twilio inside an entry) is compared with that section's keys.
      const keysHere = issue.path.length ? (SECTION_KEYS[String(issue.path[issue.path.length - 1])] ?? []) : known;
      return issue.keys.map((key) => error('config', `${file}: ${[...at, key].join('.')}: unknown key${didYouMean(key, keysHere)}`, { file }));
    }
    return [error('config', `${file}: ${at.join('.') || '(root)'}: ${issue.message}`, { file })];
  });
}

function entryFindings(file: string, key: string, value: unknown): Finding[] {
  const reserved: readonly string[] = WORKSPACES_RESERVED_KEYS;
  if (Array.isArray(value)) return value.flatMap((item, index) => schemaFindings(file, [key, String(index)], item, workspaceEntrySchema as unknown as ObjectSchema));
  if (typeof value !== 'object' || value === null) {
    return [error('config', `${file}: ${key}: expected a workspace entry (an object) or an array of entries${didYouMean(key, reserved)}`, { file })];
  }
  const found = schemaFindings(file, [key], value, workspaceEntrySchema as unknown as ObjectSchema);
  // "twillio": {…} is read as a workspace; say which section was probably meant.
  const hint = didYouMean(key, reserved);
  if (found.length && hint) found.unshift(error('config', `${file}: ${key}: read as a workspace${hint}`, { file }));
  return found;
}

/**
 * workspaces.json, checked as `sync` will read it: every key of every entry known (a typo is a finding
 * with a suggestion, where sync would silently ignore the key), then the reader's own rules.
 */
export function checkWorkspacesConfig(file: string, json: unknown): Finding[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [error('config', `${file}: (root): expected a JSON object of workspaces`, { file })];
  const obj = json as Record<string, unknown>;
  const out: Finding[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'twilio') out.push(...schemaFindings(file, [key], value, twilioConfigSchema as unknown as ObjectSchema));
    else if (key === 'signalwire') out.push(...schemaFindings(file, [key], value, signalwireConfigSchema as unknown as ObjectSchema));
    else if (key === 'mode' || key === '$schema') {
      if (typeof value !== 'string') out.push(error('config', `${file}: ${key}: expected a string`, { file }));
    } else out.push(...entryFindings(file, key, value));
  }
  if (out.length) return out;
  try {
    return parseConfig(file, obj).warnings.map((message) => warning('config', message, { file }));
  } catch (err) {
    if (err instanceof PhoneDirError) return [error('config', err.message, { file })];
    throw err;
  }
}
