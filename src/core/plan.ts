import type { Directory, NumberRecord } from './model.js';
import { compareStrings } from './model.js';
import { renderDirectoryEntry, renderWorkspaceNumber } from './views.js';
import { differingFields } from './validate/equal.js';
export { fileDriftChanges, type ViewFile } from './plan-drift.js';

export type { Change, ChangeKind } from './plan-change.js';
import type { Change, ChangeKind } from './plan-change.js';

export interface Plan {
  changes: Change[];
  summary: { numbers_added: number; numbers_removed: number; numbers_changed: number; imports_added: number; imports_removed: number; assignments_changed: number; file_fields_corrected: number };
}

function who(n: NumberRecord, ws: string): string {
  const a = n.workspaces[ws]?.assignment;
  if (!a) return 'unassigned';
  return `${a.agent_path ?? a.agent_id ?? '?'} (${a.assignment_type})`;
}

function assignmentKey(n: NumberRecord, ws: string): string {
  return JSON.stringify(n.workspaces[ws]?.assignment ?? null);
}

const NUMBER_IGNORED = new Set(['workspaces']);

function numberChanges(before: NumberRecord, after: NumberRecord): Change[] {
  const out: Change[] = [];
  const p = after.phone_number;
  const leavesPool = before.pool !== null && after.pool === null;
  // Leaving the pool gets its own line, which says why: the field is not listed a second time.
  const fields = differingFields(renderDirectoryEntry(before), renderDirectoryEntry(after))
    .filter((f) => !NUMBER_IGNORED.has(f.split('.')[0]!) && !(leavesPool && f === 'pool'));
  if (fields.length) out.push({ kind: 'change', scope: 'number', phone_number: p, fields, summary: `~ ${p}: ${fields.join(', ')}` });
  if (leavesPool) {
    const gone = Object.keys(before.workspaces).filter((ws) => !after.workspaces[ws]).sort();
    out.push({ kind: 'change', scope: 'number', phone_number: p, fields: ['pool'], summary: `~ ${p} leaves pool "${before.pool}"${gone.length ? ` (no longer imported into ${gone.join(', ')})` : ''}` });
  }
  const wss = [...new Set([...Object.keys(before.workspaces), ...Object.keys(after.workspaces)])].sort();
  for (const ws of wss) {
    const b = before.workspaces[ws];
    const a = after.workspaces[ws];
    if (!b && a) {
      out.push({ kind: 'add', scope: 'workspace', phone_number: p, workspace: ws, summary: `+ ${p} imported into ${ws}: ${who(after, ws)}` });
      continue;
    }
    if (b && !a) {
      out.push({ kind: 'remove', scope: 'workspace', phone_number: p, workspace: ws, summary: `- ${p} removed from ${ws} (was ${who(before, ws)})` });
      continue;
    }
    if (assignmentKey(before, ws) !== assignmentKey(after, ws)) {
      const from = who(before, ws);
      const to = who(after, ws);
      const text = from === to ? `${to}: ${differingFields(b!.assignment, a!.assignment).join(', ')}` : `${from} → ${to}`;
      out.push({ kind: 'change', scope: 'assignment', phone_number: p, workspace: ws, summary: `~ ${p} ${ws}: ${text}` });
    }
    const wsFields = differingFields(renderWorkspaceNumber(before, b!), renderWorkspaceNumber(after, a!))
      .filter((f) => !['assigned', 'pool', 'status', 'last_assigned', 'last_released', 'phone_number_type', 'provider', 'phone_number_pretty'].includes(f));
    if (wsFields.length) out.push({ kind: 'change', scope: 'workspace', phone_number: p, workspace: ws, fields: wsFields, summary: `~ ${p} ${ws}: ${wsFields.join(', ')}` });
  }
  return out;
}

/**
 * The sorted change list between two models, plus `drift` (fileDriftChanges: bytes of the files that the
 * model does not hold); sync's --dry-run, --check, --json and commit message all render it.
 */
export function planChanges(before: Directory, after: Directory, drift: Change[] = []): Plan {
  const changes: Change[] = [];
  const phones = [...new Set([...before.numbers.keys(), ...after.numbers.keys()])].sort(compareStrings);
  for (const p of phones) {
    const b = before.numbers.get(p);
    const a = after.numbers.get(p);
    if (!b && a) {
      const where = Object.keys(a.workspaces).sort();
      changes.push({ kind: 'add', scope: 'number', phone_number: p, summary: `+ ${p} added (${a.provider}, ${a.phone_number_type}${where.length ? `, in ${where.join(', ')}` : ', in no workspace'})` });
      for (const ws of where) if (a.workspaces[ws]!.assignment) changes.push({ kind: 'add', scope: 'assignment', phone_number: p, workspace: ws, summary: `+ ${p} ${ws}: ${who(a, ws)}` });
    } else if (b && !a) {
      changes.push({ kind: 'remove', scope: 'number', phone_number: p, summary: `- ${p} removed (${b.provider}${Object.keys(b.workspaces).length ? `, was in ${Object.keys(b.workspaces).sort().join(', ')}` : ''})` });
    } else if (a && b) {
      changes.push(...numberChanges(b, a));
    }
  }
  changes.push(...drift);
  const count = (kind: ChangeKind, scope: Change['scope']) => changes.filter((c) => c.kind === kind && c.scope === scope).length;
  return {
    changes,
    summary: {
      numbers_added: count('add', 'number'),
      numbers_removed: count('remove', 'number'),
      numbers_changed: new Set(changes.filter((c) => c.kind === 'change' && c.scope !== 'file').map((c) => c.phone_number)).size,
      imports_added: count('add', 'workspace'),
      imports_removed: count('remove', 'workspace'),
      assignments_changed: changes.filter((c) => c.scope === 'assignment').length,
      file_fields_corrected: count('change', 'file'),
    },
  };
}

export function summarizePlan(plan: Plan): string {
  const s = plan.summary;
  const parts: [number, string, string][] = [
    [s.numbers_added, 'added', 'added'], [s.numbers_removed, 'removed', 'removed'], [s.imports_added, 'imported', 'imported'],
    [s.imports_removed, 'unimported', 'unimported'], [s.assignments_changed, 'assignment change', 'assignment changes'],
    [s.numbers_changed, 'number changed', 'numbers changed'],
    [s.file_fields_corrected, 'file field corrected', 'file fields corrected'],
  ];
  const text = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return text.length ? text.join(', ') : 'no changes';
}

/** A commit message built from the plan: a summary line, then one line per change (capped). */
export function commitMessage(command: string, plan: Plan, workspaces: string[]): string {
  const head = `${command}${workspaces.length ? ` (${workspaces.join(', ')})` : ''}: ${summarizePlan(plan)}`;
  const lines = plan.changes.slice(0, 200).map((c) => c.summary);
  if (plan.changes.length > 200) lines.push(`… and ${plan.changes.length - 200} more`);
  return `${head}\n\n${lines.join('\n')}\n`;
}
