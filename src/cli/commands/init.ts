import type { Command } from 'commander';
import { readTextOrNull } from '../../store/fsutil.js';
import type { CommandKit } from '../program.js';
import { addExamples, lockTimeoutOption } from '../program.js';
import { withDirectoryLock } from '../lock.js';
import { readDirectory, loadDirectory, listWorkspaceFolders, planViewWrites } from '../../store/directory.js';
import { commitFiles } from '../../store/transaction.js';
import { refreshSchemaCopies } from '../../store/schema-copies.js';
import { projectPaths } from '../../store/paths.js';
import { emptyDirectory } from '../../core/model.js';
import type { Context } from '../context.js';
import path from 'node:path';

export const GITIGNORE_ENTRIES = ['phone-numbers/twilio/', 'phone-numbers/.lock*', 'phone-numbers/.txn*', 'phone-numbers/**/*.tmp'];

async function gitignoreWithEntries(path: string): Promise<string | null> {
  const current = (await readTextOrNull(path, '.gitignore')) ?? '';
  const lines = new Set(current.split('\n').map((l) => l.trim()));
  const missing = GITIGNORE_ENTRIES.filter((e) => !lines.has(e));
  if (missing.length === 0) return null;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  return `${current}${sep}${current.includes('# phone-dir') ? '' : '# phone-dir runtime files\n'}${missing.join('\n')}\n`;
}

export async function runInit(ctx: Context, force: boolean): Promise<string[]> {
  const paths = projectPaths(ctx.root);
  const { readProjectConfig } = await import('../config.js');
  const config = await readProjectConfig(paths);
  for (const w of config?.warnings ?? []) ctx.warn(w);
  return withDirectoryLock(ctx, 'phone-dir init', async () => {
    // Without --force, an invalid directory stops init rather than being silently rewritten.
    const loaded = force ? await readDirectory(ctx.root) : await loadDirectory(ctx.root);
    const dir = force ? emptyDirectory() : loaded.dir;
    for (const ws of [...(config?.workspaces.keys() ?? []), ...(await listWorkspaceFolders(paths))]) dir.workspaces.add(ws);
    const writes = planViewWrites(paths, dir, force ? new Map() : loaded.texts, ctx.now());
    const changed = await commitFiles(paths.dataDir, writes);
    changed.push(...(await refreshSchemaCopies(paths)));
    // .gitignore lies outside phone-numbers/, where the transaction journal cannot reach: written on its own.
    const gitignorePath = path.join(ctx.root, '.gitignore');
    const gitignore = await gitignoreWithEntries(gitignorePath);
    if (gitignore) {
      const { default: writeFileAtomic } = await import('write-file-atomic');
      await writeFileAtomic(gitignorePath, gitignore);
      changed.push(gitignorePath);
    }
    return changed;
  });
}

export function registerInit(program: Command, kit: CommandKit): void {
  const cmd = program.command('init')
    .description('create phone-numbers/ with valid empty files (one folder per workspace in workspaces.json) and the .gitignore entries; idempotent')
    .option('--force', 'rewrite the directory files as empty (numbers are lost; Git still has them)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx, opts: { force?: boolean }) => {
      const changed = await runInit(ctx, Boolean(opts.force));
      const rel = changed.map((p) => projectPaths(ctx.root).rel(p));
      if (ctx.flags.json) ctx.out(`${JSON.stringify({ created: rel }, null, 2)}\n`);
      else ctx.status(rel.length ? `Initialized phone-numbers/:\n${rel.map((r) => `  ${r}`).join('\n')}\nNext: phone-dir agents pull (agent folders from your platforms), then phone-dir sync --all.\n` : 'phone-numbers/ is already initialized; nothing to do.\n', rel.length ? `init: wrote ${rel.length} files` : null);
      return 0;
    }, { project: false }));
  addExamples(cmd, ['phone-dir init', 'phone-dir init -C ../my-agents-repo']);
}
