import type { Directory, NumberRecord, WorkspaceNumber, Assignment } from './model.js';
import { sortedNumbers, sortedWorkspaces, isAssignedAnywhere, agentPathsOf, assignmentTypeOf, increment, sortKeys } from './model.js';
import { formatPretty, areaCodeOf } from './phone.js';
import { FILE_VERSION } from './file-version.js';
import type { DirectoryFile, NumbersFile, AssignmentsFile, DirectoryNumberEntry, WorkspaceNumberEntry, AssignmentEntry } from './schemas.js';

/** The folder of phone-numbers/ that holds a copy of the package's schemas/ (written by init and sync). */
export const SCHEMA_COPY_DIR = '.schemas';
/** Where `$schema` pointed before the copy existed: it resolved only for a local devDependency. */
const LEGACY_SCHEMA_BASE = 'node_modules/phone-dir/schemas';

export interface WorkspaceViews { numbers: NumbersFile; assignments: AssignmentsFile }
export interface Views { directory: DirectoryFile; workspaces: Record<string, WorkspaceViews> }

/**
 * `$schema` of a file `depth` folders below the project root (workspaces.json: 0, directory.json: 1, a
 * workspace's files: 2), relative to that file and pointing at the copy in phone-numbers/.schemas/.
 */
export function schemaRef(depth: number, file: string): string {
  if (depth === 0) return `./phone-numbers/${SCHEMA_COPY_DIR}/${file}`;
  return `${depth === 1 ? './' : '../'.repeat(depth - 1)}${SCHEMA_COPY_DIR}/${file}`;
}

/** A file's own `$schema` is kept, unless it is the old node_modules default, which moves to the copy. */
export function schemaFor(kept: string | undefined, depth: number, file: string): string {
  return kept === undefined || kept === `${'../'.repeat(depth)}${LEGACY_SCHEMA_BASE}/${file}` ? schemaRef(depth, file) : kept;
}

/**
 * The seed's carrier field, written on every directory entry (null unless that carrier holds the number);
 * a number another carrier holds also gets a block named after that carrier, right after it.
 */
export const SEED_CARRIER_FIELD = 'twilio';

function carrierFields(n: NumberRecord): Pick<DirectoryNumberEntry, 'twilio'> {
  const block = n.carrier && {
    phone_number_sid: n.carrier.phone_number_sid,
    trunk_sid: n.carrier.trunk_sid,
    friendly_name: n.carrier.friendly_name,
    date_created: n.carrier.date_created,
  };
  if (n.provider === SEED_CARRIER_FIELD || !block) return { twilio: n.provider === SEED_CARRIER_FIELD ? block : null };
  return { twilio: null, [n.provider]: block };
}

/** The carrier block of a directory entry: the one named by its provider. */
export function carrierBlockOf(entry: DirectoryNumberEntry): DirectoryNumberEntry['twilio'] {
  const block = Object.hasOwn(entry, entry.provider) ? (entry as unknown as Record<string, unknown>)[entry.provider] : null;
  return block && typeof block === 'object' && !Array.isArray(block) ? (block as DirectoryNumberEntry['twilio']) : null;
}

export function renderDirectoryEntry(n: NumberRecord): DirectoryNumberEntry {
  const workspaces: DirectoryNumberEntry['workspaces'] = {};
  for (const ws of Object.keys(n.workspaces).sort()) {
    const wn = n.workspaces[ws]!;
    workspaces[ws] = {
      imported: true,
      // The platform's ids here too: the pool's fast path reads directory.json alone.
      ...sortKeys(wn.platform_ids),
      import_date: wn.import_date,
      agent_path: wn.assignment?.agent_path ?? null,
      agent_id: wn.assignment?.agent_id ?? null,
      assignment_type: assignmentTypeOf(wn),
    };
  }
  return {
    phone_number: n.phone_number,
    phone_number_pretty: formatPretty(n.phone_number),
    phone_number_type: n.phone_number_type,
    provider: n.provider,
    area_code: areaCodeOf(n.phone_number),
    country_code: n.country_code,
    capabilities: { voice: n.capabilities.voice, sms: n.capabilities.sms, mms: n.capabilities.mms, fax: n.capabilities.fax },
    ...carrierFields(n),
    workspaces,
    sip_config: n.sip_config && {
      termination_uri: n.sip_config.termination_uri,
      origination_uri: n.sip_config.origination_uri,
      auth_type: n.sip_config.auth_type,
      has_credentials: n.sip_config.has_credentials,
    },
    notes: n.notes,
    tags: [...n.tags].sort(),
    pool: n.pool,
    status: n.status,
    last_assigned: n.last_assigned,
    last_released: n.last_released,
  };
}

export function renderWorkspaceNumber(n: NumberRecord, wn: WorkspaceNumber): WorkspaceNumberEntry {
  return {
    phone_number: n.phone_number,
    phone_number_pretty: formatPretty(n.phone_number),
    phone_number_type: n.phone_number_type,
    provider: n.provider,
    import_method: wn.import_method,
    ...sortKeys(wn.platform_ids),
    import_date: wn.import_date,
    termination_uri: wn.termination_uri,
    auth_username: wn.auth_username,
    nickname: wn.nickname,
    inbound_webhook_url: wn.inbound_webhook_url,
    assigned: wn.assignment !== null,
    last_modified: wn.last_modified,
    pool: n.pool,
    status: n.status,
    last_assigned: n.last_assigned,
    last_released: n.last_released,
  };
}

export function renderAssignment(phoneNumber: string, a: Assignment): AssignmentEntry {
  // Built field by field so that the optional weighted lists keep their place in the key order.
  const entry: Partial<AssignmentEntry> = {
    phone_number: phoneNumber,
    agent_path: a.agent_path,
    agent_name: a.agent_name,
    agent_id: a.agent_id,
    assignment_type: a.assignment_type,
    inbound_agent_id: a.inbound_agent_id,
    outbound_agent_id: a.outbound_agent_id,
  };
  if (a.inbound_agents) entry.inbound_agents = a.inbound_agents.map((w) => ({ agent_id: w.agent_id, agent_path: w.agent_path, weight: w.weight }));
  if (a.outbound_agents) entry.outbound_agents = a.outbound_agents.map((w) => ({ agent_id: w.agent_id, agent_path: w.agent_path, weight: w.weight }));
  entry.assigned_date = a.assigned_date;
  entry.last_modified = a.last_modified;
  entry.release_at = a.release_at;
  return entry as AssignmentEntry;
}

export interface WorkspaceDerived {
  summary: NumbersFile['summary'];
  by_agent: AssignmentsFile['by_agent'];
  unassigned: AssignmentsFile['unassigned'];
}

/** The derived parts of a workspace's two files, computed without rendering any record. */
/** What a workspace's derived parts count of one number there. */
export interface WorkspaceFact { phone_number: string; import_method: string; assigned: boolean; agent_paths: string[] }

/** The derived parts of a workspace's two files from its numbers' facts, in phone-number order. */
export function deriveWorkspaceFrom(facts: Iterable<WorkspaceFact>): WorkspaceDerived {
  const byAgent: Record<string, string[]> = {};
  const unassigned: string[] = [];
  const importMethods: Record<string, number> = {};
  let total = 0;
  let assigned = 0;
  for (const fact of facts) {
    total++;
    increment(importMethods, fact.import_method);
    if (fact.assigned) {
      assigned++;
      for (const path of fact.agent_paths) (byAgent[path] ??= []).push(fact.phone_number);
    } else {
      unassigned.push(fact.phone_number);
    }
  }
  return { summary: { total, assigned, unassigned: unassigned.length, import_methods: sortKeys(importMethods) }, by_agent: sortKeys(byAgent), unassigned };
}

function* workspaceFacts(numbers: NumberRecord[], ws: string): Iterable<WorkspaceFact> {
  for (const n of numbers) {
    const wn = n.workspaces[ws];
    if (!wn) continue;
    yield { phone_number: n.phone_number, import_method: wn.import_method, assigned: wn.assignment !== null, agent_paths: wn.assignment ? agentPathsOf(wn.assignment) : [] };
  }
}

/** The derived parts of a workspace's two files, computed without rendering any record. */
export function deriveWorkspace(numbers: NumberRecord[], ws: string): WorkspaceDerived {
  return deriveWorkspaceFrom(workspaceFacts(numbers, ws));
}

/** What directory.json's metadata counts of one number. */
export interface NumberFact { phone_number_type: string; provider: string; workspaces: string[]; assigned: boolean }

/** directory.json's metadata from its numbers' facts; every workspace named is listed, with 0 if it has none. */
export function deriveMetadataFrom(workspaces: string[], facts: Iterable<NumberFact>): DirectoryFile['metadata'] {
  const byWorkspace: Record<string, number> = {};
  const byType: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  let total = 0;
  let assigned = 0;
  for (const ws of [...workspaces].sort()) byWorkspace[ws] = 0;
  for (const fact of facts) {
    total++;
    for (const ws of fact.workspaces) increment(byWorkspace, ws);
    increment(byType, fact.phone_number_type);
    increment(byProvider, fact.provider);
    if (fact.assigned) assigned++;
  }
  return {
    total_numbers: total,
    by_workspace: sortKeys(byWorkspace),
    by_type: sortKeys(byType),
    by_provider: sortKeys(byProvider),
    assigned,
    unassigned: total - assigned,
  };
}

function* numberFacts(numbers: NumberRecord[]): Iterable<NumberFact> {
  for (const n of numbers) yield { phone_number_type: n.phone_number_type, provider: n.provider, workspaces: Object.keys(n.workspaces), assigned: isAssignedAnywhere(n) };
}

/** directory.json's metadata, computed without rendering any record. */
export function deriveMetadata(dir: Directory, numbers: NumberRecord[]): DirectoryFile['metadata'] {
  return deriveMetadataFrom(sortedWorkspaces(dir), numberFacts(numbers));
}

function renderWorkspace(dir: Directory, ws: string, numbers: NumberRecord[]): WorkspaceViews {
  const stamps = dir.stamps.workspaces[ws] ?? { last_sync: null, assignments_last_updated: null };
  const entries: WorkspaceNumberEntry[] = [];
  const assignments: AssignmentEntry[] = [];
  for (const n of numbers) {
    const wn = n.workspaces[ws];
    if (!wn) continue;
    entries.push(renderWorkspaceNumber(n, wn));
    if (wn.assignment) assignments.push(renderAssignment(n.phone_number, wn.assignment));
  }
  const derived = deriveWorkspace(numbers, ws);
  return {
    numbers: {
      $schema: schemaFor(stamps.numbers_schema, 2, 'numbers.schema.json'),
      version: FILE_VERSION,
      workspace: ws,
      ...(stamps.platform ? { platform: stamps.platform } : {}),
      last_sync: stamps.last_sync,
      numbers: entries,
      summary: derived.summary,
    },
    assignments: {
      $schema: schemaFor(stamps.assignments_schema, 2, 'assignments.schema.json'),
      version: FILE_VERSION,
      workspace: ws,
      last_updated: stamps.assignments_last_updated,
      assignments,
      by_agent: derived.by_agent,
      unassigned: derived.unassigned,
    },
  };
}

/** Renders every committed view from the model; same model in, same objects (and bytes) out. */
export function renderViews(dir: Directory): Views {
  const numbers = sortedNumbers(dir);
  const entries: Record<string, DirectoryNumberEntry> = {};
  for (const n of numbers) entries[n.phone_number] = renderDirectoryEntry(n);
  const workspaces: Record<string, WorkspaceViews> = {};
  for (const ws of sortedWorkspaces(dir)) workspaces[ws] = renderWorkspace(dir, ws, numbers);
  return {
    directory: {
      $schema: schemaFor(dir.stamps.directory.$schema, 1, 'directory.schema.json'),
      version: FILE_VERSION,
      last_updated: dir.stamps.directory.last_updated,
      numbers: entries,
      metadata: deriveMetadata(dir, numbers),
    },
    workspaces,
  };
}

/** Deterministic bytes: fixed key order comes from the renderers, 2-space indent, one trailing newline. */
export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
