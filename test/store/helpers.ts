/** Shared helpers for the store tests: compiling the store modules for child processes, spawning them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fsp, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'store', 'fixtures');

/** The store modules the child processes need; they import only node: builtins and each other. */
const STORE_MODULES = ['fsutil.ts', 'process-identity.ts', 'transaction.ts', 'lock.ts'];

/**
 * Child processes run plain JS, so the store modules are transpiled (type stripping only, TypeScript's
 * transpileModule: no type check, ~100 ms) into a private folder under node_modules/.cache. Returns that folder.
 */
export function buildStoreForChildren(): { dir: string; cleanup: () => void } {
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'phone-dir-store-test', `${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const file of STORE_MODULES) {
    const src = readFileSync(path.join(REPO_ROOT, 'src', 'store', file), 'utf8');
    const out = ts.transpileModule(src, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
    });
    writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), out.outputText);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makeTempDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `phone-dir-${prefix}-`));
}

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** resolves with the first stdout line matching re */
  waitForLine: (re: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnFixture(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, [path.join(FIXTURES, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const scan = (): void => {
    const lines = out.split('\n');
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      const line = lines.find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(i, 1);
        w.resolve(line);
      }
    }
  };
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    scan();
  });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine: (re, timeoutMs = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} from ${script}; stdout: ${out}; stderr: ${err}`)), timeoutMs);
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code ?? signal}) before printing ${re}; stdout: ${out}; stderr: ${err}`));
        });
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        scan();
      }),
  };
}

export async function killHard(child: Child): Promise<void> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await child.exited;
}

/** A pid that belonged to a process that has exited. */
export async function deadPid(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => proc.on('exit', resolve));
  return proc.pid!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every file under dir, relative, sorted (follows no symlinks). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const ent of await fsp.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

// ---- generation files (same layout as fixtures/txn-writer.mjs) ----

export const GEN_FILES = ['a.json', 'sub/b.json', 'sub/deep/c.json', '../.gitignore'];
export const ODD_FILE = 'ws/odd.json';

/** Content of `name` at generation `gen` (must match fixtures/txn-writer.mjs). */
export function genContent(name: string, gen: number, size: number): string {
  const head = `gen=${gen} file=${name}\n`;
  const unit = `${gen}:${name};`;
  const target = size + (gen % 7) * 1000;
  return head + unit.repeat(Math.ceil((target - head.length) / unit.length)).slice(0, Math.max(0, target - head.length)) + '\n';
}

/** Parses and verifies a generation file; returns its generation or throws if the bytes are not exactly right. */
export function checkGenContent(name: string, text: string, size: number): number {
  const m = /^gen=(\d+) file=([^\n]+)\n/.exec(text);
  if (!m || m[2] !== name) throw new Error(`${name}: bad header ${JSON.stringify(text.slice(0, 40))}`);
  const gen = Number(m[1]);
  if (text !== genContent(name, gen, size)) throw new Error(`${name}: content of generation ${gen} is torn or corrupt (length ${text.length})`);
  return gen;
}

/**
 * Verifies that the files in `values` (keyed by relative name) form exactly one generation; returns it.
 */
export function checkOneGeneration(values: Map<string, string | null>, size: number): number {
  const gens = new Set<number>();
  for (const name of GEN_FILES) {
    const v = values.get(name);
    if (v === null || v === undefined) throw new Error(`${name} is missing`);
    gens.add(checkGenContent(name, v, size));
  }
  if (gens.size !== 1) throw new Error(`mixed generations: ${[...gens].join(', ')}`);
  const gen = [...gens][0]!;
  const odd = values.get(ODD_FILE) ?? null;
  if (gen % 2 === 1) {
    if (odd === null) throw new Error(`generation ${gen} is odd but ${ODD_FILE} is missing`);
    if (checkGenContent(ODD_FILE, odd, 1000) !== gen) throw new Error(`${ODD_FILE} is from another generation than ${gen}`);
  } else if (odd !== null) {
    throw new Error(`generation ${gen} is even but ${ODD_FILE} exists`);
  }
  return gen;
}

export function genWrites(dir: string, gen: number, size: number): { path: string; content: string | null }[] {
  return [
    ...GEN_FILES.map((name) => ({ path: path.join(dir, name), content: genContent(name, gen, size) })),
    { path: path.join(dir, ODD_FILE), content: gen % 2 === 1 ? genContent(ODD_FILE, gen, 1000) : null },
  ];
}
