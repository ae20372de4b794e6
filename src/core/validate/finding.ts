export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  phone_number?: string;
  workspace?: string;
  file?: string;
}

export function error(rule: string, message: string, extra: Omit<Finding, 'rule' | 'severity' | 'message'> = {}): Finding {
  return { rule, severity: 'error', message, ...extra };
}

export function warning(rule: string, message: string, extra: Omit<Finding, 'rule' | 'severity' | 'message'> = {}): Finding {
  return { rule, severity: 'warning', message, ...extra };
}
