export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  phone_number?: string;
  workspace?: string;
  file?: string;
  /** 1-based position in `file`, when the problem is at one place of its text. */
  line?: number;
  column?: number;
}

export function error(rule: string, message: string, extra: Omit<Finding, 'rule' | 'severity' | 'message'> = {}): Finding {
  return { rule, severity: 'error', message, ...extra };
}

export function warning(rule: string, message: string, extra: Omit<Finding, 'rule' | 'severity' | 'message'> = {}): Finding {
  return { rule, severity: 'warning', message, ...extra };
}
