import type { Finding } from './finding.js';
import { error } from './finding.js';
import { numbersOf, type ValidationInput } from './context.js';
import { renderDirectoryEntry, deriveMetadata, deriveWorkspace } from '../views.js';
import { assignmentTypeOf } from '../model.js';
import { formatPretty, areaCodeOf } from '../phone.js';
import type { DirectoryFile, NumbersFile } from '../schemas.js';
import { differences, sameValue } from './equal.js';
import { blameAssignments, blameFor, correctedNumbers, outvotedDirectoryFields, type AssignmentBlame } from './blame.js';

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function compareDerived(file: string, field: string, written: unknown, expected: unknown, workspace?: string): Finding[] {
  return differences(written, expected, [field]).map((d) =>
    error('views-disagree', `${file}: ${d.path.join('.')} is ${describe(d.a)} but the numbers give ${describe(d.b)} (it is derived; do not edit it by hand)`, { file, workspace }));
}

type Push = (f: Finding) => void;

function fieldCheck(push: Push, num: string, file: string, workspace: string | undefined) {
  return (field: string, got: unknown, want: unknown) => {
    if (!sameValue(got, want)) push(error('views-disagree', `${num}: ${file} ${field} is ${describe(got)} but the other views give ${describe(want)}`, { phone_number: num, workspace, file }));
  };
}

/**
 * The model is built from the views, so only what one file repeats from another (or derives) can
 * disagree: those fields are compared directly, without rendering the views again, which keeps
 * validate fast on large directories.
 */
function checkDirectoryEntries(input: ValidationInput, d: DirectoryFile, unreadable: ReadonlySet<string>, blames: Map<string, AssignmentBlame>, push: Push): void {
  const file = input.files.directory;
  for (const entry of Object.values(d.numbers)) {
    const num = entry.phone_number;
    const record = input.dir.numbers.get(num);
    if (!record) continue;
    const check = fieldCheck(push, num, file, undefined);
    check('phone_number_pretty', entry.phone_number_pretty, formatPretty(num));
    check('area_code', entry.area_code, areaCodeOf(num));
    for (const ws of new Set([...Object.keys(entry.workspaces), ...Object.keys(record.workspaces)])) {
      if (unreadable.has(ws)) continue;
      const wn = record.workspaces[ws];
      const written = entry.workspaces[ws];
      if (!written || !wn) {
        check(`workspaces.${ws}`, written, wn && renderDirectoryEntry(record).workspaces[ws]);
        continue;
      }
      check(`workspaces.${ws}.imported`, written.imported, true);
      check(`workspaces.${ws}.import_date`, written.import_date, wn.import_date);
      // What assignments.json is blamed for was reported there, at the edit.
      const blamed = blameFor(blames, ws, num)?.fields;
      if (!blamed?.has('agent_path')) check(`workspaces.${ws}.agent_path`, written.agent_path, wn.assignment?.agent_path ?? null);
      if (!blamed?.has('agent_id')) check(`workspaces.${ws}.agent_id`, written.agent_id, wn.assignment?.agent_id ?? null);
      if (!blamed?.has('assignment_type')) check(`workspaces.${ws}.assignment_type`, written.assignment_type, assignmentTypeOf(wn));
    }
  }
  for (const num of input.dir.numbers.keys()) {
    if (!d.numbers[num]) push(error('views-disagree', `${num} is missing from ${file} but the other views have it as a directory entry`, { phone_number: num, file }));
  }
}

function checkWorkspaceEntries(input: ValidationInput, ws: string, numbers: NumbersFile, blames: Map<string, AssignmentBlame>, outvoted: Map<string, Set<string>>, push: Push): void {
  const file = input.files.numbers(ws);
  for (const entry of numbers.numbers) {
    const num = entry.phone_number;
    const record = input.dir.numbers.get(num);
    const wn = record?.workspaces[ws];
    if (!record || !wn) continue;
    const judged = fieldCheck(push, num, file, ws);
    // A field directory.json was outvoted on was reported there.
    const check = (field: string, got: unknown, want: unknown) => { if (!outvoted.get(num)?.has(field)) judged(field, got, want); };
    check('phone_number_pretty', entry.phone_number_pretty, formatPretty(num));
    check('phone_number_type', entry.phone_number_type, record.phone_number_type);
    check('provider', entry.provider, record.provider);
    if (!blameFor(blames, ws, num)?.presence) check('assigned', entry.assigned, wn.assignment !== null);
    check('pool', entry.pool, record.pool);
    check('status', entry.status ?? 'active', record.status);
    check('last_assigned', entry.last_assigned, record.last_assigned);
    check('last_released', entry.last_released, record.last_released);
  }
}

/** The views are one model: name every number, file and field where they disagree. */
export function checkViewsAgree(input: ValidationInput): Finding[] {
  const numbers = numbersOf(input);
  const out: Finding[] = [];
  const push: Push = (f) => out.push(f);
  const unreadable = input.unreadable?.workspaces ?? new Set<string>();
  const d = input.parsed.directory;
  const { blames, findings } = d ? blameAssignments(input, d, unreadable) : { blames: new Map<string, AssignmentBlame>(), findings: [] };
  out.push(...findings);
  const { outvoted, findings: outvotedFindings } = outvotedDirectoryFields(input, unreadable);
  out.push(...outvotedFindings);
  // Derived parts are compared with what the other views describe where assignments.json was edited by hand.
  const described = correctedNumbers(numbers, blames);
  if (d) {
    checkDirectoryEntries(input, d, unreadable, blames, push);
    if (unreadable.size === 0) out.push(...compareDerived(input.files.directory, 'metadata', d.metadata, deriveMetadata(input.dir, described)));
  }
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    if (!input.dir.workspaces.has(ws) || unreadable.has(ws)) continue;
    const derived = deriveWorkspace(described, ws);
    if (files.numbers) {
      const f = input.files.numbers(ws);
      checkWorkspaceEntries(input, ws, files.numbers, blames, outvoted, push);
      out.push(...compareDerived(f, 'summary', files.numbers.summary, derived.summary, ws));
      if (files.numbers.workspace !== ws) out.push(error('views-disagree', `${f}: workspace is "${files.numbers.workspace}" but the folder is "${ws}"`, { file: f, workspace: ws }));
    }
    if (files.assignments) {
      const f = input.files.assignments(ws);
      if (files.numbers) {
        const known = new Set(files.numbers.numbers.map((n) => n.phone_number));
        for (const a of files.assignments.assignments) {
          if (!known.has(a.phone_number)) out.push(error('views-disagree', `${a.phone_number} is assigned in ${f} but not listed in ${input.files.numbers(ws)}`, { phone_number: a.phone_number, workspace: ws, file: f }));
        }
      }
      out.push(...compareDerived(f, 'by_agent', files.assignments.by_agent, derived.by_agent, ws));
      out.push(...compareDerived(f, 'unassigned', files.assignments.unassigned, derived.unassigned, ws));
      if (files.assignments.workspace !== ws) out.push(error('views-disagree', `${f}: workspace is "${files.assignments.workspace}" but the folder is "${ws}"`, { file: f, workspace: ws }));
    }
  }
  return out;
}
