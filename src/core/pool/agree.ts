/**
 * Before a pool command binds or unbinds a number, the three views must tell the same story about it
 * (issue: a hand edit that freed a number in directory.json alone got it handed to a second agent).
 * Only the facts one file repeats from another are compared, for one number in one workspace: cheap
 * enough for the lock phase.
 */
import type { AssignmentsFile, DirectoryFile, NumbersFile } from '../schemas.js';

/** A workspace's files; without numbers.json only who is bound is compared (directory.json and assignments.json). */
export interface AgreementFiles { numbers?: NumbersFile; assignments: AssignmentsFile }

export interface ViewFileNames { directory: string; numbers: string; assignments: string }

type FileKind = keyof ViewFileNames;

/** One fact as each file that carries it states it (JSON text, so values compare exactly). */
type Fact = { name: string; said: Partial<Record<FileKind, string>> };

function text(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function factsOf(phone: string, workspace: string, directory: DirectoryFile, files: AgreementFiles): Fact[] {
  const entry = directory.numbers[phone];
  const inDirectory = entry?.workspaces?.[workspace];
  const assignment = files.assignments.assignments.find((a) => a.phone_number === phone);
  const facts: Fact[] = [];
  if (files.numbers) {
    const listed = files.numbers.numbers.find((n) => n.phone_number === phone);
    facts.push({ name: 'imported', said: { directory: text(inDirectory !== undefined), numbers: text(listed !== undefined) } });
    if (inDirectory === undefined || listed === undefined) return facts;
    facts.push(
      { name: 'assigned', said: { directory: text(inDirectory.assignment_type !== 'unassigned'), numbers: text(listed.assigned), assignments: text(assignment !== undefined) } },
      { name: 'pool', said: { directory: text(entry!.pool ?? null), numbers: text(listed.pool ?? null) } },
      { name: 'status', said: { directory: text(entry!.status ?? 'active'), numbers: text(listed.status ?? 'active') } },
    );
  } else {
    if (inDirectory === undefined) return facts;
    facts.push({ name: 'assigned', said: { directory: text(inDirectory.assignment_type !== 'unassigned'), assignments: text(assignment !== undefined) } });
  }
  if (assignment && inDirectory.assignment_type !== 'unassigned') {
    facts.push(
      { name: 'agent_id', said: { directory: text(inDirectory.agent_id), assignments: text(assignment.agent_id) } },
      { name: 'assignment_type', said: { directory: text(inDirectory.assignment_type), assignments: text(assignment.assignment_type) } },
    );
  }
  return facts;
}

/** Where the views disagree about this number in this workspace, as one line naming the files; null when they agree. */
export function viewsDisagreement(phone: string, workspace: string, directory: DirectoryFile, files: AgreementFiles, names: ViewFileNames): string | null {
  for (const fact of factsOf(phone, workspace, directory, files)) {
    const said = Object.entries(fact.said) as [FileKind, string][];
    if (new Set(said.map(([, v]) => v)).size <= 1) continue;
    // With three files, the odd one out is where the edit most likely is; it is named first.
    const counts = new Map<string, number>();
    for (const [, v] of said) counts.set(v, (counts.get(v) ?? 0) + 1);
    said.sort(([, a], [, b]) => counts.get(a)! - counts.get(b)!);
    return `${phone} (${workspace}): the views disagree on ${fact.name}: ${said.map(([kind, v]) => `${names[kind]} says ${v}`).join(', ')}`;
  }
  return null;
}
