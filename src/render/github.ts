import type { Finding } from '../core/validate/finding.js';

// Control characters other than the line breaks escaped below would reach the log raw (terminal escapes).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const OTHER_CONTROLS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** GitHub's workflow-command escaping of a message: %, CR and LF; other control characters are dropped. */
function escapeData(s: string): string {
  return s.replace(OTHER_CONTROLS, '').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value also escapes the characters that separate properties. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per finding, at its line and column when known. */
export function renderGithubAnnotations(findings: Finding[]): string {
  return findings.map((f) => {
    const props = [
      f.file ? `file=${escapeProperty(f.file)}` : null,
      f.file && f.line !== undefined ? `line=${f.line}` : null,
      f.file && f.column !== undefined ? `col=${f.column}` : null,
      `title=${escapeProperty(`phone-dir ${f.rule}`)}`,
    ].filter(Boolean).join(',');
    return `::${f.severity} ${props}::${escapeData(f.message)}\n`;
  }).join('');
}
