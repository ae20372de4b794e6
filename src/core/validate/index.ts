import type { Finding } from './finding.js';
import type { ValidationInput } from './context.js';
import { checkViewsAgree } from './rules-views.js';
import { checkNumbers, checkCoverage, checkSipConfig, checkBindingCapabilities } from './rules-numbers.js';
import { checkAssignments, checkAgentIds } from './rules-agents.js';
import { checkPools } from './rules-pools.js';

export type { Finding, ValidationInput };

const RULES: ((input: ValidationInput) => Finding[])[] = [checkNumbers, checkViewsAgree, checkAgentIds, checkAssignments, checkSipConfig, checkBindingCapabilities, checkCoverage, checkPools];

export interface ValidationResult { ok: boolean; errors: Finding[]; warnings: Finding[] }

/** Runs every rule and returns every finding; `strict` makes warnings fail too. */
export function validateDirectory(input: ValidationInput, preFindings: Finding[] = [], strict = false): ValidationResult {
  const all = [...preFindings, ...RULES.flatMap((rule) => rule(input))];
  const errors = all.filter((f) => f.severity === 'error');
  const warnings = all.filter((f) => f.severity === 'warning');
  return { ok: errors.length === 0 && (!strict || warnings.length === 0), errors, warnings };
}
