/**
 * Fit a world (population + outcome of a scenario) to a pre-programme panel by the method of moments.
 * README.md, "Calibrating the world", explains the design; in short, with t the period index from 0:
 * - continuous: period means m_t → mean, slope, season (fitTrend); unit means of y − m_t on centred
 *   covariates → covariate effects; autocovariances C(k) = unit_sd² + noise_sd²ρ^k of what is left,
 *   k = 0..K (fitAr); then everything divided by s = √(unit² + noise² + Σβ²Var x) so Var η = 1 and
 *   `sd` = s reproduces the outcome scale (Y = mean + sd·η/√Var η, world/outcome.ts).
 * - binary-like (binary; earnings and count by their any-indicator): Y = 1{c + η + ε > 0}, ε ~ N(0,1).
 *   Tetrachoric lag correlations r_k = (A + noise²ρ^k)/(1 + V), A = unit² + Var(xβ), k = 1..K give
 *   a, b, ρ and 1 + V = 1/(1 − a − b); probit slopes γ = β/√(1 + V − Var xβ); the period thresholds
 *   h_t·√(1 + V) = c + slope·t (+ season) give c and slope; p = Φ(c/√(1 + V_gen)), V_gen as
 *   world/latent.ts's latentVariance (which treats covariates as uncorrelated).
 * - earnings: amount given any log-normal with the positives' mean and log-sd; count: days given
 *   any with the positives' mean, max and an sd_any that reproduces their sd after rounding/clamping.
 * - share: the continuous fit on q = Φ⁻¹(y) (the probit of the shares), on the latent scale itself.
 */
import type { Panel } from '../panel/panel.js';
import { normalCdf } from '../random/phi.js';
import { normalQuantile } from '../random/phi.js';
import { covariateMoments, copulaFactor, type CovariateSpec } from '../world/covariates.js';
import { meanClampedRounded } from '../world/outcome.js';
import { fitCovariate, latentCorrelation, round, type FittedCovariate } from './fit-covariates.js';
import { autocovariances, fitAr, fitTrend, latentLagCorrelations, leastSquares, probitSlopes } from './fit-latent.js';

export const OUTCOME_TYPES = ['earnings', 'binary', 'count', 'continuous', 'share'] as const;
export type CalibratedType = (typeof OUTCOME_TYPES)[number];

export class CalibrationInputError extends Error {
  override name = 'InputError';
}

export interface FitOptions {
  type?: CalibratedType;
  /** Season length in periods (12 for months; 0: none). */
  season: number;
  /** Outcome name written to the scenario. */
  name: string;
  /** Lags used by the AR fit: 1..K (continuous and share also use lag 0). */
  maxLag?: number;
}

export interface WorldFit {
  type: CalibratedType;
  /** The scenario's `population` block. */
  population: { size: number; covariates: Record<string, CovariateSpec>; correlations: { between: [string, string]; r: number }[] };
  /** The scenario's `outcome` block. */
  outcome: Record<string, unknown>;
  /** Fitted calendar season on the latent scale (not simulated: the scenario has no key for it). */
  seasonality: number[] | null;
  /** Per outcome key: what it was fitted from (the YAML comments). */
  sources: Record<string, string>;
  /** Per covariate: how its marginal was read. */
  covariateSources: Record<string, string>;
  notes: string[];
}

/** The outcome type a panel's values suggest, when --type is not given. */
export function guessType(y: Float64Array): CalibratedType {
  let allBinary = true,
    allInt = true,
    nonneg = true,
    unit = true,
    zeros = 0,
    max = -Infinity;
  for (const v of y) {
    if (v !== 0 && v !== 1) allBinary = false;
    if (!Number.isInteger(v)) allInt = false;
    if (v < 0) nonneg = false;
    if (v < 0 || v > 1) unit = false;
    if (v === 0) zeros++;
    if (v > max) max = v;
  }
  if (allBinary) return 'binary';
  if (unit) return 'share';
  if (nonneg && allInt && max <= 31 && zeros > 0) return 'count';
  if (nonneg && zeros / y.length > 0.05) return 'earnings';
  return 'continuous';
}

function checkValues(y: Float64Array, type: CalibratedType, outcome: string): void {
  const bad = (what: string, v: number) => {
    throw new CalibrationInputError(`--type ${type}: column "${outcome}" must hold ${what}; found ${v}`);
  };
  for (const v of y) {
    if (type === 'binary' && v !== 0 && v !== 1) bad('0 or 1', v);
    if (type === 'earnings' && v < 0) bad('amounts ≥ 0', v);
    if (type === 'count' && (v < 0 || !Number.isInteger(v))) bad('whole numbers ≥ 0', v);
    if (type === 'share' && (v < 0 || v > 1)) bad('shares in [0, 1]', v);
  }
}

/** Centred unit-level covariate columns (coded as the generator codes them). */
function centred(covs: FittedCovariate[]): Float64Array[] {
  return covs.map((c) => {
    const m = c.coded.reduce((s, v) => s + v, 0) / c.coded.length;
    return c.coded.map((v) => v - m);
  });
}

/** Var(x'β) of the data (with the covariates' correlations) and Σβ²Var x (the generator's, without). */
function covariateVariance(xc: Float64Array[], beta: ArrayLike<number>, covs: FittedCovariate[]): { actual: number; uncorrelated: number } {
  const n = xc[0]?.length ?? 0;
  let actual = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < xc.length; k++) s += beta[k] * xc[k][i];
    actual += s * s;
  }
  let unc = 0;
  covs.forEach((c, k) => (unc += beta[k] ** 2 * covariateMoments(c.spec).variance));
  return { actual: n > 0 ? actual / n : 0, uncorrelated: unc };
}

/** Latent correlations of every covariate pair, shrunk towards 0 until the matrix is positive definite. */
function correlations(covs: FittedCovariate[]): WorldFit['population']['correlations'] {
  const out: WorldFit['population']['correlations'] = [];
  for (let a = 0; a < covs.length; a++)
    for (let b = a + 1; b < covs.length; b++) {
      const r = round(latentCorrelation(covs[a], covs[b]), 3);
      if (Math.abs(r) >= 0.005) out.push({ between: [covs[a].name, covs[b].name], r });
    }
  const spec = Object.fromEntries(covs.map((c) => [c.name, c.spec]));
  for (let shrink = 1; shrink > 0; shrink -= 0.05) {
    const cs = out.map((c) => ({ ...c, r: round(c.r * shrink, 3) }));
    try {
      copulaFactor({ size: 1, covariates: spec, correlations: cs, subgroups: {} } as never);
      return cs;
    } catch {
      /* not positive definite: shrink further */
    }
  }
  return [];
}

/**
 * Unit means of a periods × units array (a residual after period means).
 */
function unitMeans(r: Float64Array, n: number, T: number): Float64Array {
  const m = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) m[i] += r[t * n + i];
  for (let i = 0; i < n; i++) m[i] /= T;
  return m;
}

interface LatentFit {
  unit_sd: number;
  noise_sd: number;
  rho: number;
  beta: Float64Array;
  slope: number;
  /** The series' value at t = 0 (continuous: the mean; probit types: c). */
  intercept: number;
  season: number[] | null;
  /** Var η as the generator computes it (covariates uncorrelated). */
  vGen: number;
  notes: string[];
}

/** The continuous decomposition of a periods × units array (outcome scale). */
/** Pooled within-unit variance of log(y) over positive values (units with ≥ 2), or null when none has two. y is periods × units. */
function withinUnitLogVariance(y: Float64Array, n: number, T: number): number | null {
  let ss = 0;
  let df = 0;
  for (let i = 0; i < n; i++) {
    let k = 0;
    let m = 0;
    let q = 0;
    for (let t = 0; t < T; t++) {
      const v = y[t * n + i];
      if (!(v > 0)) continue;
      const lv = Math.log(v);
      k++;
      const d = lv - m;
      m += d / k;
      q += d * (lv - m); // Welford's update
    }
    if (k >= 2) {
      ss += q;
      df += k - 1;
    }
  }
  return df > 0 ? ss / df : null;
}

function fitLinear(
  y: Float64Array,
  n: number,
  T: number,
  xc: Float64Array[],
  covs: FittedCovariate[],
  K: number,
  season: number,
): LatentFit {
  const m = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[t * n + i];
    m[t] = s / n;
  }
  const trend = fitTrend(m, season);
  const r = new Float64Array(n * T);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) r[t * n + i] = y[t * n + i] - m[t];
  let beta = new Float64Array(xc.length);
  if (xc.length > 0) {
    const b = leastSquares(xc, unitMeans(r, n, T));
    if (!b) throw new CalibrationInputError(`the covariates ${covs.map((c) => c.name).join(', ')} are collinear across units; drop one`);
    beta = Float64Array.from(b);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < xc.length; k++) s += beta[k] * xc[k][i];
      for (let t = 0; t < T; t++) r[t * n + i] -= s;
    }
  }
  const C = autocovariances(r, n, T, K);
  const ar = fitAr(
    C.map((_, k) => k),
    C,
    C.map((_, k) => (T - k) ** 2),
  ); // see fitProbit
  const cv = covariateVariance(xc, beta, covs);
  return {
    unit_sd: Math.sqrt(ar.a),
    noise_sd: Math.sqrt(ar.b),
    rho: ar.rho,
    beta,
    slope: trend.slope,
    intercept: trend.intercept,
    season: trend.season,
    vGen: ar.a + ar.b + cv.uncorrelated,
    notes: [],
  };
}

/** The probit latent model of a 0/1 panel. */
function fitProbit(d: Uint8Array, n: number, T: number, xc: Float64Array[], covs: FittedCovariate[], K: number, season: number): LatentFit {
  const notes: string[] = [];
  const lag = latentLagCorrelations(d, n, T, K);
  const ar = fitAr(
    lag.ks,
    lag.r,
    lag.ks.map((k) => (T - k) ** 2),
  ); // long lags rest on few, correlated period pairs: weights (T − k)² (ρ's SD 0.10 → 0.06 at 2,000 × 24 against equal weights)
  const ab = Math.min(ar.a + ar.b, 0.995);
  const total = 1 / (1 - ab); // 1 + V
  const noise2 = ar.b * total;
  const A = ar.a * total;
  const gamma = probitSlopes(d, n, T, lag.h, xc);
  // σ² = 1 + V − Var(xβ), β = γσ ⇒ Var(xβ) = σ²·γ'Σγ and σ² = (1 + V)/(1 + γ'Σγ).
  const gv = covariateVariance(xc, gamma, covs);
  const sigma = Math.sqrt(total / (1 + gv.actual));
  const beta = gamma.map((g) => g * sigma);
  const cv = covariateVariance(xc, beta, covs);
  let unit2 = A - cv.actual;
  if (unit2 < 0) {
    notes.push(
      `the covariates explain all of the stable part of the latent variance (unit_sd² would be ${unit2.toFixed(4)}); unit_sd set to 0`,
    );
    unit2 = 0;
  }
  const q = lag.h.map((h) => h * Math.sqrt(total));
  const trend = fitTrend(q, season);
  return {
    unit_sd: Math.sqrt(unit2),
    noise_sd: Math.sqrt(noise2),
    rho: ar.rho,
    beta,
    slope: trend.slope,
    intercept: trend.intercept,
    season: trend.season,
    vGen: unit2 + noise2 + cv.uncorrelated,
    notes,
  };
}

/** sd_any whose rounded, clamped days have the positives' sd, with the location that keeps their mean. */
function countSdAny(meanPos: number, sdPos: number, max: number): number {
  const location = (s: number) => {
    let lo = -3 * max,
      hi = 4 * max;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      if (meanClampedRounded(mid, s, max) < meanPos) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const sdOf = (s: number) => {
    const m = location(s);
    const mean = meanClampedRounded(m, s, max);
    let e2 = 0;
    for (let k = 1; k <= max; k++) {
      const lo = k === 1 ? 0 : normalCdf((k - 0.5 - m) / s);
      const hi = k === max ? 1 : normalCdf((k + 0.5 - m) / s);
      e2 += k * k * (hi - lo);
    }
    return Math.sqrt(Math.max(0, e2 - mean * mean));
  };
  let lo = 0.05,
    hi = 10 * max;
  if (sdOf(hi) < sdPos) return hi;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    if (sdOf(mid) < sdPos) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function fitWorld(panel: Panel, opts: FitOptions): WorldFit {
  const n = panel.nUnits;
  const T = panel.nPeriods;
  const y = panel.y;
  const type = opts.type ?? guessType(y);
  checkValues(y, type, opts.name);
  const notes: string[] = [];
  if (!opts.type) notes.push(`--type not given: read the values as ${type}`);
  const minT = type === 'continuous' || type === 'share' ? 3 : 4;
  if (T < minT)
    throw new CalibrationInputError(
      `the panel has ${T} periods; fitting ρ, unit_sd and noise_sd of a ${type} outcome needs at least ${minT}`,
    );
  const K = Math.min(opts.maxLag ?? 24, T - 2);

  const covs: FittedCovariate[] = [];
  for (const [name, x] of Object.entries(panel.covariates)) {
    if (x.length !== n)
      throw new CalibrationInputError(
        `covariate "${name}" changes within units; calibration reads unit-level (time-invariant) covariates only`,
      );
    covs.push(fitCovariate(name, x));
  }
  const xc = centred(covs);
  const population: WorldFit['population'] = {
    size: n,
    covariates: Object.fromEntries(covs.map((c) => [c.name, c.spec])),
    correlations: correlations(covs),
  };
  const sources: Record<string, string> = {};
  let fit: LatentFit;
  const outcome: Record<string, unknown> = { type, name: opts.name };

  if (type === 'continuous') {
    fit = fitLinear(y, n, T, xc, covs, K, opts.season);
    const s = Math.sqrt(fit.vGen);
    if (!(s > 0)) throw new CalibrationInputError(`column "${opts.name}" does not vary within periods; nothing to calibrate`);
    outcome.mean = round(fit.intercept, 5);
    outcome.sd = round(s, 5);
    fit = {
      ...fit,
      unit_sd: fit.unit_sd / s,
      noise_sd: fit.noise_sd / s,
      slope: fit.slope / s,
      beta: fit.beta.map((b) => b / s),
      season: fit.season?.map((v) => v / s) ?? null,
    };
    sources.mean = 'trend line of the period means at the first period';
    sources.sd = 'sd of η on the outcome scale (√(unit² + noise² + Σβ²Var x)); the latent scale is then Var η = 1';
  } else if (type === 'share') {
    const q = y.map((v) => normalQuantile(Math.min(1 - 1e-4, Math.max(1e-4, v))));
    fit = fitLinear(q, n, T, xc, covs, K, opts.season);
    outcome.p = round(normalCdf(fit.intercept / Math.sqrt(1 + fit.vGen)), 5);
    outcome.unit_size = { median: 1000000, sdlog: 0 };
    sources.p = 'Φ(c/√(1 + Var η)), c the trend line of the period means of Φ⁻¹(share) at the first period';
    sources.unit_size = 'not identified from shares alone: set the populations behind your units (1,000,000 adds no sampling noise)';
    notes.push(
      "share: the binomial sampling noise of the observed shares is counted as AR(1) noise; set unit_size from the units' populations",
    );
  } else {
    const d = new Uint8Array(n * T);
    for (let q = 0; q < n * T; q++) d[q] = y[q] > 0 ? 1 : 0;
    fit = fitProbit(d, n, T, xc, covs, K, opts.season);
    const p = round(normalCdf(fit.intercept / Math.sqrt(1 + fit.vGen)), 5);
    const probitSource = 'Φ(c/√(1 + Var η)), c from the trend line of √(1 + Var η)·Φ⁻¹(period share with any) at the first period';
    if (type === 'binary') {
      outcome.p = p;
      sources.p = probitSource;
    } else {
      let s = 0,
        s2 = 0,
        l = 0,
        l2 = 0,
        np = 0,
        max = 0;
      for (const v of y)
        if (v > 0) {
          s += v;
          s2 += v * v;
          np++;
          const lv = Math.log(v);
          l += lv;
          l2 += lv * lv;
          if (v > max) max = v;
        }
      if (np < 2)
        throw new CalibrationInputError(`column "${opts.name}" has fewer than two positive values; the amount given any cannot be fitted`);
      const meanPos = s / np;
      outcome.share_any = p;
      outcome.mean = round(p * meanPos, 5);
      sources.share_any = probitSource;
      sources.mean = `share_any × mean of the ${np} positive values (${round(meanPos, 5)})`;
      if (type === 'earnings') {
        const V = Math.max(0, l2 / np - (l / np) ** 2);
        outcome.sdlog = round(Math.sqrt(V), 4);
        sources.sdlog = 'sd of log(y) over the positive values';
        // The generator's log amount is μ + sdlog·(√a·L_i + √(1 − a)·e_it): within a person the log
        // amounts vary by sdlog²(1 − a), so a = 1 − (pooled within-person variance) / (total variance).
        const W = withinUnitLogVariance(y, n, T);
        if (W !== null && V > 0) {
          outcome.amount_persistence = round(Math.min(0.99, Math.max(0, 1 - W / V)), 4);
          sources.amount_persistence = '1 − (pooled within-person variance of log(y) over positive values) / (total variance)';
        }
      } else {
        outcome.max = max;
        outcome.sd_any = round(countSdAny(meanPos, Math.sqrt(Math.max(0, s2 / np - meanPos ** 2)), max), 4);
        sources.max = 'largest value in the data';
        sources.sd_any = 'sd before rounding and clamping to 1..max that reproduces the sd of the positive values';
      }
    }
  }
  notes.push(...fit.notes);
  outcome.unit_sd = round(fit.unit_sd, 4);
  outcome.noise_sd = round(fit.noise_sd, 4);
  outcome.rho = round(Math.min(0.995, fit.rho), 4);
  outcome.covariate_effects = Object.fromEntries(covs.map((c, k) => [c.name, round(fit.beta[k], 4)]));
  outcome.trend = { slope: round(fit.slope, 4), by: {} };
  const latentFrom =
    type === 'continuous' || type === 'share'
      ? `autocovariances at lags 0..${K} after removing period means and covariate effects`
      : `tetrachoric (Φ₂ orthant) correlations of the any-indicator at lags 1..${K}`;
  sources.unit_sd = `${latentFrom}: the part that does not decay with the lag`;
  sources.noise_sd = `${latentFrom}: the part that decays as ρ^k`;
  sources.rho = `${latentFrom}: the decay rate`;
  sources.covariate_effects =
    type === 'continuous' || type === 'share'
      ? 'regression of unit means (period means removed) on the centred covariates'
      : 'probit slopes with per-period thresholds, rescaled to the latent sd';
  sources.trend = 'linear trend of the period series (with seasons when the panel covers two)';
  if (fit.season)
    notes.push(
      `seasonality (${fit.season.length} positions, latent scale, amplitude ${round(Math.max(...fit.season) - Math.min(...fit.season), 3)}) is fitted and reported, but scenarios have no key for it: the simulated world has none`,
    );
  const covariateSources = Object.fromEntries(covs.map((c) => [c.name, c.note]));
  return { type, population, outcome, seasonality: fit.season?.map((v) => round(v, 4)) ?? null, sources, covariateSources, notes };
}
