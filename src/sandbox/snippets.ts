export interface SandboxCredentials {
  twilio: { accountSid: string; authToken: string; apiKeySid?: string; apiKeySecret?: string };
  retell: Record<string, string>;
}

export interface SnippetSource {
  twilioBaseUrl: string;
  retellBaseUrl: string;
  credentials: SandboxCredentials;
}

/** Environment variable phone-dir reads the API key of workspace `ws` from. */
export function retellKeyEnvVar(ws: string): string {
  return `RETELL_${ws.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
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
  out.twilio = { account_sid_env: 'TWILIO_ACCOUNT_SID', auth_token_env: 'TWILIO_AUTH_TOKEN', base_url: h.twilioBaseUrl };
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
  return env;
}

/** `export NAME='value'` lines, single-quoted for POSIX shells. */
export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
