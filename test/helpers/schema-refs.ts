import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== '.schemas') out.push(...(await jsonFilesUnder(p)));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

/**
 * Every JSON file of the project's phone-numbers/ (the copy itself left out), its workspaces.json and the
 * `extra` files whose `$schema` is missing or does not resolve, relative to the file, to a file on disk:
 * `file: $schema` lines, empty when every one resolves.
 */
export async function unresolvedSchemaRefs(root: string, extra: string[] = []): Promise<string[]> {
  const files = [...(await jsonFilesUnder(path.join(root, 'phone-numbers'))), ...['workspaces.json', ...extra].map((f) => path.join(root, f))];
  const problems: string[] = [];
  let checked = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    checked += 1;
    const ref = (JSON.parse(text) as { $schema?: unknown }).$schema;
    const rel = path.relative(root, file);
    if (typeof ref !== 'string') { problems.push(`${rel}: no $schema`); continue; }
    const target = path.resolve(path.dirname(file), ref);
    if (!(await stat(target).then((s) => s.isFile(), () => false))) problems.push(`${rel}: ${ref}`);
  }
  if (checked === 0) problems.push(`${root}: no JSON file to check`);
  return problems;
}
