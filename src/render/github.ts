import type { Finding } from '../core/validate/finding.js';

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per finding. */
export function renderGithubAnnotations(findings: Finding[]): string {
  return findings.map((f) => {
    const props = [f.file ? `file=${escapeProperty(f.file)}` : null, `title=${escapeProperty(`phone-dir ${f.rule}`)}`].filter(Boolean).join(',');
    return `::${f.severity} ${props}::${escapeData(f.message)}\n`;
  }).join('');
}
