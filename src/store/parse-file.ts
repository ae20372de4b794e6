import type { z } from 'zod';
import { findSyntaxError, findDuplicateKeys, lineColumn, type DuplicateKey } from './json-scan.js';

export interface FileIssue {
  file: string;
  field: string;
  message: string;
  /** Where in the file (1-based), when the problem is at one place of its text. */
  line?: number;
  column?: number;
  /** The file could not be parsed at all (a JSON syntax error): exit 2, not a failed check. */
  unparsable?: boolean;
  /** An object of the file repeats this key. */
  duplicateKey?: boolean;
}

export function formatIssue(issue: FileIssue): string {
  if (issue.line === undefined) return `${issue.file}: ${issue.field}: ${issue.message}`;
  const where = `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.field === '(file)' ? `${where}: ${issue.message}` : `${where}: ${issue.field}: ${issue.message}`;
}

/** The issue of a text JSON.parse rejected, located by the scanner (V8's own message may quote a secret). */
function syntaxIssue(file: string, text: string): FileIssue {
  const found = findSyntaxError(text) ?? { offset: 0, message: 'not valid JSON' };
  return { file, field: '(file)', message: `invalid JSON: ${found.message}`, ...lineColumn(text, found.offset), unparsable: true };
}

export function parseJsonText(file: string, text: string): { value: unknown; issues: FileIssue[] } {
  try {
    return { value: JSON.parse(text), issues: [] };
  } catch {
    return { value: null, issues: [syntaxIssue(file, text)] };
  }
}

function duplicateIssue(file: string, text: string, duplicate: DuplicateKey): FileIssue {
  const first = lineColumn(text, duplicate.firstOffset);
  return {
    file,
    field: [...duplicate.path, duplicate.key].join('.'),
    message: `duplicate key "${duplicate.key}" (first at line ${first.line}); JSON readers keep only the last copy, so remove one`,
    ...lineColumn(text, duplicate.offset),
    duplicateKey: true,
  };
}

/**
 * Keys an object of a (valid) JSON text repeats, as issues at the repeated key. With the parsed `value`, a
 * text that is exactly its value written the way phone-dir writes files (2-space JSON, trailing newline)
 * cannot repeat a key (every member it holds is in the value), so the scan is skipped: the common case of
 * an untouched file costs one JSON.stringify instead of a walk of every key.
 */
export function duplicateKeyIssues(file: string, text: string, value?: unknown): FileIssue[] {
  if (value !== undefined && `${JSON.stringify(value, null, 2)}\n` === text) return [];
  return findDuplicateKeys(text).map((d) => duplicateIssue(file, text, d));
}

/** Parses JSON text against a schema, returning every issue as `file: path.to.field: message`. */
export function parseJsonFile<T extends z.ZodType>(
  file: string,
  text: string,
  schema: T,
): { value: z.infer<T> | null; issues: FileIssue[] } {
  const { value: json, issues } = parseJsonText(file, text);
  if (issues.length) return { value: null, issues };
  const result = schema.safeParse(json);
  if (result.success) return { value: result.data, issues: [] };
  return {
    value: null,
    issues: result.error.issues.map((i) => ({ file, field: i.path.map(String).join('.') || '(root)', message: i.message })),
  };
}
