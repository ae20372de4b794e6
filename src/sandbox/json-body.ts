/** A JSON API's request body: empty is `{}`; otherwise it must be a JSON object. Each API words the refusal itself. */
export type JsonBody = { ok: true; body: Record<string, unknown> } | { ok: false; problem: 'syntax' | 'not-an-object' };

export function parseJsonObjectBody(rawBody: string): JsonBody {
  if (rawBody.trim() === '') return { ok: true, body: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { ok: false, problem: 'syntax' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'not-an-object' };
  return { ok: true, body: parsed as Record<string, unknown> };
}
