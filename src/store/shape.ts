import type { FileIssue } from './parse-file.js';
import { workspaceNameProblem } from '../core/config.js';

/**
 * The cheap structural check reading commands use instead of the full schema (which costs ~100 ms at
 * 3,000 numbers): enough that the code reading the file cannot trip over it. `validate`, sync and
 * `init` apply the full schema (src/store/schema-check.ts).
 */
type Kind = 'directory' | 'numbers' | 'assignments';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function recordIssue(file: string, field: string, message: string): FileIssue {
  return { file, field, message };
}

const E164 = /^\+[1-9]\d{6,14}$/;
const ENUMS: Record<string, ReadonlySet<string>> = {
  phone_number_type: new Set(['local', 'toll-free', 'mobile']),
  status: new Set(['active', 'reserved', 'protected']),
  import_method: new Set(['sip-trunk', 'direct-purchase', 'carrier-api']),
  assignment_type: new Set(['inbound-outbound', 'inbound-only', 'outbound-only', 'unassigned']),
};

/** The values commands branch on: an out-of-range one would be shown as if it were fine. */
/** A provider is a registry name (a carrier's, or a platform's own numbers'): its block is looked up by it. */
const PROVIDER = /^[a-z][a-z0-9-]*$/;

function valueIssue(entry: Record<string, unknown>): [string, string] | null {
  if (!E164.test(entry.phone_number as string)) return ['phone_number', 'expected an E.164 number like +14155551234'];
  if (entry.provider !== undefined && (typeof entry.provider !== 'string' || !PROVIDER.test(entry.provider))) return ['provider', 'expected a provider name like "twilio" or "retell-twilio"'];
  for (const [field, allowed] of Object.entries(ENUMS)) {
    const v = entry[field];
    if (v !== undefined && !allowed.has(v as string)) return [field, `expected one of ${[...allowed].join(', ')}`];
  }
  return null;
}

function workspaceKeyIssue(file: string, key: string, workspaces: Record<string, unknown>): FileIssue | null {
  for (const ws of Object.keys(workspaces)) {
    const problem = workspaceNameProblem(ws);
    if (problem) return recordIssue(file, `numbers.${key}.workspaces`, `${JSON.stringify(ws.slice(0, 40))} cannot name a workspace: ${problem}`);
  }
  return null;
}

/**
 * The workspace keys of directory.json's entries, which come from a file rather than workspaces.json:
 * checked like workspace names (the full schema accepts any string), so no lookup mistakes `constructor`
 * for a workspace.
 */
export function directoryWorkspaceKeyIssues(file: string, json: unknown): FileIssue[] {
  if (!isObject(json) || !isObject(json.numbers)) return [];
  const issues: FileIssue[] = [];
  for (const [key, entry] of Object.entries(json.numbers)) {
    const issue = isObject(entry) && isObject(entry.workspaces) ? workspaceKeyIssue(file, key, entry.workspaces) : null;
    if (issue) issues.push(issue);
  }
  return issues;
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
    const bad = valueIssue(entry);
    if (bad) return [recordIssue(file, `${field}.${key}.${bad[0]}`, bad[1])];
    if (kind === 'directory' && isObject(entry.workspaces)) {
      const badName = workspaceKeyIssue(file, key, entry.workspaces);
      if (badName) return [badName];
      for (const [ws, w] of Object.entries(entry.workspaces)) {
        const inner: [string, string] | null = isObject(w) ? valueIssue({ phone_number: entry.phone_number, assignment_type: w.assignment_type }) : ['(value)', 'expected an object'];
        if (inner) return [recordIssue(file, `${field}.${key}.workspaces.${ws}.${inner[0]}`, inner[1])];
      }
    }
    if (kind === 'directory' && (!isObject(entry.workspaces) || !Array.isArray(entry.tags) || !isObject(entry.capabilities))) {
      return [recordIssue(file, `${field}.${key}`, 'expected workspaces, tags and capabilities')];
    }
    if (kind === 'assignments' && (entry.inbound_agents !== undefined && !Array.isArray(entry.inbound_agents) || entry.outbound_agents !== undefined && !Array.isArray(entry.outbound_agents))) {
      return [recordIssue(file, `${field}.${key}`, 'inbound_agents / outbound_agents must be arrays')];
    }
  }
  return [];
}
