/**
 * A noiseless staggered panel y_it = α_i + λ_t + τ(g_i, t − g_i)·1{t ≥ g_i}: every DiD-type estimator's
 * target is then a closed form in τ and the cohort sizes (the checks of the dcdh and stacked tests).
 */
import { makePanel, type Panel } from '../../../src/panel/panel.js';

export function noiseless(groups: number[], T: number, tau: (g: number, e: number) => number): Panel {
  const n = groups.length;
  const y = new Float64Array(n * T);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const g = groups[i],
        p = t + 1;
      // α_i and λ_t irregular on purpose, so nothing cancels by accident.
      y[t * n + i] = Math.sin(3 * i + 1) * 5 + Math.cos(1.7 * t) * 3 + 0.2 * t * t + (g > 0 && p >= g ? tau(g, p - g) : 0);
    }
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group: groups, y });
}

/** `counts` units in each start group (0 = never treated). */
export function cohorts(counts: Record<number, number>): number[] {
  return Object.entries(counts).flatMap(([g, k]) => Array<number>(k).fill(Number(g)));
}
