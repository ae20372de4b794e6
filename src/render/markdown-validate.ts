import type { ValidationResult } from '../core/validate/index.js';
import type { Finding } from '../core/validate/finding.js';
import { mdDocument, mdHeading, mdTable, plural, sortRows } from './markdown.js';

function where(f: Finding): string {
  if (!f.file) return '';
  return f.line !== undefined ? `${f.file}:${f.line}:${f.column ?? 1}` : f.file;
}

const rowsOf = (findings: Finding[]) => sortRows(findings.map((f) => [f.rule, where(f), f.message]));

export function renderValidateMarkdown(result: ValidationResult): string {
  const counts = `${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`;
  const blocks = [mdHeading(2, `phone-dir validate: ${result.ok ? 'passed' : 'failed'}`), `**${counts}**${result.ok ? '' : ' (exit 1)'}.`];
  for (const [title, list] of [['Errors', result.errors], ['Warnings', result.warnings]] as const) {
    if (list.length) blocks.push(mdHeading(3, `${title} (${list.length})`), mdTable(['rule', 'where', 'finding'], rowsOf(list), title));
  }
  return mdDocument(blocks);
}
