/**
 * The nearest valid name to a mistyped one, for "did you mean" messages: the candidate with the
 * smallest Levenshtein distance (Levenshtein 1966; insertions, deletions and substitutions cost 1),
 * ties broken by candidate order.
 */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The candidate nearest to `name`, or undefined when there are none. */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bd = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bd) {
      bd = d;
      best = c;
    }
  }
  return best;
}

/** ` (nearest: "x")` or '' — the tail of an error message. */
export function nearestHint(name: string, candidates: Iterable<string>): string {
  const n = nearest(name, candidates);
  return n === undefined ? '' : ` (nearest valid: "${n}")`;
}
