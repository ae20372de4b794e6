import type { ChalkInstance } from 'chalk';
import type { DirectoryGitStatus } from '../store/git-status.js';
import type { InFlight, LastSync } from '../core/status.js';

export interface StatusReport {
  directory: DirectoryGitStatus & { root: string };
  last_sync: LastSync | null;
  store: { kind: string; shared: boolean; location: string } & InFlight;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function remoteLine(d: StatusReport['directory'], chalk: ChalkInstance): string {
  const where = d.branch ? `branch ${d.branch}${d.upstream ? ` → ${d.upstream}` : ''}` : 'detached HEAD';
  const seen = d.upstream ? (d.fetched ? ' (just fetched)' : ' (as of the last fetch; --fetch to look now)') : '';
  switch (d.state) {
    case 'not-a-repository': return chalk.yellow('not in a Git repository: no history, no review, no remote');
    case 'no-commits': return chalk.yellow('a Git repository without a commit yet');
    case 'no-upstream': return `${where}: ${chalk.yellow('no upstream branch')} (git push -u origin ${d.branch ?? 'HEAD'} shares it)`;
    case 'up-to-date': return `${where}: ${chalk.green('up to date')}${seen}`;
    case 'ahead': return `${where}: ${chalk.yellow(`${plural(d.ahead, 'commit')} ahead`)} (not pushed)${seen}`;
    case 'behind': return `${where}: ${chalk.yellow(`${plural(d.behind, 'commit')} behind`)} (git pull)${seen}`;
    case 'diverged': return `${where}: ${chalk.red(`diverged: ${d.ahead} ahead, ${d.behind} behind`)} (git pull --rebase, then push)${seen}`;
  }
}

export function statusText(r: StatusReport, chalk: ChalkInstance): string {
  const lines: string[] = [];
  lines.push(`Directory   ${remoteLine(r.directory, chalk)}`);
  if (r.directory.uncommitted.length) {
    const shown = r.directory.uncommitted.slice(0, 5).join(', ');
    lines.push(`            ${chalk.yellow(`${plural(r.directory.uncommitted.length, 'file')} not committed`)}: ${shown}${r.directory.uncommitted.length > 5 ? ', …' : ''}`);
  }
  const s = r.last_sync;
  if (!s) lines.push(`Last sync   ${chalk.yellow('never on this machine')} (phone-dir sync --all)`);
  else {
    const how = `${s.type}, ${s.status === 'success' ? chalk.green(s.status) : chalk.red(s.status)}${s.changes !== null ? `, ${plural(s.changes, 'change')}` : ''}${s.workspaces ? ` (${s.workspaces.join(', ')})` : ''}`;
    lines.push(`Last sync   ${s.time}  ${how}${s.error ? `: ${s.error}` : ''}`);
    if (r.directory.commits_since !== null) lines.push(`            since then: ${plural(r.directory.commits_since, 'commit')} touched the directory${r.directory.uncommitted.length ? `, ${plural(r.directory.uncommitted.length, 'file')} changed and not committed` : ''}`);
  }
  const st = r.store;
  const counts = [
    plural(st.reservations, 'reservation') + (st.stale_reservations ? ` (${st.stale_reservations} stale)` : ''),
    plural(st.purchases, 'purchase') + (st.stale_purchases ? ` (${st.stale_purchases} stale)` : ''),
    plural(st.leases, 'lease') + (st.expired_leases ? ` (${st.expired_leases} expired: pool release --expired)` : ''),
  ];
  lines.push(`Pool store  ${st.kind}${st.shared ? ' (shared)' : ''}, ${st.location}: ${counts.join(', ')}`);
  for (const op of st.operations) lines.push(`            ${op.phone_number}  ${op.operation}  ${op.workspace}  by ${op.by} since ${op.since}${op.stale ? chalk.yellow('  stale: the next pool command settles it') : ''}`);
  return `${lines.join('\n')}\n`;
}
