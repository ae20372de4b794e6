import { mkdir, readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SCHEMA_COPY_DIR } from '../core/views.js';
import { assertWithin, folderExists, readTextOrNull } from './fsutil.js';
import { DATA_DIR, type ProjectPaths } from './paths.js';

/** The package's schemas/ folder: src/store and dist/store both sit two levels below the package root. */
const PACKAGE_SCHEMAS = fileURLToPath(new URL('../../schemas/', import.meta.url));

let cached: Promise<Map<string, string>> | null = null;

/** Every `*.schema.json` the installed package ships, name → bytes. */
export function packageSchemas(): Promise<Map<string, string>> {
  cached ??= (async () => {
    const names = (await readdir(PACKAGE_SCHEMAS)).filter((n) => n.endsWith('.schema.json')).sort();
    return new Map(await Promise.all(names.map(async (n) => [n, await readFile(path.join(PACKAGE_SCHEMAS, n), 'utf8')] as const)));
  })();
  return cached;
}

/**
 * Makes phone-numbers/.schemas/ a byte-identical copy of the package's schemas, which every `$schema` the
 * views carry points at relative to its file: editors then resolve it however phone-dir was installed
 * (global, npx, a checkout), not only as a local devDependency. Only files that differ are written, so an
 * up-to-date copy changes no byte. Returns the files written.
 */
export async function refreshSchemaCopies(paths: ProjectPaths): Promise<string[]> {
  const dir = path.join(paths.dataDir, SCHEMA_COPY_DIR);
  const shownDir = `${DATA_DIR}/${SCHEMA_COPY_DIR}`;
  await assertWithin(paths.root, dir, shownDir);
  const exists = await folderExists(dir, shownDir);
  const written: string[] = [];
  for (const [name, text] of await packageSchemas()) {
    const file = path.join(dir, name);
    if (exists && (await readTextOrNull(file, `${shownDir}/${name}`, paths.root)) === text) continue;
    if (written.length === 0) await mkdir(dir, { recursive: true });
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}
