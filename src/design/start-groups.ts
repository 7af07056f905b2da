/**
 * Start groups: individual start periods binned into K nearly equal groups without splitting a period
 * (R1: 9 groups "kept nearly equal so that no group dominates"), or into fixed calendar windows
 * (R2: G1 Mar–May 2018 …). A group's label is its first start period, as staggered DiD reads it.
 */

/**
 * Bin start periods (Infinity: never) into at most k nearly equal groups. A period goes to the group in
 * which its middle person falls, so cut points land where the cumulative count crosses i·n/k.
 * @returns group label per unit (0: never treated)
 */
export function binEqualGroups(start: Float64Array, k: number): Float64Array {
  const finite = [...start].filter(Number.isFinite).sort((a, b) => a - b);
  const n = finite.length;
  const label = new Map<number, number>();
  const binOf = new Map<number, number>();
  let i = 0;
  while (i < n) {
    const p = finite[i];
    let j = i;
    while (j < n && finite[j] === p) j++;
    binOf.set(p, Math.min(k - 1, Math.floor(((i + j) / 2) * (k / n))));
    i = j;
  }
  for (const [p, b] of [...binOf.entries()].sort((a, b) => a[0] - b[0])) if (!label.has(b)) label.set(b, p);
  return Float64Array.from(start, (s) => (Number.isFinite(s) ? label.get(binOf.get(s)!)! : 0));
}

/**
 * Group by fixed windows: a start inside window w gets label w.from; outside every window, NaN
 * (the caller decides: R2 only offers starts inside windows).
 */
export function binWindows(start: Float64Array, windows: readonly { from: number; to: number }[]): Float64Array {
  return Float64Array.from(start, (s) => {
    if (!Number.isFinite(s)) return 0;
    for (const w of windows) if (s >= w.from && s <= w.to) return w.from;
    return NaN;
  });
}
