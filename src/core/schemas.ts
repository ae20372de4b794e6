import { z } from 'zod';

export { FILE_VERSION } from './file-version.js';

// A plain pattern rather than z.iso.datetime: its calendar-aware regex was a third of validate's time.
const iso = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z$/, 'expected an ISO 8601 UTC timestamp like 2025-11-19T12:00:00Z');
const isoOrNull = iso.nullable();
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number like +14155551234');
const str = z.string().nullable();
const opt = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const assignmentTypeSchema = z.enum(['inbound-outbound', 'inbound-only', 'outbound-only', 'unassigned']);
export const numberTypeSchema = z.enum(['local', 'toll-free', 'mobile']);
/** A carrier's or platform's name for who holds the number (the registry's names: a new vendor needs no schema change). */
export const providerSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a provider name like "twilio" or "retell-twilio"');
export const numberStatusSchema = z.enum(['active', 'reserved', 'protected']);
export const importMethodSchema = z.enum(['sip-trunk', 'direct-purchase', 'carrier-api']);

export const capabilitiesSchema = z.strictObject({
  voice: z.boolean(), sms: z.boolean(), mms: z.boolean(), fax: z.boolean(),
});

/** Field names a voice platform records its own ids of a number under (`vapi_phone_number_id`). */
export const PLATFORM_ID_FIELD = /^[a-z][a-z0-9]*_phone_number_id$/;

/**
 * A strict object that also takes the platforms' id fields (any `<platform>_phone_number_id` string), so a
 * new platform needs no schema change. `platformIds` tells scripts/generate-schemas.mjs to write them as
 * patternProperties; zod checks them here.
 */
function withPlatformIds<T extends z.ZodRawShape>(shape: T): z.ZodType<z.output<z.ZodObject<T>> & PlatformIdFields, z.input<z.ZodObject<T>> & PlatformIdFields> {
  const known = new Set(Object.keys(shape));
  const schema = z.strictObject(shape).catchall(z.string()).superRefine((value, ctx) => {
    const unknown = Object.keys(value).filter((key) => !known.has(key) && !PLATFORM_ID_FIELD.test(key));
    if (unknown.length) ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, input: value, message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}` });
  }).meta({ platformIds: true });
  // The catchall's index signature would make every field a string to TypeScript; the id fields are typed apart.
  return schema as unknown as z.ZodType<z.output<z.ZodObject<T>> & PlatformIdFields, z.input<z.ZodObject<T>> & PlatformIdFields>;
}

/** The platforms' id fields of an entry (`vapi_phone_number_id`…). */
type PlatformIdFields = { [field: `${string}_phone_number_id`]: string };

const directoryWorkspaceShape = {
  imported: z.boolean(),
  import_date: isoOrNull,
  agent_path: str,
  agent_id: str,
  assignment_type: assignmentTypeSchema,
};
const directoryWorkspaceSchema = withPlatformIds(directoryWorkspaceShape);

const carrierBlockSchema = z.strictObject({
  phone_number_sid: z.string(),
  trunk_sid: str,
  friendly_name: str,
  date_created: isoOrNull,
});

export const directoryNumberSchema = z.strictObject({
  phone_number: e164,
  phone_number_pretty: z.string(),
  phone_number_type: numberTypeSchema,
  provider: providerSchema,
  area_code: str,
  country_code: str,
  capabilities: capabilitiesSchema,
  // The seed's field, on every entry; a number held by another carrier also has that carrier's block.
  twilio: carrierBlockSchema.nullable(),
  signalwire: carrierBlockSchema.optional(),
  workspaces: z.record(z.string(), directoryWorkspaceSchema),
  sip_config: z.strictObject({
    termination_uri: str,
    origination_uri: str,
    auth_type: str,
    has_credentials: z.boolean(),
  }).nullable(),
  notes: str,
  tags: z.array(z.string()),
  pool: str,
  status: numberStatusSchema,
  last_assigned: isoOrNull,
  last_released: isoOrNull,
});

const counts = z.record(z.string(), z.number().int().nonnegative());

export const directoryFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string(),
  last_updated: isoOrNull,
  numbers: z.record(z.string(), directoryNumberSchema),
  metadata: z.strictObject({
    total_numbers: z.number().int().nonnegative(),
    by_workspace: counts,
    by_type: counts,
    by_provider: counts,
    assigned: z.number().int().nonnegative(),
    unassigned: z.number().int().nonnegative(),
  }),
});

const workspaceNumberShape = {
  phone_number: e164,
  phone_number_pretty: z.string(),
  phone_number_type: numberTypeSchema,
  provider: providerSchema,
  import_method: importMethodSchema,
  import_date: isoOrNull,
  termination_uri: opt(z.string()),
  auth_username: opt(z.string()),
  nickname: opt(z.string()),
  inbound_webhook_url: opt(z.string()),
  assigned: z.boolean(),
  last_modified: isoOrNull,
  pool: opt(z.string()),
  status: numberStatusSchema.optional(),
  last_assigned: opt(iso),
  last_released: opt(iso),
};
/** A platform that addresses numbers by its own id records it here too (spec/config.md: vapi_phone_number_id). */
export const workspaceNumberSchema = withPlatformIds(workspaceNumberShape);

export const numbersFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string(),
  workspace: z.string(),
  /** The workspace's voice platform (a registry name). */
  platform: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
  last_sync: isoOrNull,
  numbers: z.array(workspaceNumberSchema),
  summary: z.strictObject({
    total: z.number().int().nonnegative(),
    assigned: z.number().int().nonnegative(),
    unassigned: z.number().int().nonnegative(),
    import_methods: counts,
  }),
});

export const weightedAgentSchema = z.strictObject({
  agent_id: z.string(),
  agent_path: str,
  weight: z.number().positive().max(1),
});

export const assignmentSchema = z.strictObject({
  phone_number: e164,
  agent_path: str,
  agent_name: str,
  agent_id: str,
  assignment_type: assignmentTypeSchema.exclude(['unassigned']),
  inbound_agent_id: str,
  outbound_agent_id: str,
  inbound_agents: z.array(weightedAgentSchema).optional(),
  outbound_agents: z.array(weightedAgentSchema).optional(),
  assigned_date: isoOrNull,
  last_modified: isoOrNull,
  release_at: opt(iso),
});

export const assignmentsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string(),
  workspace: z.string(),
  last_updated: isoOrNull,
  assignments: z.array(assignmentSchema),
  by_agent: z.record(z.string(), z.array(e164)),
  unassigned: z.array(e164),
});

export const trunksFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string(),
  last_sync: isoOrNull,
  trunks: z.record(z.string(), z.strictObject({
    trunk_sid: z.string(),
    friendly_name: str,
    domain_name: str,
    auth_type: str,
    credential_list_sid: str,
    origination_urls: z.array(z.strictObject({
      sid: z.string(), sip_url: z.string(), friendly_name: str, priority: z.number(), weight: z.number(),
    })),
    phone_numbers: z.array(z.strictObject({ phone_number_sid: z.string(), phone_number: z.string() })),
    date_created: isoOrNull,
    date_updated: isoOrNull,
  })),
  credentials: z.record(z.string(), z.strictObject({
    credential_list_sid: z.string(),
    friendly_name: str,
    usernames: z.array(z.string()),
    note: z.string().optional(),
  })),
});

export const syncHistoryEntrySchema = z.strictObject({
  timestamp: iso,
  type: z.enum(['full', 'incremental', 'twilio', 'retell']),
  workspaces: z.array(z.string()).optional(),
  numbers_synced: z.number().int().nonnegative(),
  trunks_synced: z.number().int().nonnegative(),
  changes: z.number().int().nonnegative().optional(),
  requests: z.number().int().nonnegative().optional(),
  duration_ms: z.number().nonnegative(),
  status: z.enum(['success', 'partial', 'failed', 'refused']),
  error: z.string().optional(),
});

export const syncFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string(),
  last_full_sync: isoOrNull,
  last_incremental_sync: isoOrNull,
  sync_history: z.array(syncHistoryEntrySchema),
  next_sync: isoOrNull,
  sync_interval_minutes: z.number().int().positive(),
});

/** Where the pool's runtime state (and, with PostgreSQL, its membership and LRU order) lives (spec/config.md). */
export const poolStoreSchema = z.strictObject({
  kind: z.enum(['files', 'postgres']),
  /** The environment variable holding the database URL (never the URL itself). */
  url_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable').optional(),
  schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected lower-case letters, digits and underscores (at most 63)').optional(),
});

export const poolsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string(),
  store: poolStoreSchema.optional(),
  pools: z.record(z.string(), z.strictObject({
    workspace: z.string(),
    min_available: z.number().int().nonnegative().default(0),
    default_hold: z.string().nullable().optional(),
    provision: z.strictObject({
      country: z.string().default('US'),
      type: z.enum(['local', 'toll-free']).default('local'),
      area_codes: z.array(z.string()).default([]),
      /** The carrier numbers are bought from (a registry name; default: the one carrier configured, else twilio). */
      carrier: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a carrier name such as "twilio" or "signalwire"').optional(),
      trunk_sid: z.string().nullable().optional(),
      /** For a carrier without trunks: the SIP address the voice platform dials for the pool's numbers. */
      termination_uri: z.string().nullable().optional(),
      /** SIP credentials for the platform import on a credential-list trunk: the username, and the variable holding the password. */
      auth_username: z.string().nullable().optional(),
      auth_password_env: z.string().nullable().optional(),
    }).optional(),
  })),
});

/** workspaces.json (the Retell CLIs' file plus phone-dir's carriers): config.ts reads it, validate checks it with this. */
// Patterns rather than min(1): ajv's standalone code for minLength requires a CommonJS helper.
const envName = z.string().regex(/^\S+$/, 'expected the name of an environment variable');
const nonEmpty = z.string().regex(/\S/, 'must not be empty');
export const twilioConfigSchema = z.strictObject({
  account_sid_env: envName.optional(),
  auth_token_env: envName.optional(),
  api_key_sid_env: envName.optional(),
  api_key_secret_env: envName.optional(),
  base_url: z.string().optional(),
});
export const signalwireConfigSchema = z.strictObject({
  space_url: z.string().optional(),
  project_id_env: envName.optional(),
  api_token_env: envName.optional(),
  base_url: z.string().optional(),
});
export const workspaceEntrySchema = z.strictObject({
  id: nonEmpty.optional(),
  name: z.string().optional(),
  platform: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a voice platform name such as "retell" or "vapi"').optional(),
  api_key_env: envName.optional(),
  api_key: nonEmpty.optional(),
  base_url: z.string().optional(),
  twilio: twilioConfigSchema.optional(),
  signalwire: signalwireConfigSchema.optional(),
});
/** Every key other than these names a workspace: one entry, or (multi-production form) an array of entries with ids. */
export const workspacesFileSchema = z.object({
  $schema: z.string().optional(),
  mode: z.string().optional(),
  twilio: twilioConfigSchema.optional(),
  signalwire: signalwireConfigSchema.optional(),
}).catchall(z.union([workspaceEntrySchema, z.array(workspaceEntrySchema)]));

export const agentConfigSchema = z.looseObject({ agent_name: z.string().optional() });
export const agentWorkspaceSchema = z.looseObject({ agent_id: z.string().min(1) });

export type DirectoryFile = z.infer<typeof directoryFileSchema>;
export type DirectoryNumberEntry = z.infer<typeof directoryNumberSchema>;
export type NumbersFile = z.infer<typeof numbersFileSchema>;
export type WorkspaceNumberEntry = z.infer<typeof workspaceNumberSchema>;
export type AssignmentsFile = z.infer<typeof assignmentsFileSchema>;
export type AssignmentEntry = z.infer<typeof assignmentSchema>;
export type TrunksFile = z.infer<typeof trunksFileSchema>;
export type SyncFile = z.infer<typeof syncFileSchema>;
export type SyncHistoryEntry = z.infer<typeof syncHistoryEntrySchema>;
export type PoolsFile = z.infer<typeof poolsFileSchema>;
export type PoolStoreEntry = z.infer<typeof poolStoreSchema>;
export type AssignmentType = z.infer<typeof assignmentTypeSchema>;

/** The schemas published under schemas/ (file name → schema), also used to pick `$schema` values. */
export const FILE_SCHEMAS = {
  'directory.schema.json': directoryFileSchema,
  'numbers.schema.json': numbersFileSchema,
  'assignments.schema.json': assignmentsFileSchema,
  'trunks.schema.json': trunksFileSchema,
  'sync.schema.json': syncFileSchema,
  'pools.schema.json': poolsFileSchema,
  'workspaces.schema.json': workspacesFileSchema,
} as const;
