import type { Directory, NumberRecord, WorkspaceNumber, Assignment } from './model.js';
import { emptyDirectory } from './model.js';
import type { DirectoryFile, NumbersFile, AssignmentsFile, DirectoryNumberEntry, WorkspaceNumberEntry, AssignmentEntry } from './schemas.js';
import { describeNumber } from './phone.js';
import { carrierBlockOf } from './views.js';

export interface ParsedViews {
  directory: DirectoryFile | null;
  workspaces: Record<string, { numbers: NumbersFile | null; assignments: AssignmentsFile | null }>;
}

function assignmentFrom(e: AssignmentEntry): Assignment {
  const a: Assignment = {
    agent_path: e.agent_path,
    agent_name: e.agent_name,
    agent_id: e.agent_id,
    assignment_type: e.assignment_type,
    inbound_agent_id: e.inbound_agent_id,
    outbound_agent_id: e.outbound_agent_id,
    assigned_date: e.assigned_date,
    last_modified: e.last_modified,
    release_at: e.release_at ?? null,
  };
  if (e.inbound_agents) a.inbound_agents = e.inbound_agents;
  if (e.outbound_agents) a.outbound_agents = e.outbound_agents;
  return a;
}

/** The platform's own ids of a number (`vapi_phone_number_id`…): the entry's `*_phone_number_id` string fields. */
function platformIdsOf(e: WorkspaceNumberEntry): Record<string, string> {
  const ids: Record<string, string> = {};
  // for…in, not Object.entries: this runs for every workspace entry of every number (profiles at 3,000 numbers).
  for (const key in e) {
    const value = (e as Record<string, unknown>)[key];
    if (typeof value === 'string' && key.endsWith('_phone_number_id')) ids[key] = value;
  }
  return ids;
}

function workspaceNumberFrom(e: WorkspaceNumberEntry, assignment: AssignmentEntry | undefined): WorkspaceNumber {
  return {
    import_method: e.import_method,
    platform_ids: platformIdsOf(e),
    import_date: e.import_date,
    termination_uri: e.termination_uri ?? null,
    auth_username: e.auth_username ?? null,
    nickname: e.nickname ?? null,
    inbound_webhook_url: e.inbound_webhook_url ?? null,
    last_modified: e.last_modified,
    assignment: assignment ? assignmentFrom(assignment) : null,
  };
}

function recordFromDirectory(e: DirectoryNumberEntry): NumberRecord {
  return {
    phone_number: e.phone_number,
    phone_number_type: e.phone_number_type,
    provider: e.provider,
    country_code: e.country_code,
    capabilities: e.capabilities,
    carrier: carrierBlockOf(e),
    sip_config: e.sip_config,
    notes: e.notes,
    tags: e.tags,
    pool: e.pool,
    status: e.status,
    last_assigned: e.last_assigned,
    last_released: e.last_released,
    workspaces: {},
  };
}

/** A number known only from a workspace file (directory.json lacks it); validate reports the disagreement. */
function recordFromWorkspace(e: WorkspaceNumberEntry): NumberRecord {
  return {
    phone_number: e.phone_number,
    phone_number_type: e.phone_number_type,
    provider: e.provider,
    country_code: describeNumber(e.phone_number).country_code,
    capabilities: { voice: true, sms: false, mms: false, fax: false },
    carrier: null,
    sip_config: null,
    notes: null,
    tags: [],
    pool: e.pool ?? null,
    status: e.status ?? 'active',
    last_assigned: e.last_assigned ?? null,
    last_released: e.last_released ?? null,
    workspaces: {},
  };
}

/**
 * Builds the model from the views. Nested objects are shared with the parsed files, not copied: at
 * 100,000 numbers the copies cost a third of a second; code that changes a model works on a clone.
 */
/**
 * Builds the model from the views. Number-level facts come from directory.json; which workspace holds a
 * number, and how, comes from that workspace's numbers.json and assignments.json.
 */
export function modelFromViews(views: ParsedViews): Directory {
  const dir = emptyDirectory();
  if (views.directory) {
    dir.stamps.directory = { last_updated: views.directory.last_updated, $schema: views.directory.$schema };
    for (const entry of Object.values(views.directory.numbers)) dir.numbers.set(entry.phone_number, recordFromDirectory(entry));
  }
  for (const [ws, files] of Object.entries(views.workspaces)) {
    dir.workspaces.add(ws);
    dir.stamps.workspaces[ws] = {
      last_sync: files.numbers?.last_sync ?? null,
      assignments_last_updated: files.assignments?.last_updated ?? null,
      numbers_schema: files.numbers?.$schema,
      assignments_schema: files.assignments?.$schema,
      ...(files.numbers?.platform ? { platform: files.numbers.platform } : {}),
    };
    const assignments = new Map((files.assignments?.assignments ?? []).map((a) => [a.phone_number, a]));
    for (const entry of files.numbers?.numbers ?? []) {
      let record = dir.numbers.get(entry.phone_number);
      if (!record) {
        record = recordFromWorkspace(entry);
        dir.numbers.set(entry.phone_number, record);
      }
      record.workspaces[ws] = workspaceNumberFrom(entry, assignments.get(entry.phone_number));
    }
  }
  return dir;
}
