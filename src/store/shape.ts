import type { FileIssue } from './parse-file.js';

/**
 * The cheap structural check reading commands use instead of the full schema (which costs ~100 ms at
 * 3,000 numbers): enough that the code reading the file cannot trip over it. `validate` and every
 * writer still apply the full zod schema.
 */
type Kind = 'directory' | 'numbers' | 'assignments';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function recordIssue(file: string, field: string, message: string): FileIssue {
  return { file, field, message };
}

export function checkShape(kind: Kind, file: string, json: unknown): FileIssue[] {
  if (!isObject(json)) return [recordIssue(file, '(root)', 'expected a JSON object')];
  const records = kind === 'directory' ? json.numbers : kind === 'numbers' ? json.numbers : json.assignments;
  const field = kind === 'assignments' ? 'assignments' : 'numbers';
  if (kind === 'directory' ? !isObject(records) : !Array.isArray(records)) {
    return [recordIssue(file, field, kind === 'directory' ? 'expected an object keyed by E.164 number' : 'expected an array')];
  }
  const entries = Array.isArray(records) ? records.map((r, i) => [String(i), r] as const) : Object.entries(records as Record<string, unknown>);
  for (const [key, entry] of entries) {
    if (!isObject(entry) || typeof entry.phone_number !== 'string') return [recordIssue(file, `${field}.${key}.phone_number`, 'expected an object with a phone_number string')];
    if (kind === 'directory' && (!isObject(entry.workspaces) || !Array.isArray(entry.tags) || !isObject(entry.capabilities))) {
      return [recordIssue(file, `${field}.${key}`, 'expected workspaces, tags and capabilities')];
    }
    if (kind === 'assignments' && (entry.inbound_agents !== undefined && !Array.isArray(entry.inbound_agents) || entry.outbound_agents !== undefined && !Array.isArray(entry.outbound_agents))) {
      return [recordIssue(file, `${field}.${key}`, 'inbound_agents / outbound_agents must be arrays')];
    }
  }
  return [];
}
