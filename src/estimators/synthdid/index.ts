/**
 * Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021, AER;
 * R package synthdid), written from the paper and the package's conventions:
 *
 * Block (one adoption date): unit weights ω̂ (eq. (2.2)) and time weights λ̂ (eq. (2.3)) solve the
 * regularised problems of weights.ts with the package's ζ: ζ_ω = (N_tr·T_post)^{1/4}·σ̂, ζ_λ = 10⁻⁶·σ̂,
 * σ̂ = the SD of the control units' first differences in the pre-periods (synthdid's noise.level);
 * τ̂ = (Ȳ_tr,post − Σ_t λ̂_t Ȳ_tr,t) − Σ_i ω̂_i (Ȳ_i,post − Σ_t λ̂_t Y_it) (eq. (2.4), Algorithm 1).
 *
 * Staggered adoption: cohort by cohort (the paper's Appendix / Clarke, Pailañir, Athey & Imbens 2023's
 * Stata sdid): each cohort against the never-treated units over all periods (its pre-periods t < g),
 * then τ̂ = Σ_g τ̂_g·N_g T_g^post / Σ_g N_g T_g^post. Not-yet-treated units are not used as controls.
 * The dynamic rows average the cohorts' effect curves (synthdid_effect_curve) at each event time e ≥ 0,
 * weighted by cohort size.
 *
 * SEs: placebo (Algorithm 4): B times, give N_tr randomly chosen never-treated units the treated units'
 * adoption dates (one cohort: N_tr of them; staggered: the cohorts' sizes, disjoint), re-solve the
 * weights with the original ζ and re-estimate on the never-treated units alone;
 * SE = √((B−1)/B)·sd. Needs more never-treated than treated units. Or the fixed-weights jackknife
 * (Algorithm 3): leave each unit out, ω renormalised, λ kept; SE = √((n−1)/n · Σ(τ̂₍ᵢ₎ − τ̄)²).
 *
 * Solver: 'exact' (default) solves the problems to optimality (KKT), an order of magnitude faster
 * than 'frank-wolfe', which reproduces synthdid's path (Frank–Wolfe from uniform, 100 steps, sparsify,
 * ≤ 10,000 more, min.decrease = 10⁻⁵·σ̂) and stops near, not at, the optimum as the package does.
 */
import { definedOnly } from '../defined.js';
import type { Panel } from '../../panel/panel.js';
import type { Rng } from '../../random/stream.js';
import type { AggregateEstimate, DetailEstimate, Estimate, Estimator } from '../types.js';
import { startGroupsOf } from '../twfe/start-groups.js';
import { exactSimplexQp, synthdidWeights, weightProblem } from './weights.js';

export interface SynthdidOptions {
  /** Event times reported in aggregates.dynamic (e ≥ 0 only: SDID's effect curve). */
  minE: number;
  maxE: number;
  solver: 'frank-wolfe' | 'exact';
  /** SE: placebo (Algorithm 4; default), jackknife (Algorithm 3, fixed weights) or none. */
  se: 'placebo' | 'jackknife' | 'none';
  /** Placebo replications B (synthdid's default 200). */
  replications: number;
}

/** One cohort's block: rows = control units then treated units, T0 pre-periods. */
export interface Block {
  Y: Float64Array;
  N0: number;
  N1: number;
  T: number;
  T0: number;
}

export interface BlockFit {
  tau: number;
  omega: Float64Array;
  lambda: Float64Array;
  /** τ at each post period (synthdid_effect_curve), length T − T0. */
  curve: Float64Array;
  zetaOmega: number;
  zetaLambda: number;
  noise: number;
}

/** synthdid's noise.level: the SD (n − 1) of the controls' pre-period first differences. */
export function noiseLevel(b: Block): number | null {
  const d: number[] = [];
  for (let i = 0; i < b.N0; i++) for (let t = 1; t < b.T0; t++) d.push(b.Y[i * b.T + t] - b.Y[i * b.T + t - 1]);
  if (d.length < 2) return null;
  const mean = d.reduce((a, v) => a + v, 0) / d.length;
  return Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (d.length - 1));
}

/** τ̂ and the effect curve for given weights (eq. (2.4)). */
export function tauOf(b: Block, omega: ArrayLike<number>, lambda: ArrayLike<number>): { tau: number; curve: Float64Array } {
  const { Y, N0, N1, T, T0 } = b;
  const T1 = T - T0;
  // row contrast: −ω on controls, 1/N1 on treated
  const rowC = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let v = 0;
    for (let i = 0; i < N0; i++) v -= omega[i] * Y[i * T + t];
    for (let i = N0; i < N0 + N1; i++) v += Y[i * T + t] / N1;
    rowC[t] = v;
  }
  let pre = 0;
  for (let t = 0; t < T0; t++) pre += lambda[t] * rowC[t];
  const curve = Float64Array.from({ length: T1 }, (_, s) => rowC[T0 + s] - pre);
  return { tau: curve.reduce((a, v) => a + v, 0) / T1, curve };
}

/** Solve ω and λ for a block (ζ given, or synthdid's from the block). */
export function fitBlock(
  b: Block,
  solver: SynthdidOptions['solver'],
  zeta?: { omega: number; lambda: number; noise: number },
): BlockFit | null {
  const { Y, N0, N1, T, T0 } = b;
  const T1 = T - T0;
  const noise = zeta?.noise ?? noiseLevel(b);
  // σ̂ = 0 (the controls' pre-period outcomes move in lockstep) leaves ζ = 0 and the weights unidentified.
  if (noise === null || !(noise > 0)) return null;
  const zetaOmega = zeta?.omega ?? (N1 * T1) ** 0.25 * noise;
  const zetaLambda = zeta?.lambda ?? 1e-6 * noise;
  const minDecrease = 1e-5 * noise;
  // λ: rows = controls, columns = pre-periods, b = each control's post mean.
  const Al = new Float64Array(N0 * T0),
    bl = new Float64Array(N0);
  for (let i = 0; i < N0; i++) {
    for (let t = 0; t < T0; t++) Al[i * T0 + t] = Y[i * T + t];
    let s = 0;
    for (let t = T0; t < T; t++) s += Y[i * T + t];
    bl[i] = s / T1;
  }
  // ω: rows = pre-periods, columns = controls, b = the treated mean.
  const Ao = new Float64Array(T0 * N0),
    bo = new Float64Array(T0);
  for (let t = 0; t < T0; t++) {
    for (let i = 0; i < N0; i++) Ao[t * N0 + i] = Y[i * T + t];
    let s = 0;
    for (let i = N0; i < N0 + N1; i++) s += Y[i * T + t];
    bo[t] = s / N1;
  }
  const pl = weightProblem(Al, bl, N0, T0, zetaLambda),
    po = weightProblem(Ao, bo, T0, N0, zetaOmega);
  const solve = (p: typeof pl) => (solver === 'exact' ? exactSimplexQp(p) : synthdidWeights(p, minDecrease));
  let lambda: Float64Array, omega: Float64Array;
  try {
    lambda = solve(pl);
    omega = solve(po);
  } catch {
    return null; // a degenerate problem (the active-set KKT system is singular)
  }
  const { tau, curve } = tauOf(b, omega, lambda);
  return { tau, omega, lambda, curve, zetaOmega, zetaLambda, noise };
}

/** Block of units `controls` then `treated` (unit indices), all periods, T0 pre-periods. */
function blockOf(panel: Panel, controls: number[], treated: number[], T0: number): Block {
  const n = panel.nUnits,
    T = panel.nPeriods;
  const rows = [...controls, ...treated];
  const Y = new Float64Array(rows.length * T);
  rows.forEach((i, r) => {
    for (let t = 0; t < T; t++) Y[r * T + t] = panel.y[t * n + i];
  });
  return { Y, N0: controls.length, N1: treated.length, T, T0 };
}

interface Combined {
  tau: number;
  /** event time → curve value */
  curve: Map<number, number>;
}

export function estimateSynthdid(panel: Panel, options: Partial<SynthdidOptions> = {}, rng?: Rng): Estimate {
  const o: SynthdidOptions = {
    minE: -Infinity,
    maxE: Infinity,
    solver: 'exact',
    se: 'placebo',
    replications: 200,
    ...definedOnly(options),
  };
  const co = startGroupsOf(panel);
  const T = panel.nPeriods;
  const messages: string[] = [];
  const fail = (reason: string): Estimate => ({
    estimator: 'synthdid',
    att_gt: [],
    wald_pretest: null,
    aggregates: { simple: { att: null, se: null, reason }, dynamic: { att: null, se: null, reason } },
    messages: [...messages, reason],
  });
  const never: number[] = [];
  const members = co.start.map(() => [] as number[]);
  for (let i = 0; i < panel.nUnits; i++) (Number.isFinite(co.start[co.of[i]]) ? members[co.of[i]] : never).push(i);
  if (never.length === 0) return fail('synthdid needs never-treated units as controls (none in the panel)');
  const cohorts = co.start.map((_, c) => c).filter((c) => Number.isFinite(co.start[c]) && co.firstIndex[c] < T && members[c].length > 0);
  const early = cohorts.filter((c) => co.firstIndex[c] < 2);
  if (early.length > 0)
    messages.push(
      `Cohort(s) g=${early.map((c) => co.start[c]).join(', ')} have fewer than two pre-periods (synthdid's noise level needs them) and are left out.`,
    );
  const use = cohorts.filter((c) => co.firstIndex[c] >= 2);
  if (use.length === 0) return fail('no treated cohort with two or more pre-periods');
  if (use.length > 1)
    messages.push(
      `Staggered adoption: SDID cohort by cohort (${use.length} cohorts) against the never-treated units, averaged by treated unit-periods.`,
    );
  const fits = use.map((c) => fitBlock(blockOf(panel, never, members[c], co.firstIndex[c]), o.solver));
  if (fits.some((f) => f === null))
    return fail(
      'the weights are not identified: the never-treated units have no variation in their pre-period changes (synthdid noise level 0) or the weight problem is degenerate',
    );
  const ok = fits as BlockFit[];
  const wOf = (sizes: number[]) => {
    const w = use.map((c, j) => sizes[j] * (T - co.firstIndex[c]));
    const s = w.reduce((a, v) => a + v, 0);
    return w.map((v) => v / s);
  };
  const sizes = use.map((c) => members[c].length);
  const combine = (taus: number[], curves: Float64Array[], sz: number[]): Combined => {
    const w = wOf(sz);
    const tau = taus.reduce((a, v, j) => a + w[j] * v, 0);
    const curve = new Map<number, number>(),
      mass = new Map<number, number>();
    use.forEach((c, j) => {
      curves[j].forEach((v, s) => {
        const e = panel.periods[co.firstIndex[c] + s] - co.start[c];
        curve.set(e, (curve.get(e) ?? 0) + sz[j] * v);
        mass.set(e, (mass.get(e) ?? 0) + sz[j]);
      });
    });
    for (const [e, v] of curve) curve.set(e, v / mass.get(e)!);
    return { tau, curve };
  };
  const point = combine(
    ok.map((f) => f.tau),
    ok.map((f) => f.curve),
    sizes,
  );
  const keys = [...point.curve.keys()].filter((e) => e >= o.minE && e <= o.maxE).sort((a, b) => a - b);

  // Replications for the SE.
  let reps: Combined[] = [];
  let seReason: string | undefined;
  let scale = 0;
  const nTr = sizes.reduce((a, v) => a + v, 0);
  if (o.se === 'placebo') {
    if (never.length <= nTr) seReason = `the placebo SE needs more never-treated units (${never.length}) than treated units (${nTr})`;
    else if (o.replications < 2) seReason = 'the placebo SE needs at least 2 replications';
    else if (!rng) seReason = 'the placebo SE needs a random stream';
    else {
      for (let r = 0; r < o.replications; r++) {
        // Fisher–Yates on the never-treated: the first N_tr become pseudo-treated, cohort by cohort.
        const perm = never.slice();
        for (let i = perm.length - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const controls = perm.slice(nTr);
        let at = 0;
        const taus: number[] = [],
          curves: Float64Array[] = [];
        let bad = false;
        use.forEach((c, j) => {
          const tr = perm.slice(at, at + sizes[j]);
          at += sizes[j];
          const f = fitBlock(blockOf(panel, controls, tr, co.firstIndex[c]), o.solver, {
            omega: ok[j].zetaOmega,
            lambda: ok[j].zetaLambda,
            noise: ok[j].noise,
          });
          if (!f) bad = true;
          else {
            taus.push(f.tau);
            curves.push(f.curve);
          }
        });
        if (!bad) reps.push(combine(taus, curves, sizes));
      }
      scale = (reps.length - 1) / reps.length;
    }
  } else if (o.se === 'jackknife') {
    if (sizes.some((s) => s < 2)) seReason = 'the jackknife SE needs two or more treated units in every cohort';
    else if (ok.some((f) => f.omega.filter((v) => v !== 0).length < 2))
      seReason = 'the fixed-weights jackknife needs two or more controls with weight';
    else {
      const all = [...never, ...use.flatMap((c) => members[c])];
      for (const drop of all) {
        const taus: number[] = [],
          curves: Float64Array[] = [],
          sz: number[] = [];
        const ctrlIdx = never.map((i, k) => (i === drop ? -1 : k)).filter((k) => k >= 0);
        use.forEach((c, j) => {
          const tr = members[c].filter((i) => i !== drop);
          const b = blockOf(
            panel,
            ctrlIdx.map((k) => never[k]),
            tr,
            co.firstIndex[c],
          );
          let om = Float64Array.from(ctrlIdx, (k) => ok[j].omega[k]);
          const s = om.reduce((a, v) => a + v, 0);
          om = s > 0 ? om.map((v) => v / s) : om.fill(1 / om.length);
          const r = tauOf(b, om, ok[j].lambda);
          taus.push(r.tau);
          curves.push(r.curve);
          sz.push(tr.length);
        });
        reps.push(combine(taus, curves, sz));
      }
      const n = reps.length;
      scale = (n - 1) ** 2 / n; // ((n−1)/n)·(n−1)·var, var with n − 1
    }
  } else seReason = 'no SE asked for (se: none)';
  if (reps.length < 2 && !seReason) seReason = 'too few replications for an SE';
  const seOf = (get: (c: Combined) => number | undefined): number | null => {
    if (seReason) return null;
    const v = reps.map(get).filter((x): x is number => x !== undefined);
    if (v.length < 2) return null;
    const m = v.reduce((a, x) => a + x, 0) / v.length;
    const variance = v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1);
    return Math.sqrt(scale * variance);
  };
  if (o.se !== 'placebo') reps = reps.slice();
  const simpleSe = seOf((c) => c.tau);
  const simple: AggregateEstimate = { att: point.tau, se: simpleSe };
  if (simpleSe === null) simple.reason = seReason ?? 'no standard error (zero variance)';
  const detail: DetailEstimate[] = keys.map((key) => {
    const se = seOf((c) => c.curve.get(key));
    return se === null
      ? { key, att: point.curve.get(key)!, se, reason: seReason ?? 'no standard error' }
      : { key, att: point.curve.get(key)!, se };
  });
  const mean = (c: Combined) => keys.reduce((a, e) => a + (c.curve.get(e) ?? 0), 0) / keys.length;
  const dynamic: AggregateEstimate =
    keys.length === 0
      ? { att: null, se: null, reason: 'no post-treatment event time in the window', detail }
      : { att: mean(point), se: seOf(mean), detail };
  if (dynamic.att !== null && dynamic.se === null) dynamic.reason = seReason ?? 'no standard error';
  const group: AggregateEstimate = {
    att: null,
    se: null,
    reason: 'synthdid reports the cohorts’ estimates without an overall by cohort',
    detail: use.map((c, j) => ({ key: co.start[c], att: ok[j].tau, se: null, reason: 'no per-cohort SE' })),
  };
  return { estimator: 'synthdid', att_gt: [], wald_pretest: null, aggregates: { simple, dynamic, group }, messages };
}

export function synthdidEstimator(options: Partial<SynthdidOptions> & { name?: string } = {}): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'synthdid', estimate: (panel: Panel, rng: Rng) => estimateSynthdid(panel, opts, rng) };
}
