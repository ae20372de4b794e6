import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents } from '../load.js';
import { buildReport, reportRows, lastTwilioSync, REPORT_CSV_COLUMNS } from '../../core/report.js';
import { isoSeconds } from '../../core/time.js';
import { UsageError } from '../../core/errors.js';
import { readSyncFile } from '../../store/sync-file.js';
import { renderReportText } from '../../render/report.js';
import { renderJson } from '../../render/json.js';

const FORMATS = ['text', 'json', 'csv'] as const;

export function registerReport(program: Command, kit: CommandKit): void {
  const cmd = program.command('report')
    .description('inventory report: totals, workspaces, types, providers, top agents, recent activity')
    .option('--format <format>', `output: ${FORMATS.join(' | ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .action(kit.action(async (ctx, opts: { format: string; output?: string }) => {
      const format = ctx.flags.json ? 'json' : opts.format;
      if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
      const loaded = await loadForReading(ctx);
      let text: string;
      if (format === 'csv') {
        const { stringify } = await import('csv-stringify/sync');
        text = stringify(reportRows(loaded.dir), { header: true, columns: [...REPORT_CSV_COLUMNS], record_delimiter: '\r\n' });
      } else {
        const sync = await readSyncFile(loaded.paths);
        const report = buildReport(loaded.dir, await loadAgents(ctx), isoSeconds(ctx.now()), lastTwilioSync(sync));
        text = format === 'json' ? renderJson(report) : renderReportText(report, ctx.chalk);
      }
      if (opts.output) {
        const target = path.resolve(ctx.cwd, opts.output);
        await writeFile(target, format === 'text' ? stripVTControlCharacters(text) : text);
        ctx.info(`wrote ${opts.output}`);
      } else {
        ctx.out(text);
      }
      return 0;
    }));
  addExamples(cmd, ['phone-dir report', 'phone-dir report --format csv --output inventory.csv', 'phone-dir report --json | jq .by_workspace']);
}
