import type { Finding } from './finding.js';
import { error } from './finding.js';
import type { ValidationInput } from './context.js';
import { renderViews } from '../views.js';
import { differences } from './equal.js';

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function compareRecords<T extends { phone_number: string }>(
  file: string,
  written: T[] | Record<string, T>,
  expected: T[] | Record<string, T>,
  workspace: string | undefined,
  what: string,
  skipField: (path: string[]) => boolean = () => false,
): Finding[] {
  const index = (xs: T[] | Record<string, T>) => new Map((Array.isArray(xs) ? xs : Object.values(xs)).map((x) => [x.phone_number, x]));
  const got = index(written);
  const want = index(expected);
  const out: Finding[] = [];
  for (const [num, entry] of got) {
    const other = want.get(num);
    if (!other) {
      out.push(error('views-disagree', `${num} is in ${file} but no other view has it as ${what}`, { phone_number: num, workspace, file }));
      continue;
    }
    for (const d of differences(entry, other)) {
      if (skipField(d.path)) continue;
      out.push(error('views-disagree', `${num}: ${file} ${d.path.join('.')} is ${describe(d.a)} but the other views give ${describe(d.b)}`, { phone_number: num, workspace, file }));
    }
  }
  for (const num of want.keys()) {
    if (!got.has(num)) out.push(error('views-disagree', `${num} is missing from ${file} but the other views have it as ${what}`, { phone_number: num, workspace, file }));
  }
  return out;
}

function compareDerived(file: string, field: string, written: unknown, expected: unknown, workspace?: string): Finding[] {
  return differences(written, expected, [field]).map((d) =>
    error('views-disagree', `${file}: ${d.path.join('.')} is ${describe(d.a)} but the numbers give ${describe(d.b)} (it is derived; do not edit it by hand)`, { file, workspace }));
}

/** The views are one model: re-render it and name every number, file and field that differs. */
export function checkViewsAgree(input: ValidationInput): Finding[] {
  const views = renderViews(input.dir);
  const out: Finding[] = [];
  const unreadable = input.unreadable?.workspaces ?? new Set<string>();
  const d = input.parsed.directory;
  if (d) {
    // A workspace whose own files could not be read cannot be compared with directory.json's view of it.
    const skip = (path: string[]) => path[0] === 'workspaces' && path[1] !== undefined && unreadable.has(path[1]);
    out.push(...compareRecords(input.files.directory, d.numbers, views.directory.numbers, undefined, 'a directory entry', skip));
    if (unreadable.size === 0) out.push(...compareDerived(input.files.directory, 'metadata', d.metadata, views.directory.metadata));
  }
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    const v = views.workspaces[ws];
    if (!v || unreadable.has(ws)) continue;
    if (files.numbers) {
      const f = input.files.numbers(ws);
      out.push(...compareRecords(f, files.numbers.numbers, v.numbers.numbers, ws, 'an imported number'));
      out.push(...compareDerived(f, 'summary', files.numbers.summary, v.numbers.summary, ws));
      if (files.numbers.workspace !== ws) out.push(error('views-disagree', `${f}: workspace is "${files.numbers.workspace}" but the folder is "${ws}"`, { file: f, workspace: ws }));
    }
    if (files.assignments) {
      const f = input.files.assignments(ws);
      if (files.numbers) {
        const imported = new Set(files.numbers.numbers.map((n) => n.phone_number));
        for (const a of files.assignments.assignments) {
          if (!imported.has(a.phone_number)) out.push(error('views-disagree', `${a.phone_number} is assigned in ${f} but not listed in ${input.files.numbers(ws)}`, { phone_number: a.phone_number, workspace: ws, file: f }));
        }
      }
      const known = new Set(files.numbers?.numbers.map((n) => n.phone_number) ?? []);
      const written = files.assignments.assignments.filter((a) => known.has(a.phone_number));
      out.push(...compareRecords(f, written, v.assignments.assignments, ws, 'an assignment'));
      out.push(...compareDerived(f, 'by_agent', files.assignments.by_agent, v.assignments.by_agent, ws));
      out.push(...compareDerived(f, 'unassigned', files.assignments.unassigned, v.assignments.unassigned, ws));
      if (files.assignments.workspace !== ws) out.push(error('views-disagree', `${f}: workspace is "${files.assignments.workspace}" but the folder is "${ws}"`, { file: f, workspace: ws }));
    }
  }
  return out;
}
