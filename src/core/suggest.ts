/** "Did you mean …?" for names a user typed (workspaces, pools, agents): pure, no I/O. */

/** Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive. */
function editDistance(left: string, right: string): number {
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known name closest to `input`, or undefined when none is close enough to be a plausible typo
 * (at most a third of the longer name's length may differ, and never more than 3 edits).
 * Ties go to the name that sorts first, so the answer does not depend on iteration order.
 */
export function suggest(input: string, known: Iterable<string>): string | undefined {
  let bestName: string | undefined;
  let bestDistance = Infinity;
  for (const name of [...new Set(known)].sort()) {
    if (name === input) continue;
    const distance = editDistance(input, name);
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(input.length, name.length) / 3)));
    if (distance <= allowed && distance < bestDistance) {
      bestName = name;
      bestDistance = distance;
    }
  }
  return bestName;
}

/** ' (did you mean "x"?)' to append to an error message, or '' when nothing is close. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const suggestion = suggest(input, known);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}
