/** How far apart two short strings are, for "did you mean" suggestions. */

/**
 * Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: the optimal
 * string alignment distance, so a transposed pair ("hnagzhou") costs one edit, as people type it.
 */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  // d[i][j]: distance between the first i characters of s and the first j of t.
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The candidate nearest to `input`, when it is near enough to be a slip of the keyboard (at most
 * `maxEdits`) and no other candidate is as near; undefined otherwise, rather than a guess.
 */
export function closest(input: string, candidates: readonly string[], maxEdits: number): string | undefined {
  let best: string | undefined;
  let bestDistance = maxEdits + 1;
  let tie = false;
  for (const c of candidates) {
    const n = editDistance(input, c);
    if (n < bestDistance) [best, bestDistance, tie] = [c, n, false];
    else if (n === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}
