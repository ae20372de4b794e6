import { spawn } from 'node:child_process';
import { ConfigError } from '../core/errors.js';
import { git, GitError } from './git.js';

/** One commit of `git log --raw` limited to some paths: what each listed file was before (per parent) and after. */
export interface LoggedCommit {
  sha: string;
  short: string;
  /** Author date, seconds since the epoch. */
  time: number;
  author: string;
  subject: string;
  files: { path: string; before: (string | null)[]; after: string | null }[];
}

const ZERO = /^0+$/;
const blob = (sha: string) => (ZERO.test(sha) ? null : sha);

/** Exit 2 unless `root` is inside a Git work tree (history reads nothing else). */
export async function requireGitWorkTree(root: string): Promise<void> {
  try {
    await git(root, ['rev-parse', '--is-inside-work-tree']);
  } catch (err) {
    if (err instanceof GitError && err.notFound) throw new ConfigError(`history: ${err.gitMessage}`, 'install git');
    throw new ConfigError(`history: ${root} is not inside a Git repository, so phone-numbers/ has no history`, 'run it in the repository that commits phone-numbers/ (or pass -C <project>)');
  }
}

// Fields of the header line; \x1e starts a commit, \x1f separates fields (neither occurs in names or subjects).
const FORMAT = '%x1e%H%x1f%at%x1f%an%x1f%s';

/**
 * The commits that changed any of `pathspecs`, newest first (parents after children), with paths relative to
 * `root`. `-c` lists a merge's file only when it differs from every parent, with one "before" per parent; Git's
 * history simplification already leaves out merges that took one side's files unchanged.
 */
export async function logFileChanges(root: string, pathspecs: string[]): Promise<LoggedCommit[]> {
  let out: string;
  try {
    out = await git(root, ['log', '--date-order', '-c', '--raw', '--no-abbrev', '--no-renames', '--relative', `--format=${FORMAT}`, '--', ...pathspecs]);
  } catch (err) {
    // A repository without a commit yet has no history: not an error.
    if (err instanceof GitError && /does not have any commits|bad default revision|unknown revision/i.test(err.gitMessage)) return [];
    throw new ConfigError(`history: git log failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const commits: LoggedCommit[] = [];
  if (!out) return commits;
  // --no-abbrev makes %h full length too: shorten to the length Git itself picks for this repository.
  const abbrev = (await git(root, ['rev-parse', '--short', 'HEAD'])).length;
  for (const chunk of out.split('\x1e')) {
    if (!chunk.trim()) continue;
    const [header = '', ...lines] = chunk.split('\n');
    const [sha = '', time = '0', author = '', subject = ''] = header.split('\x1f');
    const files: LoggedCommit['files'] = [];
    for (const line of lines) {
      // ":100644 100644 <old> <new> M\tpath" or, for a merge, "::100644 100644 100644 <p1> <p2> <new> MM\tpath".
      const m = /^(:+)([^\t]*)\t(.*)$/.exec(line);
      if (!m) continue;
      const parents = m[1]!.length;
      const words = m[2]!.trim().split(/\s+/);
      const shas = words.slice(parents + 1, parents + 1 + parents + 1);
      files.push({ path: m[3]!, before: shas.slice(0, parents).map(blob), after: blob(shas[parents] ?? '') });
    }
    commits.push({ sha, short: sha.slice(0, abbrev), time: Number(time), author, subject, files });
  }
  return commits;
}

/**
 * Reads blobs through one `git cat-file --batch` process (one per call, not one `git show` per version) and
 * hands each to `use` as it arrives, so only what `use` keeps stays in memory.
 */
export function readBlobs(root: string, shas: string[], use: (sha: string, content: Buffer) => void): Promise<void> {
  if (shas.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let failed = false;
    const fail = (err: Error) => { if (!failed) { failed = true; child.kill(); reject(err); } };
    child.on('error', (err) => fail(new ConfigError(`history: cannot run git cat-file: ${err.message}`)));
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    let chunks: Buffer[] = [];
    let buffered = 0;
    let want: { sha: string; size: number } | null = null;
    const take = (n: number): Buffer => {
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      chunks = all.length > n ? [all.subarray(n)] : [];
      buffered = all.length - n;
      return all.subarray(0, n);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      buffered += chunk.length;
      for (;;) {
        if (!want) {
          const joined = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
          chunks = [joined];
          const nl = joined.indexOf(10);
          if (nl === -1) return;
          const header = take(nl + 1).toString('utf8').trim().split(' ');
          if (header[1] === 'missing') { fail(new ConfigError(`history: git has no object ${header[0]} (a shallow or damaged clone?)`)); return; }
          want = { sha: header[0]!, size: Number(header[2]) };
        }
        if (buffered < want.size + 1) return;
        const content = take(want.size + 1).subarray(0, want.size);
        const done = want;
        want = null;
        try { use(done.sha, content); } catch (err) { fail(err as Error); return; }
      }
    });
    child.on('close', (code) => {
      if (failed) return;
      if (code === 0) resolve();
      else reject(new ConfigError(`history: git cat-file failed: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`));
    });
    child.stdin.on('error', () => { /* reported by close */ });
    child.stdin.end(`${shas.join('\n')}\n`);
  });
}
