const secrets = new Set<string>();

/** Remembers a credential's value so that no output, error or log line can carry it. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  // Authorization headers can carry secrets we were never told about (e.g. encoded Basic credentials).
  return out.replace(/(authorization["']?\s*[:=]\s*["']?(?:basic|bearer)\s+)[A-Za-z0-9+/=._-]+/gi, '$1***');
}
