import type { Directory } from './model.js';
import type { Change } from './plan-change.js';
import type { ParsedViews } from './model-from-views.js';
import { renderViews } from './views.js';
import { differences } from './validate/equal.js';

/** A view file whose bytes differ from what the model read from it renders: `name` is project-relative. */
export interface ViewFile { kind: 'directory' | 'numbers' | 'assignments'; workspace?: string; name: string }

type Json = Record<string, unknown>;

const MAX_VALUE = 60;

function shown(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function byPhone(records: unknown): Map<string, Json> {
  const out = new Map<string, Json>();
  const list = Array.isArray(records) ? records : records && typeof records === 'object' ? Object.values(records) : [];
  for (const r of list as Json[]) if (r && typeof r.phone_number === 'string') out.set(r.phone_number, r);
  return out;
}

function recordsKey(kind: ViewFile['kind']): string {
  return kind === 'assignments' ? 'assignments' : 'numbers';
}

function fileChange(file: ViewFile, phone: string, path: string[], from: unknown, to: unknown): Change {
  const field = path.join('.') || '(record)';
  const where = phone ? `${phone} ${file.name}` : file.name;
  return {
    kind: 'change', scope: 'file', phone_number: phone, file: file.name, fields: [field],
    ...(file.workspace ? { workspace: file.workspace } : {}),
    summary: `~ ${where}: ${field} ${shown(from)} → ${shown(to)}`,
  };
}

/**
 * What a rewrite of these files changes although the model does not: derived fields edited by hand
 * (`phone_number_pretty`, `agent_path` in directory.json), totals, and (when no value differs) the layout.
 * `before` is the model read from `parsed`; a sync rewrites every view, so its plan lists these too.
 */
export function fileDriftChanges(before: Directory, parsed: ParsedViews, files: ViewFile[]): Change[] {
  if (files.length === 0) return [];
  const views = renderViews(before);
  const out: Change[] = [];
  for (const file of files) {
    const written = (file.kind === 'directory' ? parsed.directory : parsed.workspaces[file.workspace!]?.[file.kind]) as unknown as Json | null | undefined;
    const rendered = (file.kind === 'directory' ? views.directory : views.workspaces[file.workspace!]?.[file.kind]) as unknown as Json | undefined;
    if (!rendered) continue;
    const key = recordsKey(file.kind);
    const old = byPhone(written?.[key]);
    const next = byPhone(rendered[key]);
    const found: Change[] = [];
    for (const [phone, record] of next) {
      for (const d of differences(old.get(phone), record)) found.push(fileChange(file, phone, d.path, d.a, d.b));
    }
    for (const phone of old.keys()) if (!next.has(phone)) found.push(fileChange(file, phone, [], old.get(phone), undefined));
    const { [key]: _oldRecords, ...oldRest } = written ?? {};
    const { [key]: _newRecords, ...newRest } = rendered;
    for (const d of differences(oldRest, newRest)) found.push(fileChange(file, '', d.path, d.a, d.b));
    if (found.length === 0) found.push({ kind: 'change', scope: 'file', phone_number: '', file: file.name, fields: [], summary: `~ ${file.name}: rewritten in phone-dir's layout (no value changes)` });
    out.push(...found);
  }
  return out;
}
