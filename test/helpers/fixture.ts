import { cp, mkdtemp, readFile, writeFile, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** A temporary project holding a copy of the sample directory (phone-numbers/ and agents/). */
export async function sampleProject(opts: { withConfig?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'phone-dir-test-'));
  await cp(path.join(REPO_ROOT, 'phone-numbers'), path.join(dir, 'phone-numbers'), { recursive: true });
  await cp(path.join(REPO_ROOT, 'agents'), path.join(dir, 'agents'), { recursive: true });
  if (opts.withConfig) await cp(path.join(REPO_ROOT, 'workspaces.example.json'), path.join(dir, 'workspaces.json'));
  return dir;
}

export async function emptyProject(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'phone-dir-test-'));
}

export async function readJson<T = any>(file: string): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Edits a JSON file in place, as a person editing it by hand would (2-space indent kept). */
export async function editJson(file: string, edit: (json: any) => void): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = await readJson(file);
  edit(json);
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
}

/** Every file under a folder with its bytes, to prove a failed command changed nothing. */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(path.relative(dir, p), await readFile(p, 'utf8'));
    }
  };
  await walk(dir);
  return out;
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
