import type { ChalkInstance } from 'chalk';
import type { WorkspaceDiff, DiffOnly, DiffSide } from '../core/query.js';
import { agentLabel } from './agent-label.js';
import { safeText } from './safe-text.js';
import type { VendorNames } from './vendors.js';

const who = (s: DiffOnly | DiffSide) => agentLabel(s, s.assignment_type, s.agent_path);

/** Only-in-A, only-in-B and assigned-differently sections; two names for one workspace say so in one line. */
export function renderDiff(a: string, b: string, diff: WorkspaceDiff, numbersInA: number, chalk: ChalkInstance, vendors: VendorNames): string {
  const [nameA, nameB] = [safeText(a), safeText(b)];
  const [platformA, platformB] = [vendors.platformLabel(a), vendors.platformLabel(b)];
  if (a === b) return `${nameA} compared with itself: identical (${numbersInA} number${numbersInA === 1 ? '' : 's'}).\n`;
  // Workspaces on two platforms: the comparison is of numbers and agents, whichever platform binds them.
  const lines: string[] = platformA === platformB ? [] : [`${nameA} is on ${safeText(platformA)}, ${nameB} on ${safeText(platformB)}.`, ''];
  const section = (label: string, items: string[]) => {
    lines.push(`${label} (${items.length}):`, ...(items.length ? items.map((i) => `  ${i}`) : [chalk.dim('  (none)')]), '');
  };
  section(`Only in ${nameA}`, diff.only_in_a.map((x) => `${chalk.green('+')} ${safeText(x.phone_number)}  ${who(x)}`));
  section(`Only in ${nameB}`, diff.only_in_b.map((x) => `${chalk.red('-')} ${safeText(x.phone_number)}  ${who(x)}`));
  section('Assigned differently', diff.different.map((x) => `${chalk.yellow('~')} ${safeText(x.phone_number)}  ${nameA}: ${who(x.a)}  ${nameB}: ${who(x.b)}`));
  if (diff.only_in_a.length + diff.only_in_b.length + diff.different.length === 0) lines.push(`${nameA} and ${nameB} are identical.`);
  return `${lines.join('\n').trimEnd()}\n`;
}
