import { Option, type Command } from 'commander';
import { readTextOrNull, UnusablePathError } from '../../store/fsutil.js';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { readDirectory } from '../../store/directory.js';
import { recoverIfInterrupted } from '../lock.js';
import { readAgents } from '../../store/agents.js';
import { formatIssue, parseJsonText, duplicateKeyIssues, type FileIssue } from '../../store/parse-file.js';
import type { ProjectPaths } from '../../store/paths.js';
import { validateDirectory } from '../../core/validate/index.js';
import { error, type Finding } from '../../core/validate/finding.js';
import { PhoneDirError, UsageError } from '../../core/errors.js';
import { renderValidateText, findingJson } from '../../render/validate.js';
import { renderGithubAnnotations } from '../../render/github.js';
import { renderJson } from '../../render/json.js';
import { catalog, configCatalog } from '../../providers/registry.js';
import { reservedKeys } from '../../core/config.js';
import { recordedPlatforms } from '../../core/reconcile.js';

/** Rules ask for a file name per finding and per number; path.relative each time showed in profiles. */
function memo(fn: (ws: string) => string): (ws: string) => string {
  const cache = new Map<string, string>();
  return (ws) => {
    let v = cache.get(ws);
    if (v === undefined) cache.set(ws, (v = fn(ws)));
    return v;
  };
}

const FORMATS = ['text', 'json', 'github', 'markdown'] as const;

function issueFinding(rule: string, issue: FileIssue): Finding {
  const where = { file: issue.file, ...(issue.line !== undefined ? { line: issue.line, column: issue.column } : {}) };
  return error(issue.duplicateKey ? 'duplicate-key' : rule, formatIssue(issue), where);
}

/** A file's text, null when it does not exist; any other failure to read it is an issue of that file. */
/** `scope`: the folder a link may not lead out of (null for workspaces.json, which may be a shared file elsewhere). */
async function readOptional(paths: ProjectPaths, file: string, scope: string | null): Promise<{ text: string | null; issues: FileIssue[] }> {
  try {
    return { text: await readTextOrNull(file, paths.rel(file), scope), issues: [] };
  } catch (err) {
    const reason = err instanceof PhoneDirError || err instanceof UnusablePathError ? err.message : `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    return { text: null, issues: [{ file: paths.rel(file), field: '(file)', message: reason, unparsable: true }] };
  }
}

/** The gitignored runtime files under twilio/ are optional, but when present they must match their schema too. */
async function runtimeFileIssues(paths: ProjectPaths): Promise<FileIssue[]> {
  const { checkJsonFile } = await import('../../store/schema-check.js');
  const issues: FileIssue[] = [];
  for (const [file, kind] of [[paths.trunks, 'trunks'], [paths.sync, 'sync']] as const) {
    const read = await readOptional(paths, file, paths.root);
    issues.push(...read.issues);
    if (read.text !== null) issues.push(...(await checkJsonFile(paths.rel(file), read.text, kind, { duplicateKeys: true })).issues);
  }
  return issues;
}

interface ConfigRead { findings: Finding[]; unparsable: boolean; platforms: Map<string, string> }

/** Each workspace's `"platform"` as workspaces.json writes it (read leniently: its own findings report what is wrong). */
function platformsOfConfig(json: unknown, reserved: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof json !== 'object' || json === null) return out;
  for (const [key, value] of Object.entries(json)) {
    if (reserved.includes(key)) continue;
    for (const entry of Array.isArray(value) ? value : [value]) {
      const name = Array.isArray(value) ? (entry as { id?: unknown })?.id : key;
      const platform = (entry as { platform?: unknown } | null)?.platform;
      if (typeof name === 'string' && typeof platform === 'string') out.set(name, platform);
    }
  }
  return out;
}

/** workspaces.json is optional for validate (it is offline), but when present it must be what sync can read. */
async function configFindings(paths: ProjectPaths): Promise<ConfigRead> {
  const rel = paths.rel(paths.config);
  const read = await readOptional(paths, paths.config, null);
  if (read.text === null) return { findings: read.issues.map((i) => issueFinding('config', i)), unparsable: read.issues.length > 0, platforms: new Map() };
  const parsed = parseJsonText(rel, read.text);
  const fileIssues = parsed.issues.length ? parsed.issues : duplicateKeyIssues(rel, read.text, parsed.value);
  if (fileIssues.length) return { findings: fileIssues.map((i) => issueFinding('config', i)), unparsable: parsed.issues.length > 0, platforms: new Map() };
  // Lazily: the config rules bring zod, which no other command's start-up should pay for.
  const { checkWorkspacesConfig } = await import('../../core/validate/rules-config.js');
  const catalog = configCatalog();
  return { findings: checkWorkspacesConfig(rel, parsed.value, catalog), unparsable: false, platforms: platformsOfConfig(parsed.value, reservedKeys(catalog)) };
}

export function registerValidate(program: Command, kit: CommandKit): void {
  const cmd = program.command('validate')
    .description('offline integrity check of the directory (exit 1 on errors, 2 when a file is not even JSON)')
    .option('--strict', 'warnings fail too')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .action(kit.action(async (ctx, opts: { strict?: boolean; format: string }) => {
      const format = ctx.flags.json ? 'json' : opts.format;
      if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
      await recoverIfInterrupted(ctx);
      const [loaded, agents] = await Promise.all([readDirectory(ctx.root, { schema: true, keepTexts: false, duplicateKeys: true }), readAgents(ctx.root)]);
      const { readPools } = await import('../../store/pools.js');
      const pools = await readPools(loaded.paths);
      if (pools.text !== null && pools.issues.length === 0) {
        const repeated = duplicateKeyIssues(loaded.paths.rel(loaded.paths.pools), pools.text);
        if (repeated.length) Object.assign(pools, { pools: null, issues: repeated });
      }
      const p = loaded.paths;
      // A workspace folder must hold both of its views; a missing one is reported like an unreadable one.
      const missing: FileIssue[] = Object.keys(loaded.parsed.workspaces).flatMap((ws) => [p.workspaceNumbers(ws), p.workspaceAssignments(ws)])
        .filter((f) => loaded.texts.get(f) === null)
        .map((f) => ({ file: p.rel(f), field: '(file)', message: 'missing; every workspace folder holds numbers.json and assignments.json (run phone-dir sync)' }));
      // No directory at all (wrong -C, or init never ran) is not a clean directory: CI must not pass on it.
      if (loaded.texts.get(p.directory) === null && !loaded.issues.some((i) => i.file === p.rel(p.directory))) {
        missing.push({ file: p.rel(p.directory), field: '(file)', message: `missing: ${ctx.root} holds no phone-number directory; run phone-dir init (or pass -C <project>)` });
      }
      const viewIssues = [...loaded.issues, ...missing];
      const badFiles = new Set(viewIssues.map((i) => i.file));
      const unreadable = {
        workspaces: new Set(Object.keys(loaded.parsed.workspaces).filter((ws) => badFiles.has(p.rel(p.workspaceNumbers(ws))) || badFiles.has(p.rel(p.workspaceAssignments(ws))))),
        pools: pools.issues.length > 0,
        agentFiles: new Set(agents.issues.map((i) => i.file)),
      };
      const runtimeIssues = await runtimeFileIssues(p);
      const config = await configFindings(p);
      const pre = [
        ...config.findings,
        ...viewIssues.map((i) => issueFinding('schema', i)),
        ...pools.issues.map((i) => issueFinding('schema', i)),
        ...runtimeIssues.map((i) => issueFinding('schema', i)),
        ...agents.issues.map((i) => issueFinding('agent-file', i)),
      ];
      const result = validateDirectory({
        dir: loaded.dir, parsed: loaded.parsed, agents: agents.index, pools: pools.pools, now: ctx.now(), unreadable,
        // workspaces.json says which platform a workspace is on; the directory's own record fills in the rest.
        catalog: catalog(), platforms: new Map([...recordedPlatforms(loaded.dir), ...config.platforms]),
        files: { directory: p.rel(p.directory), numbers: memo((ws) => p.rel(p.workspaceNumbers(ws))), assignments: memo((ws) => p.rel(p.workspaceAssignments(ws))), pools: p.rel(p.pools) },
      }, pre, Boolean(opts.strict));
      if (format === 'json') ctx.out(renderJson({ ok: result.ok, errors: result.errors.map(findingJson), warnings: result.warnings.map(findingJson) }));
      else if (format === 'github') ctx.out(renderGithubAnnotations([...result.errors, ...result.warnings]));
      else if (format === 'markdown') ctx.out((await import('../../render/markdown-validate.js')).renderValidateMarkdown(result));
      else ctx.status(renderValidateText(result, ctx.chalk), result.ok ? null : `validate: ${result.errors.length} errors, ${result.warnings.length} warnings (phone-dir validate lists them)`);
      // A file that is not even JSON is unreadable data (exit 2, as for every command), after every finding is shown.
      const unparsable = config.unparsable || [...viewIssues, ...pools.issues, ...runtimeIssues, ...agents.issues].some((i) => i.unparsable);
      if (unparsable) return 2;
      return result.ok ? 0 : 1;
    }));
  addExamples(cmd, ['phone-dir validate', 'phone-dir validate --strict --format github', 'phone-dir validate --format markdown > validate.md', 'phone-dir validate --json | jq .errors']);
}
