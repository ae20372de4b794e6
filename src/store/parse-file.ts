import type { z } from 'zod';

export interface FileIssue { file: string; field: string; message: string }

export function formatIssue(issue: FileIssue): string {
  return `${issue.file}: ${issue.field}: ${issue.message}`;
}

export function parseJsonText(file: string, text: string): { value: unknown; issues: FileIssue[] } {
  try {
    return { value: JSON.parse(text), issues: [] };
  } catch (err) {
    return { value: null, issues: [{ file, field: '(file)', message: `invalid JSON: ${(err as Error).message}` }] };
  }
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
