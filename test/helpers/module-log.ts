/**
 * An ESM resolve hook that logs every module a process resolves: tests that a command never loads a heavy
 * client (a provider SDK, pg) run it with `NODE_OPTIONS: moduleLogOption(hooks)` and `MODULE_LOG: <file>`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes the hook into `dir`; returns the NODE_OPTIONS value that loads it. */
export async function writeModuleLogHooks(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'hooks.mjs'), [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const r = await next(specifier, context);',
    '  if (process.env.MODULE_LOG) appendFileSync(process.env.MODULE_LOG, `${r.url}\\n`);',
    '  return r;',
    '}',
  ].join('\n'));
  await writeFile(path.join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  return `--import=${path.join(dir, 'register.mjs')}`;
}
