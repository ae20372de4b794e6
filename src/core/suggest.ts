/** "did you mean …?" for names a user typed (workspaces, pools): the closest known name, if close enough. */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known name closest to `input` (case-insensitive), or null when none is within a third of its length (at least 2 edits). */
export function suggest(input: string, known: Iterable<string>): string | null {
  const wanted = input.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = editDistance(wanted, name.toLowerCase());
    if (distance > limit || (distance === 0 && name === input)) continue;
    if (!best || distance < best.distance || (distance === best.distance && name < best.name)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** `did you mean "x"?`, or '' when nothing known is close. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const match = suggest(input, known);
  return match === null ? '' : `did you mean "${match}"?`;
}
