/**
 * Outcomes of the people inside clusters (design.type: clusters): the contract between the cluster
 * design (design/clusters.ts) and the cluster world. The design decides which clusters there are,
 * when each starts and how many people each measures per period; this module draws the people's
 * potential outcomes and returns them as cluster × period cells, which is the panel every estimator
 * sees (units = clusters).
 *
 * THE MODEL (t = 0, 1, … the period index, j the cluster, i a person measured in cell (j, t)):
 *
 * Continuous (sd is the TOTAL sd):
 *   Y_ijt(0) = mean + Σ_k β_k (x_jk − E x_k) + (slope + Σ_k b_k x_jk)·t + C_jt + E_ijt,
 *   Var C_jt = icc·sd²,  Var E_ijt = (1 − icc)·sd²,  so Var Y = sd² and corr(Y_ijt, Y_i'jt) = icc;
 *   x_j the cluster covariates, β = outcome.covariate_effects and b = outcome.trend.by, all on the
 *   outcome's own scale (in a clusters design; elsewhere they are latent-sd units).
 * Cluster-period effects C_jt = √(icc)·sd·A_jt, A_j a cluster's unit-variance series with
 *   corr(A_js, A_jt) = cac for s ≠ t (block exchangeable, Girling & Hemming 2016, Stat Med 35:2149;
 *     A_jt = √cac·a_j + √(1 − cac)·b_jt; cac = 1 is Hussey & Hughes' 2007 exchangeable model), or
 *   corr(A_js, A_jt) = decay^|s−t| (Kasza et al. 2019, Stat Methods Med Res 28:703, discrete-time
 *     decay: A_jt = decay·A_j,t−1 + √(1 − decay²)·b_jt, stationary from t = 0).
 * People: E_ijt = √(1 − icc)·sd·ε_ijt, ε standard normal.
 *   cross_section: new people every period, ε iid.
 *   cohort: the same people followed; ε_ijt = √w·u_i + √(1 − w)·e_it, u_i the person's stable part,
 *     e_it = ρ e_i,t−1 + √(1 − ρ²)·z_it stationary AR(1), w = unit_sd²/(unit_sd² + noise_sd²) (the
 *     outcome's unit_sd, noise_sd, rho keys split the individual variance), so a person's
 *     corr(ε_is, ε_it) = w + (1 − w)ρ^|s−t|. Churn: each period after the first, each person is
 *     replaced with probability `churn` by a newcomer with a fresh u, e (and effect multiplier), so a
 *     slot keeps its person over k periods with probability (1 − churn)^k.
 *
 * Binary (p the marginal probability; icc on the outcome's own scale):
 *   Y_ijt(0) = 1{Z_ijt < c_jt},  Z_ijt = √r_jt·A_jt + √(1 − r_jt)·ε_ijt (standard normal),
 *   c_jt = Φ⁻¹(π_jt),  π_jt = p + Σ_k β_k (x_jk − E x_k) + (slope + Σ_k b_k x_jk)·t on the probability
 *   scale (an error when π_jt leaves (0, 1)), so P(Y = 1) = π_jt in every cell, and r_jt solves
 *   (Φ₂(c, c; r) − π²)/(π(1 − π)) = icc (world/cluster-icc.ts), so corr(Y_ijt, Y_i'jt) = icc exactly
 *   in every cell. The correlation model applies to the latent cluster part A: two people of one
 *   cluster in periods s ≠ t have P(Y = 1, Y' = 1) = Φ₂(c_s, c_t; √(r_s r_t)·ρ_st), ρ_st = cac or
 *   decay^|s−t|; on the outcome scale the between-period covariance is therefore
 *   Φ₂(c_s, c_t; √(r_s r_t)ρ_st) − π_s π_t, which for small icc is close to (slightly below) ρ_st times
 *   the within-period one. ε as for the continuous type (cohort: a person's latent persists).
 *
 * Effects (world/effects.ts; on the outcome's own scale): at event time e = period − start_j,
 *   τ_ijt = size·shape(e)·m_j·q_i + additive(e),
 *   shape the onset/ramp/duration/decay profile, additive the anticipation and announcement parts,
 *   m_j = by_group(rank_j)·(1 + Σ by_covariate·(x_j − E x))·(1 + effect.unit_sd·z_j) the cluster's
 *   multiplier (heterogeneity ACROSS CLUSTERS: without by_group and by_covariate the plateau effects
 *   have variance (size·unit_sd)²), and
 *   q_i = 1 + effect.person_sd·z_i the person's (mean 1). Continuous: Y(1) = Y(0) + τ. Binary: the
 *   same latent Z against a moved threshold, Y_ijt(1) = 1{Z_ijt < Φ⁻¹(π_jt + τ_ijt)}, so
 *   P(Y(1) = 1) = π + τ (the marginal probability moves by the effect; clipped at 0 and 1) and people
 *   move only in the effect's direction (Y(1) ≥ Y(0) for τ > 0). Clusters that never start (start =
 *   Infinity) have Y(1) = Y(0); the observed Y is Y(1) (Y(0) before start but for anticipation).
 *
 * Streams (common random numbers): cluster-level draws from rngs.cluster in cluster order (the
 * effect multipliers m_j from its first sub-stream, the series A_j from its second: per cluster one
 * normal a_j then T normals b_jt, whatever the correlation model); people of cluster j from sub-streams
 * 2j (ε, churn) and 2j + 1 (person multipliers, drawn only with person_sd > 0) of UnitStreams seeded in
 * cluster order from rngs.people. Adding clusters leaves the first clusters' outcomes unchanged.
 * A cross-section binary cell without person multipliers is drawn as its exact counts of ones
 * (binomial given the cluster part, binaryCounts) from sub-stream 2j: the same distribution as n
 * people, at the cost of O(n·p) uniforms.
 */
import { standardNormal, unitNormal } from '../random/normal.js';
import { randomBinomial } from '../random/binomial.js';
import { normalCdf, normalCdfFast, normalQuantile } from '../random/phi.js';
import { UnitStreams, type Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { latentCorrelationCached } from './cluster-icc.js';
import { covariateMoments } from './covariates.js';
import { effectAdditive, effectShape, unitMultipliers } from './effects.js';

/** What the cluster design hands the world. */
export interface ClusterFrame {
  /** Number of clusters in the panel (the Panel's units), G. */
  G: number;
  /** Each cluster's own start period (Infinity: never starts). */
  start: Float64Array;
  /** Start-group rank per cluster (0 = earliest wave, −1 = never), for effect.by_group. */
  rank: Int32Array;
  /** People measured per cluster and period (≥ 1), G values. */
  size: Int32Array;
  /** Cluster-level covariates (population.covariates drawn once per cluster), G values each. */
  covariates: Record<string, Float64Array>;
  /** The same people followed (cohort) or new people each period (cross_section). */
  sampling: 'cohort' | 'cross_section';
  /** cohort: share of a cluster's people replaced by newcomers each period (0: nobody leaves). */
  churn: number;
}

/** Cluster × period cells, each periods × G row-major like Panel.y (y[t * G + j]). */
export interface ClusterOutcomes {
  /** Cell means of Y(0), Y(1) and the observed Y over the people measured in the cell. */
  y0: Float64Array;
  y1: Float64Array;
  y: Float64Array;
  /** People measured in the cell. */
  cellSize: Float64Array;
  /** Within-cell sum of squared deviations of the observed Y from the cell mean (individual-level models). */
  cellSS: Float64Array;
}

export interface ClusterStreams {
  /** Cluster-level draws (cluster and cluster-period random effects, effect heterogeneity). */
  cluster: Rng;
  /** People: per-cluster sub-streams seeded in cluster order from it (common random numbers as G grows). */
  people: Rng;
}

type ClusterOutcome = Extract<ResolvedScenario['outcome'], { type: 'continuous' | 'binary' }>;

/** The outcome of a clusters design, checked: continuous or binary with an icc, one correlation model. */
function clusterOutcome(s: ResolvedScenario): ClusterOutcome & { icc: number } {
  const o = s.outcome;
  if (o.type !== 'continuous' && o.type !== 'binary')
    throw new Error(`clusterOutcomes: outcome.type: expected continuous or binary in a clusters design, found ${o.type}`);
  if (o.icc === undefined)
    throw new Error(
      'clusterOutcomes: outcome.icc: expected the intra-cluster correlation in [0, 1) (a clusters design needs it), found none',
    );
  if (o.decay !== undefined && o.cac < 1)
    throw new Error(`clusterOutcomes: outcome.decay: expected no decay together with cac < 1 (cac is ${o.cac}), found ${o.decay}`);
  if (s.effect.persistence > 0)
    throw new Error(
      `clusterOutcomes: effect.persistence: expected 0 in a clusters design (the latent threshold already moves the same people), found ${s.effect.persistence}`,
    );
  return o as ClusterOutcome & { icc: number };
}

/** The frame's arrays must have G entries each and name every covariate the outcome and effect use. */
function checkFrame(s: ResolvedScenario, f: ClusterFrame): void {
  const { G } = f;
  for (const [k, a] of [
    ['start', f.start],
    ['rank', f.rank],
    ['size', f.size],
  ] as const)
    if (a.length !== G) throw new Error(`clusterOutcomes: frame.${k}: expected ${G} values (one per cluster), found ${a.length}`);
  for (let j = 0; j < G; j++)
    if (!(f.size[j] >= 1)) throw new Error(`clusterOutcomes: frame.size[${j}]: expected at least 1 person, found ${f.size[j]}`);
  if (!(f.churn >= 0 && f.churn <= 1)) throw new Error(`clusterOutcomes: frame.churn: expected a share in [0, 1], found ${f.churn}`);
  const used = [
    ...Object.keys(s.outcome.covariate_effects).map((k) => `outcome.covariate_effects.${k}`),
    ...Object.keys(s.outcome.trend.by).map((k) => `outcome.trend.by.${k}`),
    ...Object.keys(s.effect.by_covariate).map((k) => `effect.by_covariate.${k}`),
  ];
  for (const path of used) {
    const k = path.slice(path.lastIndexOf('.') + 1);
    const x = f.covariates[k];
    if (!x || x.length !== G) throw new Error(`clusterOutcomes: ${path}: expected the cluster covariate ${k} (${G} values), found none`);
  }
}

/**
 * Each cluster's unit-variance period series A_j (T values, cluster-major: a[j·T + t]): per cluster
 * one normal a_j and T normals b_jt in cluster order, whatever the model, so adding clusters appends
 * and the same normals serve every cac and decay.
 */
export function clusterPeriodSeries(rng: Rng, G: number, T: number, cac: number, decay: number | undefined): Float64Array {
  const a = new Float64Array(G * T);
  const common = Math.sqrt(cac);
  const own = Math.sqrt(1 - cac);
  const innov = decay === undefined ? 0 : Math.sqrt(1 - decay * decay);
  for (let j = 0; j < G; j++) {
    const aj = standardNormal(rng);
    let prev = 0;
    for (let t = 0; t < T; t++) {
      const b = standardNormal(rng);
      // Kasza et al. (2019): A_t = r·A_{t−1} + √(1 − r²)·b_t, A_0 = b_0; else √cac·a_j + √(1 − cac)·b_t.
      const v = decay === undefined ? common * aj + own * b : t === 0 ? b : decay * prev + innov * b;
      a[j * T + t] = v;
      prev = v;
    }
  }
  return a;
}

/**
 * The people of one cluster period by period: ε_ijt (standard normal) and the effect multipliers q_i.
 * Cross-section: fresh ε and q each period. Cohort: ε = √w·u_i + √(1 − w)·e_it (stable part + AR(1)),
 * people replaced by newcomers with probability churn each period after the first.
 */
class ClusterPeople {
  readonly eps: Float64Array;
  readonly q: Float64Array;
  private readonly u: Float64Array;
  private readonly e: Float64Array;
  private readonly w: number;
  private readonly rho: number;

  constructor(
    private readonly us: UnitStreams,
    maxSize: number,
    private readonly cohort: boolean,
    private readonly churn: number,
    o: ClusterOutcome,
    private readonly personSd: number,
  ) {
    this.eps = new Float64Array(maxSize);
    this.q = new Float64Array(maxSize).fill(1);
    this.u = new Float64Array(cohort ? maxSize : 0);
    this.e = new Float64Array(cohort ? maxSize : 0);
    const total = o.unit_sd ** 2 + o.noise_sd ** 2;
    if (cohort && !(total > 0))
      throw new Error(
        'clusterOutcomes: outcome.unit_sd, outcome.noise_sd: expected at least one above 0 (in a cohort they split the individual variance), found 0 and 0',
      );
    this.w = cohort ? o.unit_sd ** 2 / total : 0;
    this.rho = o.rho;
  }

  /** ε (and q) of cluster j's n people in period t into eps[0..n) (q[0..n)). */
  next(j: number, n: number, t: number): void {
    const { us, eps, q, u, e } = this;
    const s = 2 * j;
    const m = s + 1;
    const het = this.personSd > 0;
    const psd = this.personSd;
    if (!this.cohort) {
      for (let i = 0; i < n; i++) eps[i] = unitNormal(us, s);
      if (het) for (let i = 0; i < n; i++) q[i] = 1 + psd * unitNormal(us, m);
      return;
    }
    const sw = Math.sqrt(this.w);
    const se = Math.sqrt(1 - this.w);
    if (t === 0) {
      for (let i = 0; i < n; i++) {
        u[i] = unitNormal(us, s);
        e[i] = unitNormal(us, s);
        if (het) q[i] = 1 + psd * unitNormal(us, m);
        eps[i] = sw * u[i] + se * e[i];
      }
      return;
    }
    const rho = this.rho;
    const innov = Math.sqrt(1 - rho * rho);
    const churn = this.churn;
    for (let i = 0; i < n; i++) {
      if (churn > 0 && us.uniform(s) < churn) {
        // A newcomer: a fresh stable part, AR(1) state from its stationary law and effect multiplier.
        u[i] = unitNormal(us, s);
        e[i] = unitNormal(us, s);
        if (het) q[i] = 1 + psd * unitNormal(us, m);
      } else e[i] = rho * e[i] + innov * unitNormal(us, s);
      eps[i] = sw * u[i] + se * e[i];
    }
  }
}

const share01 = (v: number) => (v < 0 ? 0 : Math.min(v, 1));

/**
 * The counts of ones under Y(0) and Y(1) of a cross-section binary cell, exactly as from n people with
 * independent ε below the thresholds h0 and h1 but without drawing them: given the cluster part each
 * person's U = Φ(ε) is uniform, so k0 ~ Binomial(n, Φ(h0)); for h1 > h0 the people with Y(0) = 0 have U
 * uniform on [Φ(h0), 1), of whom a share (Φ(h1) − Φ(h0))/(1 − Φ(h0)) have Y(1) = 1, so
 * k1 = k0 + Binomial(n − k0, that share), and for h1 < h0 k1 = k0 − Binomial(k0, (Φ(h0) − Φ(h1))/Φ(h0)).
 * The cost is that of the binomials, O(n·min(p, 1 − p)) instead of n normals.
 */
function binaryCounts(rng: Rng, n: number, h0: number, h1: number): [number, number] {
  const q0 = normalCdf(h0);
  const k0 = randomBinomial(rng, n, q0)();
  if (h1 === h0) return [k0, k0];
  const q1 = normalCdf(h1);
  if (h1 > h0) return [k0, q0 < 1 ? k0 + randomBinomial(rng, n - k0, share01((q1 - q0) / (1 - q0)))() : k0];
  return [k0, q0 > 0 ? k0 - randomBinomial(rng, k0, share01((q0 - q1) / q0))() : k0];
}

/**
 * Potential outcomes of the people in every cluster × period cell (the model in the module comment):
 * cell means of Y(0), Y(1) and the observed Y, the cell sizes and the observed Y's within-cell sums of
 * squares, each periods × G (y[t·G + j]).
 * @param periods the panel's period labels (event time = period − frame.start[j])
 * @throws {Error} naming the scenario path when the outcome cannot be drawn (type, icc, a probability
 *   leaving (0, 1), a cohort without individual variance) or the frame is inconsistent
 */
export function clusterOutcomes(rngs: ClusterStreams, s: ResolvedScenario, frame: ClusterFrame, periods: Float64Array): ClusterOutcomes {
  const o = clusterOutcome(s);
  checkFrame(s, frame);
  const { G, size, start } = frame;
  const T = periods.length;
  const eff = s.effect;

  // Cluster level: effect multipliers m_j (sub-stream 0) and the period series A_j (sub-stream 1).
  const cs = new UnitStreams(rngs.cluster, 2);
  const mult = unitMultipliers(cs.stream(0), eff, s.population, frame.rank, frame.covariates);
  const series = clusterPeriodSeries(cs.stream(1), G, T, o.cac, o.decay);

  // Each cluster's level and slope from its covariates (centred levels, as world/latent.ts).
  const level = new Float64Array(G);
  const slope = new Float64Array(G).fill(o.trend.slope);
  for (const [k, b] of Object.entries(o.covariate_effects)) {
    const x = frame.covariates[k];
    const mean = covariateMoments(s.population.covariates[k]).mean;
    for (let j = 0; j < G; j++) level[j] += b * (x[j] - mean);
  }
  for (const [k, b] of Object.entries(o.trend.by)) {
    const x = frame.covariates[k];
    for (let j = 0; j < G; j++) slope[j] += b * x[j];
  }

  let maxSize = 0;
  for (let j = 0; j < G; j++) maxSize = Math.max(maxSize, size[j]);
  const us = new UnitStreams(rngs.people, 2 * G);
  const people = new ClusterPeople(us, maxSize, frame.sampling === 'cohort', frame.churn, o, eff.person_sd);
  const het = eff.person_sd > 0;

  const y0 = new Float64Array(T * G);
  const y1 = new Float64Array(T * G);
  const cellSize = new Float64Array(T * G);
  const cellSS = new Float64Array(T * G);
  const sdC = o.type === 'continuous' ? Math.sqrt(o.icc) * o.sd : 0;
  const sdE = o.type === 'continuous' ? Math.sqrt(1 - o.icc) * o.sd : 0;
  const { eps, q } = people;
  // A cross-section binary cell without person multipliers is drawn as counts (binaryCounts).
  const counts = o.type === 'binary' && frame.sampling === 'cross_section' && !het;

  for (let j = 0; j < G; j++) {
    const n = size[j];
    for (let t = 0; t < T; t++) {
      if (!counts) people.next(j, n, t);
      const cell = t * G + j;
      // τ_ijt = plateau·q_i + add (the module comment), plateau = size·shape(e)·m_j.
      const e = periods[t] - start[j];
      const treated = Number.isFinite(start[j]);
      const plateau = treated && e >= 0 ? eff.size * effectShape(eff, e) * mult[j] : 0;
      const add = treated ? effectAdditive(eff, e) : 0;
      const moved = plateau !== 0 || add !== 0;
      cellSize[cell] = n;
      const a = series[j * T + t];
      if (o.type === 'continuous') {
        const centre = o.mean + level[j] + slope[j] * t + sdC * a;
        let s0 = 0;
        let ss0 = 0;
        for (let i = 0; i < n; i++) {
          const d = sdE * eps[i];
          s0 += d;
          ss0 += d * d;
        }
        y0[cell] = centre + s0 / n;
        if (!moved) {
          y1[cell] = y0[cell];
          cellSS[cell] = Math.max(0, ss0 - (s0 * s0) / n);
          continue;
        }
        let s1 = 0;
        let ss1 = 0;
        for (let i = 0; i < n; i++) {
          const d = sdE * eps[i] + (het ? plateau * q[i] : plateau) + add;
          s1 += d;
          ss1 += d * d;
        }
        y1[cell] = centre + s1 / n;
        cellSS[cell] = Math.max(0, ss1 - (s1 * s1) / n);
        continue;
      }
      // Binary: the cell's probability, its latent correlation r and the thresholds on ε.
      const pi = o.p + level[j] + slope[j] * t;
      if (!(pi > 0 && pi < 1))
        throw new Error(
          `clusterOutcomes: outcome.p + covariate_effects + trend: expected a probability in (0, 1) in every cell, found ${pi} for cluster ${j + 1} in period ${periods[t]}`,
        );
      const r = latentCorrelationCached(pi, o.icc);
      const part = Math.sqrt(r) * a;
      const scale = 1 / Math.sqrt(1 - r);
      const h0 = (normalQuantile(pi) - part) * scale;
      const threshold = (p1: number) => (p1 <= 0 ? -Infinity : p1 >= 1 ? Infinity : (normalQuantile(p1) - part) * scale);
      let k0 = 0;
      let k1 = 0;
      if (counts) [k0, k1] = binaryCounts(us.stream(2 * j), n, h0, moved ? threshold(pi + plateau + add) : h0);
      else {
        for (let i = 0; i < n; i++) if (eps[i] < h0) k0++;
        if (!moved) k1 = k0;
        else if (!het) {
          const h1 = threshold(pi + plateau + add);
          for (let i = 0; i < n; i++) if (eps[i] < h1) k1++;
        } else {
          // Person multipliers: Y(1) = 1{Φ(Z) < π + τ_i} by table (error < 5e-7, world/outcome.ts uses
          // the same), the sign of τ_i deciding which of Y(0) = 0 or 1 can move (exact coupling).
          const sdL = Math.sqrt(1 - r);
          for (let i = 0; i < n; i++) {
            const tau = plateau * q[i] + add;
            const one = eps[i] < h0;
            if (tau > 0 ? one || normalCdfFast(part + sdL * eps[i]) < pi + tau : one && normalCdfFast(part + sdL * eps[i]) < pi + tau) k1++;
          }
        }
      }
      y0[cell] = k0 / n;
      y1[cell] = k1 / n;
      cellSS[cell] = k1 - (k1 * k1) / n;
    }
  }
  // Observed = Y(1): equal to Y(0) before a cluster starts (but for anticipation) and in clusters that never do.
  return { y0, y1, y: y1.slice(), cellSize, cellSS };
}
