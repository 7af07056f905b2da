/**
 * The stacked data set of Cengiz, Dube, Lindner & Zipperer (2019) as Wing, Freedman & Hollingsworth
 * (2024, NBER WP 32054) define it: one sub-experiment per adoption cohort a, holding the units that
 * adopt at a and the "clean controls" (never treated, or adopting after a + κ_post) over the event
 * window a − κ_pre … a + κ_post. Only cohorts whose whole window lies inside the panel enter (the
 * "trimmed" set Ω_κ of Wing et al., Section 3.2), and only those with at least one clean control.
 *
 * Weights (Wing et al. eq. 6): a treated unit weighs 1, a control of sub-experiment a weighs
 *   Q_a = (N^D_a / N^D) / (N^C_a / N^C),
 * N^D_a, N^C_a its treated and control units, N^D = Σ_a N^D_a, N^C = Σ_a N^C_a; with them the stacked
 * regression estimates the trimmed aggregate ATT, the average of the sub-experiment ATTs weighted by
 * their treated shares N^D_a / N^D. `cengiz` leaves every row at weight 1 (the original, whose
 * implicit weights also depend on the control group sizes).
 */
import type { Panel } from '../../panel/panel.js';

export type StackWeights = 'wing' | 'cengiz';

export interface SubExperiment {
  /** Adoption period label a and its 0-based index. */
  cohort: number;
  index: number;
  treated: number[];
  controls: number[];
  /** Weight of a control row (1 for `cengiz`). */
  controlWeight: number;
}

export interface Stack {
  subs: SubExperiment[];
  kappaPre: number;
  kappaPost: number;
  /** Cohorts left out, with why. */
  dropped: string[];
}

/** First treated period index per unit; T = never treated (or after the panel), 0 = from the start. */
export function firstIndex(panel: Panel): Int32Array {
  const T = panel.nPeriods;
  return Int32Array.from(panel.group, (g) => {
    if (g === 0 || g > panel.periods[T - 1]) return T;
    let t = 0;
    while (t < T && panel.periods[t] < g) t++;
    return t;
  });
}

export function buildStack(panel: Panel, kappaPre: number, kappaPost: number, weights: StackWeights): Stack {
  const T = panel.nPeriods;
  const F = firstIndex(panel);
  const cohorts = [...new Set(F)].filter((f) => f > 0 && f < T).sort((a, b) => a - b);
  const subs: SubExperiment[] = [];
  const dropped: string[] = [];
  for (const a of cohorts) {
    const label = panel.periods[a];
    if (a - kappaPre < 0 || a + kappaPost > T - 1) {
      dropped.push(`cohort ${label}: its event window ${-kappaPre}…${kappaPost} does not fit in the panel`);
      continue;
    }
    const treated: number[] = [];
    const controls: number[] = [];
    for (let i = 0; i < panel.nUnits; i++) {
      if (F[i] === a) treated.push(i);
      else if (F[i] > a + kappaPost) controls.push(i);
    }
    if (controls.length === 0) {
      dropped.push(`cohort ${label}: no clean control (untreated through ${panel.periods[a + kappaPost]})`);
      continue;
    }
    subs.push({ cohort: label, index: a, treated, controls, controlWeight: 1 });
  }
  if (weights === 'wing') {
    const ND = subs.reduce((s, x) => s + x.treated.length, 0);
    const NC = subs.reduce((s, x) => s + x.controls.length, 0);
    for (const s of subs) s.controlWeight = s.treated.length / ND / (s.controls.length / NC);
  }
  return { subs, kappaPre, kappaPost, dropped };
}
