#!/usr/bin/env node
// Writes schemas/*.schema.json from the zod schemas in dist/core/schemas.js (run `npm run build` first).
// `--check` exits 1 when a checked-in schema is stale, which the tests rely on.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { FILE_SCHEMAS } = await import(path.join(root, 'dist/core/schemas.js'));

export function jsonSchemaFor(name, schema) {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return { ...json, $id: `https://phone-dir.dev/schemas/${name}`, title: `phone-dir ${name.replace('.schema.json', '.json')}` };
}

const check = process.argv.includes('--check');
const stale = [];
await mkdir(path.join(root, 'schemas'), { recursive: true });
for (const [name, schema] of Object.entries(FILE_SCHEMAS)) {
  const file = path.join(root, 'schemas', name);
  const text = `${JSON.stringify(jsonSchemaFor(name, schema), null, 2)}\n`;
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === text) continue;
  if (check) stale.push(name);
  else await writeFile(file, text);
}
if (stale.length) {
  console.error(`stale JSON Schemas: ${stale.join(', ')}; run npm run schemas`);
  process.exit(1);
}
