import { parseJsonText, parseJsonFile, duplicateKeyIssues, type FileIssue } from './parse-file.js';
import type { PoolsFile } from '../core/schemas.js';

export type SchemaKind = 'directory' | 'numbers' | 'assignments' | 'trunks' | 'sync' | 'pools';

type Validators = Record<SchemaKind, (data: unknown) => boolean>;
let validators: Promise<Validators> | undefined;

/** schemas/validators.mjs: the JSON Schemas (generated from the zod schemas) compiled to plain functions. */
function compiled(): Promise<Validators> {
  validators ??= import('../../schemas/validators.mjs') as Promise<Validators>;
  return validators;
}

const ZOD_SCHEMA: Record<SchemaKind, string> = {
  directory: 'directoryFileSchema', numbers: 'numbersFileSchema', assignments: 'assignmentsFileSchema',
  trunks: 'trunksFileSchema', sync: 'syncFileSchema', pools: 'poolsFileSchema',
};

/** pools.json's defaults, which zod fills in when it parses the file. */
function withPoolDefaults(pools: PoolsFile): PoolsFile {
  for (const p of Object.values(pools.pools)) {
    p.min_available ??= 0;
    if (p.provision) {
      p.provision.country ??= 'US';
      p.provision.type ??= 'local';
      p.provision.area_codes ??= [];
    }
  }
  return pools;
}

/**
 * The full schema check of a file, fast: the compiled validator accepts a good file in a fraction of
 * zod's time (and without loading zod); only a file it rejects goes through zod, for the precise
 * `file: path.to.field: message` issues. With `duplicateKeys` (validate), a key an object repeats is an
 * issue too: JSON.parse keeps the last copy, a person editing the file may have changed the first.
 */
export async function checkJsonFile<T>(file: string, text: string, kind: SchemaKind, opts: { duplicateKeys?: boolean } = {}): Promise<{ value: T | null; issues: FileIssue[] }> {
  const parsed = parseJsonText(file, text);
  if (parsed.issues.length) return { value: null, issues: parsed.issues };
  if (opts.duplicateKeys) {
    const duplicates = duplicateKeyIssues(file, text, parsed.value);
    if (duplicates.length) return { value: null, issues: duplicates };
  }
  if ((await compiled())[kind](parsed.value)) {
    return { value: (kind === 'pools' ? withPoolDefaults(parsed.value as PoolsFile) : parsed.value) as T, issues: [] };
  }
  const schemas = await import('../core/schemas.js');
  const result = parseJsonFile(file, text, schemas[ZOD_SCHEMA[kind] as keyof typeof schemas] as Parameters<typeof parseJsonFile>[2]);
  return { value: result.value as T | null, issues: result.issues };
}
