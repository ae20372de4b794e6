/** `pool store init`, `pool store status` and `pool export`: the pool store itself (spec/cli.md "Additions"). */
import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples, lockTimeoutOption } from '../program.js';
import type { Context } from '../context.js';
import { renderJson } from '../../render/json.js';
import { addPushOptions, type PushFlags } from '../push.js';

async function selection(ctx: Context) {
  const { projectPaths } = await import('../../store/paths.js');
  const { selectStore } = await import('../../store/postgres/selection.js');
  const paths = projectPaths(ctx.root);
  return { paths, selected: selectStore(paths, ctx.env) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts).filter(([k]) => k !== 'total').map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

export function registerPoolStore(pool: Command, kit: CommandKit): void {
  const store = pool.command('store').description('the pool store: create or migrate the PostgreSQL schema, show its state');
  addExamples(store, ['phone-dir pool store init', 'phone-dir pool store status --json']);

  const init = store.command('init')
    .description('create or migrate the PostgreSQL schema; import the pool fields of the views when the store has no numbers yet (idempotent)')
    .addOption(lockTimeoutOption())
    .action(kit.action(async (ctx) => {
      const { paths, selected } = await selection(ctx);
      if (selected.kind === 'files') {
        const text = 'the pool store is the files (phone-numbers/twilio/pool-state.json beside the views): nothing to create\n';
        if (ctx.flags.json) ctx.out(renderJson({ kind: 'files', created: false }));
        else ctx.status(text, null);
        return 0;
      }
      const { initStore } = await import('../../store/postgres/admin.js');
      const { withDirectoryLock, lockTimeoutMs } = await import('../lock.js');
      const r = await withDirectoryLock(ctx, 'phone-dir pool store init', () => initStore(selected, paths, lockTimeoutMs(ctx), ctx.now()));
      if (ctx.flags.json) {
        ctx.out(renderJson({ kind: 'postgres', location: r.location, schema: r.schema, from: r.from, to: r.to, applied: r.applied, imported: r.imported, existing: r.existing }));
        return 0;
      }
      const schemaLine = r.from === 0 ? `created schema ${r.schema} at version ${r.to}`
        : r.applied.length ? `migrated schema ${r.schema} from version ${r.from} to ${r.to}` : `schema ${r.schema} is at version ${r.to} already`;
      const importLine = r.existing ? `the store has ${plural(r.existing, 'pool number')} already: nothing imported` : `imported ${plural(r.imported, 'pool number')} from the views`;
      ctx.status(`pool store postgres (${r.location}): ${schemaLine}; ${importLine}\n`, null);
      return 0;
    }));
  addExamples(init, ['phone-dir pool store init', 'phone-dir pool store init --json']);

  const status = store.command('status')
    .description('the store\'s kind and location (no credentials), schema version, numbers per pool and status, work in flight')
    .action(kit.action(async (ctx) => {
      const { paths, selected } = await selection(ctx);
      if (selected.kind === 'files') {
        const { readRuntimeState } = await import('../../store/runtime-state.js');
        const state = await readRuntimeState(paths);
        const counts = { reservations: state.reservations.length, purchase_intents: state.intents.length, leases: (state.leases ?? []).length };
        if (ctx.flags.json) ctx.out(renderJson({ kind: 'files', location: paths.rel(paths.dataDir), ...counts }));
        else ctx.status(`pool store: files (${paths.rel(paths.dataDir)}); ${plural(counts.reservations, 'reservation')}, ${plural(counts.purchase_intents, 'purchase intent')}, ${plural(counts.leases, 'lease')}\n`, null);
        return 0;
      }
      const { storeStatus } = await import('../../store/postgres/admin.js');
      const r = await storeStatus(selected);
      if (ctx.flags.json) {
        ctx.out(renderJson(r));
        return 0;
      }
      const lines = [`pool store: postgres (${r.location}), schema version ${r.version} of ${r.latest}`];
      if (r.version === 0) lines.push('no schema yet: run phone-dir pool store init');
      else if (r.version < r.latest) lines.push('an older schema: run phone-dir pool store init to migrate it');
      for (const [name, counts] of Object.entries(r.pools ?? {})) lines.push(`  pool ${name}: ${countsLine(counts)}`);
      if (r.version > 0) {
        lines.push(`in flight: ${plural(r.reservations ?? 0, 'reservation')}, ${plural(r.purchase_intents ?? 0, 'purchase intent')}, ${plural(r.leases ?? 0, 'lease')} (${r.expired_leases ?? 0} expired), ${plural(r.holds ?? 0, 'hold')}`);
      }
      ctx.status(`${lines.join('\n')}\n`, null);
      return 0;
    }));
  addExamples(status, ['phone-dir pool store status', 'phone-dir pool store status --json']);

  const exportViews = pool.command('export')
    .description('write the store\'s pool fields (pool, status, last_assigned, last_released, release_at) into the views, as one transaction')
    .addOption(lockTimeoutOption());
  addPushOptions(exportViews);
  exportViews.action(kit.action(async (ctx, flags: PushFlags) => {
      const { paths, selected } = await selection(ctx);
      if (selected.kind === 'files') {
        if (ctx.flags.json) ctx.out(renderJson({ kind: 'files', updated: [], written: [] }));
        else ctx.status('the files store keeps the pool fields in the views already: nothing to export\n', null);
        return 0;
      }
      const { exportToViews } = await import('../../store/postgres/admin.js');
      const { withDirectoryLock, lockTimeoutMs } = await import('../lock.js');
      const { withPush, pushLine } = await import('../push.js');
      const { result: r, push: pushed } = await withPush(ctx, flags, 'phone-dir pool export', () =>
        withDirectoryLock(ctx, 'phone-dir pool export', () => exportToViews(selected, paths, lockTimeoutMs(ctx), ctx.now())));
      if (r.missing.length) ctx.warn(`the store has ${plural(r.missing.length, 'number')} these views do not (added on another machine): phone-dir sync brings them in`);
      if (ctx.flags.json) ctx.out(renderJson({ kind: 'postgres', location: r.location, updated: r.updated, written: r.written, missing: r.missing }));
      else ctx.status(r.updated.length ? `wrote the store's pool fields of ${plural(r.updated.length, 'number')} into ${r.written.join(', ')}\n` : 'the views agree with the store: nothing to write\n', null);
      if (pushed) ctx.info(pushLine(pushed));
      return 0;
    }));
  addExamples(exportViews, ['phone-dir pool export', 'phone-dir pool export --json']);
}
