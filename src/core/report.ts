import type { Directory } from './model.js';
import { sortedNumbers, sortedWorkspaces, agentPathsOf, isAssignedAnywhere, compareStrings, increment, sortKeys } from './model.js';
import type { AgentsIndex } from './agents.js';
import type { SyncFile } from './schemas.js';
import { formatPretty, areaCodeOf } from './phone.js';
import { agentLegs, type LegAgent } from './query.js';

export interface Report {
  generated: string;
  summary: { total_numbers: number; assigned: number; unassigned: number };
  by_workspace: Record<string, { numbers: number; assigned: number; platform: string }>;
  by_type: Record<string, number>;
  by_provider: Record<string, number>;
  /** Workspaces, numbers imported (a number in two workspaces of one platform counts once) and assigned, per voice platform. */
  by_platform: Record<string, { workspaces: number; numbers: number; assigned: number }>;
  top_agents: { agent_path: string; agent_name: string | null; numbers: number }[];
  import_methods: Record<string, number>;
  recent_activity: {
    last_import: { phone_number: string; workspace: string; date: string } | null;
    last_assignment: { phone_number: string; workspace: string; agent_path: string | null; date: string } | null;
    last_twilio_sync: string | null;
  };
}

/**
 * When Twilio was last read: the newest successful sync that fetched Twilio (`sync-retell` runs do not; they
 * also move last_incremental_sync, so the summary fields alone cannot tell).
 */
export function lastTwilioSync(sync: SyncFile | null): string | null {
  if (!sync) return null;
  const history = Array.isArray(sync.sync_history) ? sync.sync_history : [];
  const fetchedTwilio = history.filter((e) => e && e.type !== 'retell' && (e.status === 'success' || e.status === 'partial') && typeof e.timestamp === 'string');
  // A full sync always reads Twilio; without a history, an incremental one is taken to have read it too.
  const candidates = [...fetchedTwilio.map((e) => e.timestamp), sync.last_full_sync, history.length === 0 ? sync.last_incremental_sync : null];
  return candidates.filter((t): t is string => typeof t === 'string').sort().at(-1) ?? null;
}

export function buildReport(dir: Directory, agents: AgentsIndex | null, generated: string, lastTwilioSync: string | null, platformOf: (workspace: string) => string): Report {
  const numbers = sortedNumbers(dir);
  const byWorkspace: Report['by_workspace'] = {};
  for (const ws of sortedWorkspaces(dir)) byWorkspace[ws] = { numbers: 0, assigned: 0, platform: platformOf(ws) };
  const byPlatform: Report['by_platform'] = {};
  for (const ws of sortedWorkspaces(dir)) (byPlatform[platformOf(ws)] ??= { workspaces: 0, numbers: 0, assigned: 0 }).workspaces++;
  const byType: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  const importMethods: Record<string, number> = {};
  const perAgent = new Map<string, Set<string>>();
  let assigned = 0;
  let lastImport: Report['recent_activity']['last_import'] = null;
  let lastAssignment: Report['recent_activity']['last_assignment'] = null;
  for (const n of numbers) {
    increment(byType, n.phone_number_type);
    increment(byProvider, n.provider);
    if (isAssignedAnywhere(n)) assigned++;
    const platformsHere = new Set(Object.keys(n.workspaces).map(platformOf));
    const assignedOn = new Set(Object.entries(n.workspaces).filter(([, wn]) => wn.assignment).map(([ws]) => platformOf(ws)));
    for (const platform of platformsHere) {
      const p = (byPlatform[platform] ??= { workspaces: 0, numbers: 0, assigned: 0 });
      p.numbers++;
      if (assignedOn.has(platform)) p.assigned++;
    }
    for (const [ws, wn] of Object.entries(n.workspaces)) {
      const w = (byWorkspace[ws] ??= { numbers: 0, assigned: 0, platform: platformOf(ws) });
      w.numbers++;
      increment(importMethods, wn.import_method);
      if (wn.import_date && (!lastImport || wn.import_date > lastImport.date)) lastImport = { phone_number: n.phone_number, workspace: ws, date: wn.import_date };
      const a = wn.assignment;
      if (!a) continue;
      w.assigned++;
      for (const p of agentPathsOf(a)) {
        let set = perAgent.get(p);
        if (!set) perAgent.set(p, (set = new Set()));
        set.add(n.phone_number);
      }
      const when = a.last_modified ?? a.assigned_date;
      if (when && (!lastAssignment || when > lastAssignment.date)) lastAssignment = { phone_number: n.phone_number, workspace: ws, agent_path: a.agent_path, date: when };
    }
  }
  const topAgents = [...perAgent].map(([agent_path, set]) => ({ agent_path, agent_name: agents?.agents.get(agent_path)?.name ?? null, numbers: set.size }))
    .sort((a, b) => b.numbers - a.numbers || compareStrings(a.agent_path, b.agent_path))
    .slice(0, 10);
  return {
    generated,
    summary: { total_numbers: numbers.length, assigned, unassigned: numbers.length - assigned },
    by_workspace: byWorkspace,
    by_type: sortKeys(byType),
    by_provider: sortKeys(byProvider),
    by_platform: sortKeys(byPlatform),
    top_agents: topAgents,
    import_methods: sortKeys(importMethods),
    recent_activity: { last_import: lastImport, last_assignment: lastAssignment, last_twilio_sync: lastTwilioSync },
  };
}

export const REPORT_FORMATS = ['text', 'json', 'csv', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format an output file's extension asks for (`.csv`, `.json`); anything else is the text report. */
export function reportFormatForFile(file: string): ReportFormat {
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  return extension === 'csv' ? 'csv' : extension === 'json' ? 'json' : 'text';
}

export const REPORT_CSV_COLUMNS = [
  'phone_number', 'phone_number_pretty', 'phone_number_type', 'provider', 'area_code', 'country_code', 'workspace', 'platform',
  'import_method', 'import_date', 'agent_path', 'agent_name', 'agent_id', 'assignment_type', 'nickname', 'pool', 'status',
  'trunk_sid', 'tags', 'inbound_agents', 'outbound_agents',
] as const;

/** One side's agents for a CSV cell: paths (or ids without a folder), `;`-separated, with shares when weighted. */
function legCell(list: LegAgent[]): string {
  const name = (w: LegAgent) => w.agent_path ?? w.agent_id;
  return list.length === 1 ? name(list[0]!) : list.map((w) => `${name(w)}=${w.weight}`).join(';');
}

/** One row per number and workspace (a number imported nowhere gets one row with an empty workspace). */
export function reportRows(dir: Directory, platformOf: (workspace: string) => string): Record<(typeof REPORT_CSV_COLUMNS)[number], string>[] {
  const rows: Record<(typeof REPORT_CSV_COLUMNS)[number], string>[] = [];
  for (const n of sortedNumbers(dir)) {
    const base = {
      phone_number: n.phone_number, phone_number_pretty: formatPretty(n.phone_number), phone_number_type: n.phone_number_type,
      provider: n.provider, area_code: areaCodeOf(n.phone_number) ?? '', country_code: n.country_code ?? '',
      pool: n.pool ?? '', status: n.status, trunk_sid: n.carrier?.trunk_sid ?? '', tags: n.tags.join(';'),
    };
    const wss = Object.keys(n.workspaces).sort();
    if (wss.length === 0) {
      rows.push({ ...base, workspace: '', platform: '', import_method: '', import_date: '', agent_path: '', agent_name: '', agent_id: '', assignment_type: '', nickname: '', inbound_agents: '', outbound_agents: '' });
    }
    for (const ws of wss) {
      const wn = n.workspaces[ws]!;
      const a = wn.assignment;
      const legs = agentLegs(a);
      rows.push({
        ...base, workspace: ws, platform: platformOf(ws), import_method: wn.import_method, import_date: wn.import_date ?? '',
        agent_path: a?.agent_path ?? '', agent_name: a?.agent_name ?? '', agent_id: a?.agent_id ?? '',
        assignment_type: a?.assignment_type ?? 'unassigned', nickname: wn.nickname ?? '',
        inbound_agents: legCell(legs.inbound_agents), outbound_agents: legCell(legs.outbound_agents),
      });
    }
  }
  return rows;
}
