import { vendorNames } from '../../render/vendors.js';
import { catalog } from '../../providers/registry.js';
import { recordedPlatforms } from '../../core/reconcile.js';
import { Option, type Command } from 'commander';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents } from '../load.js';
import { buildReport, reportRows, lastTwilioSync, reportFormatForFile, REPORT_FORMATS, type ReportFormat } from '../../core/report.js';
import { isoSeconds } from '../../core/time.js';
import { UsageError } from '../../core/errors.js';
import { readSyncFile } from '../../store/sync-file.js';
import { refuseProjectData, writeOutputFile } from '../../store/output-file.js';
import { renderReportText } from '../../render/report.js';
import { renderReportCsv } from '../../render/report-csv.js';
import { renderJson } from '../../render/json.js';

/** --format (or --json) wins; else the --output file's extension; else text. */
function chooseFormat(json: boolean, format: string | undefined, output: string | undefined): ReportFormat {
  const chosen = json ? 'json' : format ?? (output ? reportFormatForFile(output) : 'text');
  if (!REPORT_FORMATS.includes(chosen as ReportFormat)) throw new UsageError(`--format: "${chosen}" is not one of ${REPORT_FORMATS.join(', ')}`);
  return chosen as ReportFormat;
}

export function registerReport(program: Command, kit: CommandKit): void {
  const cmd = program.command('report')
    .description('inventory report: totals, workspaces, platforms, types, providers, top agents, recent activity')
    .addOption(new Option('--format <format>', 'output format (default: from the --output extension, .csv or .json, else text)').choices(REPORT_FORMATS))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (never over phone-numbers/, agents/ or workspaces.json)')
    .action(kit.action(async (ctx, opts: { format?: string; output?: string }) => {
      const format = chooseFormat(ctx.flags.json, opts.format, opts.output);
      const target = opts.output ? path.resolve(ctx.cwd, opts.output) : null;
      if (target) await refuseProjectData(ctx.root, target, '--output');
      const loaded = await loadForReading(ctx);
      const vendors = vendorNames(catalog(), recordedPlatforms(loaded.dir));
      let text: string;
      if (format === 'csv') {
        text = await renderReportCsv(reportRows(loaded.dir, vendors.platformName));
      } else {
        const sync = await readSyncFile(loaded.paths);
        const report = buildReport(loaded.dir, await loadAgents(ctx), isoSeconds(ctx.now()), lastTwilioSync(sync), vendors.platformName);
        text = format === 'json' ? renderJson(report)
          : format === 'markdown' ? (await import('../../render/markdown-report.js')).renderReportMarkdown(report)
          : renderReportText(report, ctx.chalk, vendors);
      }
      if (target) {
        await writeOutputFile(target, format === 'text' ? stripVTControlCharacters(text) : text, '--output');
        ctx.info(`wrote ${opts.output} (${format})`);
      } else {
        ctx.out(text);
      }
      return 0;
    }));
  addExamples(cmd, ['phone-dir report', 'phone-dir report --output inventory.csv', 'phone-dir report --format markdown > report.md', 'phone-dir report --json | jq .by_workspace']);
}
