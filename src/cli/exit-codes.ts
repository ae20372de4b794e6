/**
 * The one table of exit codes (spec/cli.md): `phone-dir help exit-codes` prints it, and a test checks
 * that README.md's "Exit codes" table is exactly its Markdown rendering.
 */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  lock: 3,
  notFound: 4,
  provider: 5,
  poolExhausted: 6,
  unsafe: 7,
  interrupted: 130,
  internal: 70,
} as const;

export const EXIT_CODES: readonly { code: number; meaning: string }[] = [
  { code: EXIT.ok, meaning: 'success' },
  { code: EXIT.checkFailed, meaning: 'a check failed: validation errors (or warnings with `--strict`), drift found by `--check`, differences with `--exit-code`, a pool below its minimum in `pool health`' },
  { code: EXIT.usage, meaning: 'usage or configuration error: bad flag or argument, no project (no `workspaces.json` or `phone-numbers/`), bad `workspaces.json` or a workspace missing from it, missing environment variable, unreadable or invalid data file, a path or port the command cannot use, `git commit` refused' },
  { code: EXIT.lock, meaning: 'the directory lock could not be taken in time' },
  { code: EXIT.notFound, meaning: 'not found: a number or agent the command was asked about (a workspace missing from `workspaces.json` is 2)' },
  { code: EXIT.provider, meaning: 'provider failure after retries: network, authentication, 4xx/5xx from Twilio or Retell' },
  { code: EXIT.poolExhausted, meaning: 'pool exhausted: no available number and `--provision` not given' },
  { code: EXIT.unsafe, meaning: 'unsafe change refused (safety threshold); rerun with `--force`' },
  { code: EXIT.internal, meaning: 'internal error (a bug): rerun with `--debug` for the stack trace' },
  { code: EXIT.interrupted, meaning: 'interrupted (Ctrl-C, SIGINT); an interrupted write is finished by the next command' },
];

export function exitCodesMarkdown(): string {
  return ['| code | meaning |', '| --- | --- |', ...EXIT_CODES.map((row) => `| ${row.code} | ${row.meaning} |`)].join('\n');
}

/** For a terminal: aligned columns, no Markdown backticks. */
export function exitCodesText(): string {
  const rows = EXIT_CODES.map((row) => `  ${String(row.code).padStart(3)}  ${row.meaning.replace(/`/g, '')}`);
  return `Exit codes of every phone-dir command:\n\n${rows.join('\n')}\n`;
}
