const secrets = new Set<string>();

/** Remembers a credential's value so that no output, error or log line can carry it. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) secrets.add(value);
}

/**
 * `scheme://user:password@host` → `scheme://***@host`. Applied to whatever is printed, and so to every
 * URL phone-dir shows (a `base_url`, a database URL, a request URL inside an SDK's error), parsed or not.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@');
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  out = redactUrlCredentials(out);
  // Authorization headers can carry secrets we were never told about (e.g. encoded Basic credentials).
  return out.replace(/(authorization["']?\s*[:=]\s*["']?(?:basic|bearer)\s+)[A-Za-z0-9+/=._-]+/gi, '$1***');
}
