import type { ChalkInstance } from 'chalk';
import type { ValidationResult } from '../core/validate/index.js';
import type { Finding } from '../core/validate/finding.js';
import { safeText } from './safe-text.js';

const LABELS: Record<string, [string, string]> = {
  schema: ['file schema problem', 'file schema problems'],
  e164: ['invalid phone number', 'invalid phone numbers'],
  'carrier-sid': ['invalid carrier SID', 'invalid carrier SIDs'],
  'unsupported-binding': ['binding the platform cannot hold', 'bindings the platform cannot hold'],
  'pool-carrier': ['pool carrier problem', 'pool carrier problems'],
  duplicate: ['duplicate number', 'duplicate numbers'],
  'views-disagree': ['disagreement between views', 'disagreements between views'],
  'orphaned-assignment': ['orphaned assignment', 'orphaned assignments'],
  'unknown-agent-id': ['unknown agent id', 'unknown agent ids'],
  'agent-id-mismatch': ['agent id that does not match its agent path', 'agent ids that do not match their agent paths'],
  'assignment-type': ['assignment type that disagrees with its agent ids', 'assignment types that disagree with their agent ids'],
  'missing-termination-uri': ['assigned number without a SIP termination URI', 'assigned numbers without a SIP termination URI'],
  'not-imported': ['carrier number imported in no workspace', 'carrier numbers imported in no workspace'],
  'missing-in-workspace': ['number missing in a workspace', 'numbers missing in a workspace'],
  'pool-conflict': ['number held in two pools', 'numbers held in two pools'],
  'unknown-pool': ['number in an undefined pool', 'numbers in undefined pools'],
  'pool-workspace': ['pool number outside its workspace', 'pool numbers outside their workspace'],
  'hold-expired': ['hold past its release time', 'holds past their release time'],
  'pool-below-minimum': ['pool below its minimum', 'pools below their minimum'],
  'agent-file': ['unreadable agent file', 'unreadable agent files'],
  'duplicate-key': ['key repeated in a file', 'keys repeated in a file'],
  'duplicate-agent-id': ['agent id shared by several agent folders', 'agent ids shared by several agent folders'],
  config: ['workspaces.json problem', 'workspaces.json problems'],
};

const PASSED: [string, string][] = [
  ['carrier-sid', 'All numbers have valid carrier SIDs'],
  ['e164', 'All numbers are valid E.164'],
  ['duplicate', 'No duplicate numbers'],
  ['views-disagree', 'directory.json, numbers.json and assignments.json agree'],
  ['orphaned-assignment', 'All assigned numbers reference existing agents'],
  ['unknown-agent-id', 'All agent ids match an agents/*/<workspace>.json'],
  ['assignment-type', 'All assignment types match their agent ids'],
  ['missing-termination-uri', 'All assigned SIP numbers have a termination URI'],
  ['unsupported-binding', 'Every binding is one its platform can hold'],
];

function group(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.rule, [...(groups.get(f.rule) ?? []), f]);
  return groups;
}

function plural(count: number, rule: string): string {
  const [one, many] = LABELS[rule] ?? [rule, rule];
  return `${count} ${count === 1 ? one : many}`;
}

export function renderValidateText(result: ValidationResult, chalk: ChalkInstance): string {
  const lines = ['Validating phone number directory...', ''];
  const rules = new Set([...result.errors, ...result.warnings].map((f) => f.rule));
  for (const [rule, text] of PASSED) {
    // Files that could not be read were not checked: do not claim that they agree.
    if (rule === 'views-disagree' && rules.has('schema')) continue;
    if (rule === 'unknown-agent-id' && rules.has('agent-file')) continue;
    if (!rules.has(rule)) lines.push(`${chalk.green('✓')} ${text}`);
  }
  for (const [mark, findings] of [[chalk.yellow('⚠'), result.warnings], [chalk.red('✗'), result.errors]] as const) {
    for (const [rule, list] of group(findings)) {
      lines.push(`${mark} ${plural(list.length, rule)} found`);
      for (const f of list.slice(0, 50)) lines.push(`  - ${safeText(f.message)}`);
      if (list.length > 50) lines.push(`  … and ${list.length - 50} more (use --json for all)`);
      lines.push('');
    }
  }
  if (lines[lines.length - 1] !== '') lines.push('');
  lines.push(`Errors: ${result.errors.length}`, `Warnings: ${result.warnings.length}`);
  return `${lines.join('\n')}\n`;
}

export function findingJson(f: Finding): Omit<Finding, 'severity'> {
  const { severity: _severity, ...rest } = f;
  return rest;
}
