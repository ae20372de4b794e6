import type { z } from 'zod';

export interface FileIssue { file: string; field: string; message: string }

export function formatIssue(issue: FileIssue): string {
  return `${issue.file}: ${issue.field}: ${issue.message}`;
}

/** Parses JSON text against a schema, returning every issue as `file: path.to.field: message`. */
export function parseJsonFile<T extends z.ZodType>(
  file: string,
  text: string,
  schema: T,
): { value: z.infer<T> | null; issues: FileIssue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [{ file, field: '(file)', message: `invalid JSON: ${(err as Error).message}` }] };
  }
  const result = schema.safeParse(json);
  if (result.success) return { value: result.data, issues: [] };
  return {
    value: null,
    issues: result.error.issues.map((i) => ({ file, field: i.path.map(String).join('.') || '(root)', message: i.message })),
  };
}
