import { REPORT_CSV_COLUMNS, type reportRows } from '../core/report.js';
import { safeData } from './safe-text.js';

/** RFC 4180 with a header row. CSV is data, so line breaks inside fields stay (quoted); terminal escapes do not. */
export async function renderReportCsv(rows: ReturnType<typeof reportRows>): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const safeRows = rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, safeData(value)])));
  // With CRLF records csv-stringify quotes only fields holding the whole CRLF: a lone LF or CR must be quoted too.
  return stringify(safeRows, { header: true, columns: [...REPORT_CSV_COLUMNS], record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
