import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { renderJson } from '../../render/json.js';

export function registerStatus(program: Command, kit: CommandKit): void {
  const cmd = program.command('status')
    .description('this checkout against its remote (ahead / behind / diverged), the last sync, and the pool operations and leases in flight')
    .option('--fetch', 'fetch the remote first (otherwise: as of the last fetch, offline)')
    .action(kit.action(async (ctx, f: { fetch?: boolean }) => {
      const { directoryGitStatus } = await import('../../store/git-status.js');
      const { readSyncFile } = await import('../../store/sync-file.js');
      const { projectPaths } = await import('../../store/paths.js');
      const { Session } = await import('../pool/session.js');
      const { inFlight, lastSync } = await import('../../core/status.js');
      const { statusText } = await import('../../render/status.js');
      const paths = projectPaths(ctx.root);
      const sync = lastSync(await readSyncFile(paths));
      const deps = new Session(ctx, 'status');
      const [directory, state] = await Promise.all([
        directoryGitStatus(ctx.root, ['phone-numbers', 'agents'], { fetch: Boolean(f.fetch), since: sync?.time ?? null }),
        deps.store.peekState(),
      ]);
      const report = {
        directory: { root: ctx.root, ...directory },
        last_sync: sync,
        store: { ...deps.store.description, ...inFlight(state, ctx.now(), deps.ownerAlive) },
      };
      if (ctx.flags.json) ctx.out(renderJson(report));
      else ctx.out(statusText(report, ctx.chalk));
      return 0;
    }));
  addExamples(cmd, ['phone-dir status', 'phone-dir status --fetch --json | jq .directory.state']);
}
