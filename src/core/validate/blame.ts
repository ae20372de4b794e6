import type { Finding } from './finding.js';
import { error } from './finding.js';
import type { ValidationInput } from './context.js';
import type { Assignment, AssignmentType, NumberRecord } from '../model.js';
import type { DirectoryFile, WorkspaceNumberEntry } from '../schemas.js';
import { sameValue } from './equal.js';

/**
 * The model takes a number's assignment from assignments.json, so a hand edit there made the other views
 * look wrong. Each assignment fact is also held by a third witness (numbers.json's `assigned`,
 * assignments.json's `by_agent`, the agent folder's id, the entry's own ids): when the third agrees with
 * directory.json, the edit is in assignments.json, and that is the file to name.
 */
export interface AssignmentBlame {
  /** directory.json fields (workspaces.<ws>.<field>) whose disagreement is assignments.json's fault. */
  fields: Set<string>;
  /** Whether the assignment's very presence is assignments.json's fault (then numbers.json's `assigned` is right too). */
  presence: boolean;
  /** The assignment the other views describe, for deriving by_agent, summaries and metadata. */
  corrected: Assignment | null;
}

type Written = DirectoryFile['numbers'][string]['workspaces'][string];

const key = (ws: string, num: string) => `${ws}\u0000${num}`;

function impliedType(a: Assignment): AssignmentType {
  const inbound = a.inbound_agent_id ?? a.inbound_agents?.[0]?.agent_id ?? null;
  const outbound = a.outbound_agent_id ?? a.outbound_agents?.[0]?.agent_id ?? null;
  if (inbound && outbound) return 'inbound-outbound';
  if (inbound) return 'inbound-only';
  return outbound ? 'outbound-only' : 'unassigned';
}

function stubFrom(written: Written): Assignment {
  return {
    agent_path: written.agent_path, agent_name: null, agent_id: written.agent_id, assignment_type: written.assignment_type as Assignment['assignment_type'],
    inbound_agent_id: null, outbound_agent_id: null, assigned_date: null, last_modified: null, release_at: null,
  };
}

function agrees(written: Written, a: Assignment | null): boolean {
  return written.agent_path === (a?.agent_path ?? null) && written.agent_id === (a?.agent_id ?? null) && written.assignment_type === (a?.assignment_type ?? 'unassigned');
}

interface WorkspaceWitnesses { byAgent: Map<string, Set<string>>; assigned: Map<string, boolean> }

function witnessesOf(input: ValidationInput, ws: string): WorkspaceWitnesses | null {
  const files = input.parsed.workspaces[ws];
  if (!files?.numbers || !files.assignments) return null;
  const byAgent = new Map<string, Set<string>>();
  for (const [agentPath, nums] of Object.entries(files.assignments.by_agent)) {
    for (const num of nums) byAgent.set(num, (byAgent.get(num) ?? new Set()).add(agentPath));
  }
  return { byAgent, assigned: new Map(files.numbers.numbers.map((e) => [e.phone_number, e.assigned])) };
}

/** Judges one number in one workspace; null when assignments.json is not the odd one out. */
function judge(input: ValidationInput, ws: string, num: string, written: Written, a: Assignment | null, w: WorkspaceWitnesses, out: Finding[]): AssignmentBlame | null {
  const fA = input.files.assignments(ws);
  const fD = input.files.directory;
  const fN = input.files.numbers(ws);
  const where = { phone_number: num, workspace: ws, file: fA };
  const writtenAssigned = written.assignment_type !== 'unassigned';
  if (writtenAssigned !== Boolean(a)) {
    if (w.assigned.get(num) !== writtenAssigned || w.byAgent.has(num) !== writtenAssigned) return null;
    out.push(error('views-disagree', a
      ? `${num}: ${fA} assigns it to ${a.agent_path ?? a.agent_id ?? 'an agent'}, but ${fD} and ${fN} have it unassigned`
      : `${num}: ${fA} has no assignment for it, but ${fD} (${written.assignment_type}, ${written.agent_path ?? written.agent_id}) and ${fN} have it assigned`, where));
    return { fields: new Set(['agent_path', 'agent_id', 'assignment_type']), presence: true, corrected: a ? null : stubFrom(written) };
  }
  if (!a) return null;
  const blame: AssignmentBlame = { fields: new Set(), presence: false, corrected: a };
  const paths = w.byAgent.get(num) ?? new Set<string>();
  if (written.agent_path !== a.agent_path && written.agent_path && paths.has(written.agent_path) && !(a.agent_path && paths.has(a.agent_path))) {
    out.push(error('views-disagree', `${num}: ${fA} agent_path is ${JSON.stringify(a.agent_path)} but ${fD} and the by_agent of ${fA} give ${JSON.stringify(written.agent_path)}`, where));
    blame.fields.add('agent_path');
    blame.corrected = { ...a, agent_path: written.agent_path };
  }
  const folderId = written.agent_path ? input.agents.agents.get(written.agent_path)?.ids[ws] : undefined;
  if (written.agent_id !== a.agent_id && folderId !== undefined && folderId === written.agent_id) {
    out.push(error('views-disagree', `${num}: ${fA} agent_id is ${JSON.stringify(a.agent_id)} but ${fD} and ${written.agent_path}/${ws}.json give ${JSON.stringify(written.agent_id)}`, where));
    blame.fields.add('agent_id');
  }
  if (written.assignment_type !== a.assignment_type && impliedType(a) === written.assignment_type) {
    out.push(error('views-disagree', `${num}: ${fA} assignment_type is "${a.assignment_type}" but ${fD} and the entry's own agent ids give "${written.assignment_type}"`, where));
    blame.fields.add('assignment_type');
  }
  return blame.fields.size ? blame : null;
}

/** Every (workspace, number) whose disagreement is an edit of assignments.json, with the findings that say so. */
export function blameAssignments(input: ValidationInput, d: DirectoryFile, unreadable: ReadonlySet<string>): { blames: Map<string, AssignmentBlame>; findings: Finding[] } {
  const blames = new Map<string, AssignmentBlame>();
  const findings: Finding[] = [];
  const witnesses = new Map<string, WorkspaceWitnesses | null>();
  for (const entry of Object.values(d.numbers)) {
    const record = input.dir.numbers.get(entry.phone_number);
    if (!record) continue;
    for (const [ws, written] of Object.entries(entry.workspaces)) {
      const wn = record.workspaces[ws];
      if (!wn || unreadable.has(ws)) continue;
      if (!witnesses.has(ws)) witnesses.set(ws, witnessesOf(input, ws));
      const w = witnesses.get(ws);
      if (!w || agrees(written, wn.assignment)) continue;
      const blame = judge(input, ws, entry.phone_number, written, wn.assignment, w, findings);
      if (blame) blames.set(key(ws, entry.phone_number), blame);
    }
  }
  return { blames, findings };
}

export function blameFor(blames: Map<string, AssignmentBlame>, ws: string, num: string): AssignmentBlame | undefined {
  return blames.get(key(ws, num));
}

/** The numbers as the other views describe them, for the derived parts (unchanged when nothing is blamed). */
export function correctedNumbers(numbers: NumberRecord[], blames: Map<string, AssignmentBlame>): NumberRecord[] {
  if (blames.size === 0) return numbers;
  return numbers.map((n) => {
    let copy: NumberRecord | null = null;
    for (const ws of Object.keys(n.workspaces)) {
      const blame = blames.get(key(ws, n.phone_number));
      if (!blame) continue;
      copy ??= { ...n, workspaces: { ...n.workspaces } };
      copy.workspaces[ws] = { ...n.workspaces[ws]!, assignment: blame.corrected };
    }
    return copy ?? n;
  });
}

/** Number-level fields that directory.json holds and every numbers.json repeats. */
const REPEATED_FIELDS = ['phone_number_type', 'provider', 'pool', 'status', 'last_assigned', 'last_released'] as const;

function repeatedValue(entry: WorkspaceNumberEntry, field: (typeof REPEATED_FIELDS)[number]): unknown {
  if (field === 'status') return entry.status ?? 'active';
  return entry[field] ?? null;
}

/**
 * The model takes number-level facts from directory.json, so a hand edit there made every numbers.json
 * look wrong. When two or more numbers.json files agree with each other against directory.json, the edit
 * is in directory.json: name it once, and not the files that agree.
 */
export function outvotedDirectoryFields(input: ValidationInput, unreadable: ReadonlySet<string>): { outvoted: Map<string, Set<string>>; findings: Finding[] } {
  const copies = new Map<string, WorkspaceNumberEntry[]>();
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    if (unreadable.has(ws) || !files.numbers) continue;
    for (const entry of files.numbers.numbers) {
      const list = copies.get(entry.phone_number);
      if (list) list.push(entry);
      else copies.set(entry.phone_number, [entry]);
    }
  }
  const outvoted = new Map<string, Set<string>>();
  const findings: Finding[] = [];
  const file = input.files.directory;
  for (const [num, entries] of copies) {
    const record = input.dir.numbers.get(num);
    if (entries.length < 2 || !record || !input.parsed.directory?.numbers[num]) continue;
    for (const field of REPEATED_FIELDS) {
      const first = repeatedValue(entries[0]!, field);
      if (sameValue(first, record[field]) || !entries.every((e) => sameValue(repeatedValue(e, field), first))) continue;
      findings.push(error('views-disagree', `${num}: ${file} ${field} is ${JSON.stringify(record[field])} but every numbers.json gives ${JSON.stringify(first)}`, { phone_number: num, file }));
      outvoted.set(num, (outvoted.get(num) ?? new Set()).add(field));
    }
  }
  return { outvoted, findings };
}
