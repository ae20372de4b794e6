import type { FieldChange } from '../../src/core/history.js';

export function generateHistoryRepo(root: string, opts?: { commits?: number; numbers?: number; target?: number }): Promise<{
  phone: string;
  subjects: string[];
  /** Newest first: the commits that change `phone`, with the changes `phone-dir history` must report. */
  expected: { subject: string; changes: FieldChange[] }[];
}>;
