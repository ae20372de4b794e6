/**
 * PostgreSQL as the authority for the pool's fields of every number it has: pool membership, status,
 * last_assigned, last_released and the agent binding in the pool's workspace (with its hold's release_at),
 * laid over what this machine's files say. A machine whose files are behind sees what another machine did.
 */
import type { Directory, NumberRecord } from '../../core/model.js';
import type { DirectoryNumberEntry } from '../../core/schemas.js';
import type { PoolFieldsOverlay } from '../files/backend.js';
import type { PoolRow } from './rows.js';

type EntryWorkspace = DirectoryNumberEntry['workspaces'][string];

function bindingFields(row: PoolRow): Pick<EntryWorkspace, 'agent_path' | 'agent_id' | 'assignment_type'> {
  const binding = row.assignment;
  return binding
    ? { agent_path: binding.agent_path, agent_id: binding.agent_id, assignment_type: binding.assignment_type }
    : { agent_path: null, agent_id: null, assignment_type: 'unassigned' };
}

export class PoolRowsOverlay implements PoolFieldsOverlay {
  constructor(readonly rows: ReadonlyMap<string, PoolRow>) {}

  entry(phone: string, entry: DirectoryNumberEntry): DirectoryNumberEntry {
    const row = this.rows.get(phone);
    if (!row) return entry;
    const laid: DirectoryNumberEntry = {
      ...entry, pool: row.pool, status: row.number_status, last_assigned: row.last_assigned, last_released: row.last_released,
    };
    const workspace = row.workspace !== null ? entry.workspaces?.[row.workspace] : undefined;
    if (workspace && typeof workspace === 'object') laid.workspaces = { ...entry.workspaces, [row.workspace!]: { ...workspace, ...bindingFields(row) } };
    return JSON.stringify(laid) === JSON.stringify(entry) ? entry : laid;
  }

  record(record: NumberRecord): void {
    const row = this.rows.get(record.phone_number);
    if (!row) return;
    record.pool = row.pool;
    record.status = row.number_status;
    record.last_assigned = row.last_assigned;
    record.last_released = row.last_released;
    const workspace = row.workspace !== null ? record.workspaces[row.workspace] : undefined;
    if (workspace) workspace.assignment = row.assignment ? structuredClone(row.assignment) : null;
  }

  missingLocally(dir: Directory): string[] {
    return [...this.rows.keys()].filter((phone) => !dir.numbers.has(phone)).sort();
  }
}
