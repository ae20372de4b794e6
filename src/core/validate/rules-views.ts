import type { Finding } from './finding.js';
import { error } from './finding.js';
import type { ValidationInput } from './context.js';
import { renderDirectoryEntry, renderWorkspaceNumber, renderAssignment, deriveMetadata, deriveWorkspace } from '../views.js';
import { sortedNumbers } from '../model.js';
import { differences } from './equal.js';

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

/**
 * Compares the records a file holds with the ones the model renders, one record at a time: rendering all
 * views up front would double the memory of a 100,000-number directory.
 */
function compareRecords<T extends { phone_number: string }>(
  file: string,
  written: Iterable<T>,
  expectedFor: (phone: string) => object | undefined,
  expectedPhones: Iterable<string>,
  workspace: string | undefined,
  what: string,
  skipField: (path: string[]) => boolean = () => false,
): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const entry of written) {
    const num = entry.phone_number;
    seen.add(num);
    const other = expectedFor(num);
    if (!other) {
      out.push(error('views-disagree', `${num} is in ${file} but no other view has it as ${what}`, { phone_number: num, workspace, file }));
      continue;
    }
    for (const d of differences(entry, other)) {
      if (skipField(d.path)) continue;
      out.push(error('views-disagree', `${num}: ${file} ${d.path.join('.')} is ${describe(d.a)} but the other views give ${describe(d.b)}`, { phone_number: num, workspace, file }));
    }
  }
  for (const num of expectedPhones) {
    if (!seen.has(num)) out.push(error('views-disagree', `${num} is missing from ${file} but the other views have it as ${what}`, { phone_number: num, workspace, file }));
  }
  return out;
}

function compareDerived(file: string, field: string, written: unknown, expected: unknown, workspace?: string): Finding[] {
  return differences(written, expected, [field]).map((d) =>
    error('views-disagree', `${file}: ${d.path.join('.')} is ${describe(d.a)} but the numbers give ${describe(d.b)} (it is derived; do not edit it by hand)`, { file, workspace }));
}

/** The views are one model: render it record by record and name every number, file and field that differs. */
export function checkViewsAgree(input: ValidationInput): Finding[] {
  const numbers = sortedNumbers(input.dir);
  const out: Finding[] = [];
  const unreadable = input.unreadable?.workspaces ?? new Set<string>();
  const record = (phone: string) => input.dir.numbers.get(phone);
  const d = input.parsed.directory;
  if (d) {
    // A workspace whose own files could not be read cannot be compared with directory.json's view of it.
    const skip = (path: string[]) => path[0] === 'workspaces' && path[1] !== undefined && unreadable.has(path[1]);
    const expected = (phone: string) => { const n = record(phone); return n && renderDirectoryEntry(n); };
    out.push(...compareRecords(input.files.directory, Object.values(d.numbers), expected, input.dir.numbers.keys(), undefined, 'a directory entry', skip));
    if (unreadable.size === 0) out.push(...compareDerived(input.files.directory, 'metadata', d.metadata, deriveMetadata(input.dir, numbers)));
  }
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    if (!input.dir.workspaces.has(ws) || unreadable.has(ws)) continue;
    const inWorkspace = () => numbers.filter((n) => n.workspaces[ws]).map((n) => n.phone_number);
    const derived = deriveWorkspace(numbers, ws);
    if (files.numbers) {
      const f = input.files.numbers(ws);
      const expected = (phone: string) => { const n = record(phone); const wn = n?.workspaces[ws]; return n && wn && renderWorkspaceNumber(n, wn); };
      out.push(...compareRecords(f, files.numbers.numbers, expected, inWorkspace(), ws, 'an imported number'));
      out.push(...compareDerived(f, 'summary', files.numbers.summary, derived.summary, ws));
      if (files.numbers.workspace !== ws) out.push(error('views-disagree', `${f}: workspace is "${files.numbers.workspace}" but the folder is "${ws}"`, { file: f, workspace: ws }));
    }
    if (files.assignments) {
      const f = input.files.assignments(ws);
      const known = new Set(files.numbers?.numbers.map((n) => n.phone_number) ?? []);
      if (files.numbers) {
        for (const a of files.assignments.assignments) {
          if (!known.has(a.phone_number)) out.push(error('views-disagree', `${a.phone_number} is assigned in ${f} but not listed in ${input.files.numbers(ws)}`, { phone_number: a.phone_number, workspace: ws, file: f }));
        }
      }
      const written = files.assignments.assignments.filter((a) => known.has(a.phone_number));
      const expected = (phone: string) => { const a = record(phone)?.workspaces[ws]?.assignment; return a ? renderAssignment(phone, a) : undefined; };
      const assigned = numbers.filter((n) => n.workspaces[ws]?.assignment).map((n) => n.phone_number);
      out.push(...compareRecords(f, written, expected, assigned, ws, 'an assignment'));
      out.push(...compareDerived(f, 'by_agent', files.assignments.by_agent, derived.by_agent, ws));
      out.push(...compareDerived(f, 'unassigned', files.assignments.unassigned, derived.unassigned, ws));
      if (files.assignments.workspace !== ws) out.push(error('views-disagree', `${f}: workspace is "${files.assignments.workspace}" but the folder is "${ws}"`, { file: f, workspace: ws }));
    }
  }
  return out;
}
