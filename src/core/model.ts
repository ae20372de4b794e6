import type { AssignmentType } from './schemas.js';
import type { PhoneNumberType } from './phone.js';

export type { AssignmentType, PhoneNumberType };
/**
 * Who holds a number: a carrier's registry name (its numbers are listed by phone-dir), a number a voice
 * platform bought itself (`retell-twilio`, `vapi`…), or `custom` (a SIP import from a carrier phone-dir does not list).
 */
export type Provider = string;
export type NumberStatus = 'active' | 'reserved' | 'protected';
/** How a number came into a workspace: over SIP, bought there, or imported through its carrier's API with the carrier's credentials. */
export type ImportMethod = 'sip-trunk' | 'direct-purchase' | 'carrier-api';

export interface WeightedAgent { agent_id: string; agent_path: string | null; weight: number }

/** An agent bound to a number in one workspace; absent means `unassigned`. */
export interface Assignment {
  agent_path: string | null;
  agent_name: string | null;
  agent_id: string | null;
  assignment_type: Exclude<AssignmentType, 'unassigned'>;
  inbound_agent_id: string | null;
  outbound_agent_id: string | null;
  /** Present only when a side has several weighted agents (Retell's inbound_agents/outbound_agents). */
  inbound_agents?: WeightedAgent[];
  outbound_agents?: WeightedAgent[];
  assigned_date: string | null;
  last_modified: string | null;
  release_at: string | null;
}

/** A number as imported into one voice-platform workspace. */
export interface WorkspaceNumber {
  import_method: ImportMethod;
  /**
   * The platform's own ids of the number, by field name (`vapi_phone_number_id`), for platforms that address
   * numbers by id; empty for the others. Written into the views as they are.
   */
  platform_ids: Record<string, string>;
  import_date: string | null;
  termination_uri: string | null;
  auth_username: string | null;
  nickname: string | null;
  inbound_webhook_url: string | null;
  last_modified: string | null;
  assignment: Assignment | null;
}

export interface Capabilities { voice: boolean; sms: boolean; mms: boolean; fax: boolean }

export interface CarrierBlock { phone_number_sid: string; trunk_sid: string | null; friendly_name: string | null; date_created: string | null }

export interface NumberRecord {
  phone_number: string;
  phone_number_type: PhoneNumberType;
  provider: Provider;
  country_code: string | null;
  capabilities: Capabilities;
  /** The carrier's facts while a carrier phone-dir lists holds it; its name is `provider` (the block's name in the views). */
  carrier: CarrierBlock | null;
  sip_config: { termination_uri: string | null; origination_uri: string | null; auth_type: string | null; has_credentials: boolean } | null;
  notes: string | null;
  tags: string[];
  pool: string | null;
  status: NumberStatus;
  last_assigned: string | null;
  last_released: string | null;
  workspaces: Record<string, WorkspaceNumber>;
}

/** File-level facts that are not derived from the numbers: timestamps and `$schema` references. */
export interface FileStamps {
  directory: { last_updated: string | null; $schema?: string };
  workspaces: Record<string, {
    last_sync: string | null;
    assignments_last_updated: string | null;
    numbers_schema?: string;
    assignments_schema?: string;
    /** The workspace's voice platform, as numbers.json records it (absent in files written before platforms). */
    platform?: string;
  }>;
}

/** The one canonical model; every committed view is rendered from it. */
export interface Directory {
  numbers: Map<string, NumberRecord>;
  /** Workspaces that have (or get) a folder of their own, even when empty. */
  workspaces: Set<string>;
  stamps: FileStamps;
}

export function emptyDirectory(): Directory {
  return { numbers: new Map(), workspaces: new Set(), stamps: { directory: { last_updated: null }, workspaces: {} } };
}

export function sortedWorkspaces(dir: Directory): string[] {
  return [...dir.workspaces].sort();
}

export function sortedNumbers(dir: Directory): NumberRecord[] {
  return [...dir.numbers.values()].sort((a, b) => compareStrings(a.phone_number, b.phone_number));
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The same record with its keys in code-unit order, as every file writes its maps. */
export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}

export function assignmentTypeOf(wn: WorkspaceNumber | undefined): AssignmentType {
  return wn?.assignment?.assignment_type ?? 'unassigned';
}

/** Agent paths bound to a number in a workspace (primary, inbound and outbound, weighted). */
export function agentPathsOf(a: Pick<Assignment, 'agent_path' | 'inbound_agents' | 'outbound_agents'>): string[] {
  const paths = new Set<string>();
  if (a.agent_path) paths.add(a.agent_path);
  for (const w of [...(a.inbound_agents ?? []), ...(a.outbound_agents ?? [])]) if (w.agent_path) paths.add(w.agent_path);
  return [...paths];
}

export function agentIdsOf(a: Assignment): string[] {
  const ids = new Set<string>();
  for (const id of [a.agent_id, a.inbound_agent_id, a.outbound_agent_id]) if (id) ids.add(id);
  for (const w of [...(a.inbound_agents ?? []), ...(a.outbound_agents ?? [])]) ids.add(w.agent_id);
  return [...ids];
}

export function isAssignedAnywhere(n: NumberRecord): boolean {
  return Object.values(n.workspaces).some((w) => w.assignment !== null);
}
