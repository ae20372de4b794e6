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
  { code: EXIT.checkFailed, meaning: 'a check failed: validation errors (or warnings with `--strict`), drift found by `--check`, differences with `--exit-code`, a pool below its minimum in `pool health`, a confirmation prompt answered no' },
  { code: EXIT.usage, meaning: 'usage or configuration error: bad flag or argument, no project (no `workspaces.json` or `phone-numbers/`), bad `workspaces.json` or a workspace missing from it, missing environment variable, unreadable or invalid data file, a path or port the command cannot use, `git commit` refused' },
  { code: EXIT.lock, meaning: 'the directory lock could not be taken in time' },
  { code: EXIT.notFound, meaning: 'not found: a number or agent the command was asked about (a workspace missing from `workspaces.json` is 2)' },
  { code: EXIT.provider, meaning: 'provider failure after retries: network, authentication, 4xx/5xx from a carrier or voice platform (Twilio, SignalWire, Retell, Vapi)' },
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

/** A code a command can end with, and optionally when it does for that command. */
export type ExitUse = number | readonly [code: number, when: string];

/**
 * The codes each command can end with besides those every command has (0, 2, 70 and 130, and 3 for a
 * command with `--lock-timeout`); `--help` renders them with the table's meanings. Keyed by command path.
 */
export const COMMAND_EXIT_CODES: Readonly<Record<string, readonly ExitUse[]>> = {
  init: [],
  sync: [[EXIT.checkFailed, '`--check` found drift'], EXIT.provider, EXIT.unsafe],
  'sync-twilio': [[EXIT.checkFailed, '`--check` found drift'], EXIT.provider, EXIT.unsafe],
  'sync-retell': [[EXIT.checkFailed, '`--check` found drift'], EXIT.provider, EXIT.unsafe],
  list: [[EXIT.notFound, 'the `--agent` is unknown']],
  show: [[EXIT.notFound, 'the number is not in the directory']],
  'agent-numbers': [[EXIT.notFound, 'the agent is unknown']],
  unassigned: [],
  search: [[EXIT.notFound, 'the `--agent` is unknown']],
  validate: [[EXIT.checkFailed, 'errors found (or warnings, with `--strict`)']],
  diff: [[EXIT.checkFailed, 'the workspaces differ (with `--exit-code`)']],
  report: [],
  history: [[EXIT.notFound, 'no commit has the number']],
  status: [[EXIT.provider, '`--fetch` could not reach the remote']],
  'merge-driver': [[EXIT.checkFailed, 'both sides changed the same number differently: left as a conflict']],
  'agents pull': [EXIT.provider],
  'number import': [[EXIT.notFound, 'an agent is unknown'], EXIT.provider],
  'number update': [[EXIT.notFound, 'the number or an agent is unknown'], EXIT.provider],
  'number delete': [[EXIT.checkFailed, 'the confirmation prompt was answered no'], [EXIT.notFound, 'the number is not in the workspace'], EXIT.provider],
  'pool provision': [[EXIT.checkFailed, 'the confirmation prompt was answered no'], EXIT.provider],
  'pool assign': [[EXIT.notFound, 'the agent or `--number` is unknown'], EXIT.provider, EXIT.poolExhausted],
  'pool release': [[EXIT.checkFailed, 'the confirmation prompt was answered no'], [EXIT.notFound, 'the number or agent is unknown, or `--for` has no lease'], EXIT.provider],
  'pool hold': [[EXIT.notFound, 'the number is unknown, or `--for` has no lease']],
  'pool lease': [EXIT.poolExhausted],
  'pool leases': [],
  'pool audit': [],
  'pool health': [[EXIT.checkFailed, 'a pool is below its minimum']],
  'pool ensure': [EXIT.provider],
  'pool store init': [[EXIT.provider, 'the PostgreSQL server cannot be reached or refuses']],
  'pool store status': [[EXIT.provider, 'the PostgreSQL server cannot be reached or refuses']],
  'pool export': [[EXIT.provider, 'the PostgreSQL server cannot be reached or refuses']],
  sandbox: [],
  demo: [[EXIT.checkFailed, 'a step of the demo failed']],
  completion: [],
  help: [],
};

const EVERY_COMMAND_CODES = [EXIT.ok, EXIT.usage, EXIT.internal, EXIT.interrupted];

/** A meaning's headline: the words before its first colon or semicolon (`not found`, `pool exhausted`…), without Markdown. */
function headline(meaning: string): string {
  return meaning.replace(/`/g, '').split(/[:;] /)[0]!;
}

/** The rows of the table that apply to one command, each with its own "when" where the command gives one. */
export function commandExitCodes(commandPath: string, takesLock: boolean): { code: number; meaning: string }[] {
  // A command without an entry still gets the codes every command has (a test requires an entry for each).
  const uses = Object.hasOwn(COMMAND_EXIT_CODES, commandPath) ? COMMAND_EXIT_CODES[commandPath]! : [];
  const when = new Map<number, string>(uses.map((u) => (typeof u === 'number' ? [u, ''] : [u[0], u[1]])));
  for (const code of [...EVERY_COMMAND_CODES, ...(takesLock ? [EXIT.lock] : [])]) if (!when.has(code)) when.set(code, '');
  return EXIT_CODES.filter((row) => when.has(row.code)).map((row) => {
    const detail = when.get(row.code)!.replace(/`/g, '');
    return { code: row.code, meaning: detail ? `${headline(row.meaning)}: ${detail}` : headline(row.meaning) };
  });
}

/** The "Exit codes:" section of a command's --help. */
export function exitCodesHelp(commandPath: string, takesLock: boolean): string {
  const rows = commandExitCodes(commandPath, takesLock).map((r) => `  ${String(r.code).padStart(3)}  ${r.meaning}`);
  // No leading or trailing newline: commander ends each help section with one, after the Examples' blank line.
  return `Exit codes:\n${rows.join('\n')}\n  (phone-dir help exit-codes explains every code)`;
}
