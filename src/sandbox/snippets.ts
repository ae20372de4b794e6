export interface SandboxCredentials {
  twilio: { accountSid: string; authToken: string; apiKeySid?: string; apiKeySecret?: string };
  retell: Record<string, string>;
  /** Present when the scenario has a SignalWire project. */
  signalwire?: { spaceUrl: string; projectId: string; apiToken: string };
  /** Vapi workspaces: private API key and display name. */
  vapi?: Record<string, { apiKey: string; name: string }>;
}

export interface SnippetSource {
  twilioBaseUrl: string;
  /** Replaces https://<space_url>; phone-dir appends /api/laml/2010-04-01/… */
  signalwireBaseUrl: string;
  retellBaseUrl: string;
  vapiBaseUrl?: string;
  credentials: SandboxCredentials;
}

/** Environment variable phone-dir reads the API key of workspace `ws` from. */
export function retellKeyEnvVar(ws: string): string {
  return `RETELL_${ws.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}

/** Environment variable phone-dir reads the private API key of Vapi workspace `ws` from (vapi-support → VAPI_SUPPORT_API_KEY). */
export function vapiKeyEnvVar(ws: string): string {
  const upper = ws.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `${upper.startsWith('VAPI_') ? upper : `VAPI_${upper}`}_API_KEY`;
}

const titleCase = (s: string) => s.replace(/(^|[-_])([a-z])/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`);

/** workspaces.json's `$schema`: the copy `phone-dir init` writes, relative to the project root. */
const WORKSPACES_SCHEMA_REF = './phone-numbers/.schemas/workspaces.schema.json';

/** workspaces.json content (spec/config.md) that points phone-dir at the sandbox. */
export function workspacesSnippet(h: SnippetSource): Record<string, unknown> {
  const out: Record<string, unknown> = { $schema: WORKSPACES_SCHEMA_REF };
  for (const ws of Object.keys(h.credentials.retell)) {
    out[ws] = { api_key_env: retellKeyEnvVar(ws), name: titleCase(ws), base_url: h.retellBaseUrl };
  }
  for (const [ws, org] of Object.entries(h.credentials.vapi ?? {})) {
    out[ws] = { platform: 'vapi', api_key_env: vapiKeyEnvVar(ws), name: org.name, ...(h.vapiBaseUrl ? { base_url: h.vapiBaseUrl } : {}) };
  }
  out.twilio = { account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN', base_url: h.twilioBaseUrl };
  const sw = h.credentials.signalwire;
  if (sw) out.signalwire = { space_url: sw.spaceUrl, project_id_env: 'SIGNALWIRE_PROJECT_ID', api_token_env: 'SIGNALWIRE_API_TOKEN', base_url: h.signalwireBaseUrl };
  return out;
}

/** Environment for workspacesSnippet(); the base-URL overrides also redirect an existing workspaces.json. */
export function envSnippet(h: SnippetSource): Record<string, string> {
  const t = h.credentials.twilio;
  const env: Record<string, string> = { TWILIO_ACCOUNT_SID: t.accountSid, TWILIO_AUTH_TOKEN: t.authToken };
  if (t.apiKeySid && t.apiKeySecret) {
    env.TWILIO_API_KEY_SID = t.apiKeySid;
    env.TWILIO_API_KEY_SECRET = t.apiKeySecret;
  }
  for (const [ws, key] of Object.entries(h.credentials.retell)) env[retellKeyEnvVar(ws)] = key;
  env.PHONE_DIR_TWILIO_BASE_URL = h.twilioBaseUrl;
  env.PHONE_DIR_RETELL_BASE_URL = h.retellBaseUrl;
  const sw = h.credentials.signalwire;
  if (sw) {
    env.SIGNALWIRE_PROJECT_ID = sw.projectId;
    env.SIGNALWIRE_API_TOKEN = sw.apiToken;
    env.PHONE_DIR_SIGNALWIRE_BASE_URL = h.signalwireBaseUrl;
  }
  for (const [ws, org] of Object.entries(h.credentials.vapi ?? {})) env[vapiKeyEnvVar(ws)] = org.apiKey;
  if (h.vapiBaseUrl && h.credentials.vapi && Object.keys(h.credentials.vapi).length) env.PHONE_DIR_VAPI_BASE_URL = h.vapiBaseUrl;
  return env;
}

/** `export NAME='value'` lines, single-quoted for POSIX shells. */
export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
