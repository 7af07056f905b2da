/**
 * Few-cluster inference for linear contrasts c'β of a fit with absorbed effects: the variance (CR1 or
 * CR2), the reference distribution (normal, t(G − 1), or t with Satterthwaite df, cr2.ts) and,
 * for a single coefficient, the restricted wild cluster bootstrap (wild-cluster.ts), as the p-value and
 * interval of the estimator's row (RowInference).
 */
import type { Rng } from '../../random/stream.js';
import { qnorm } from '../../stats/normal.js';
import { ptTwoSided, qt } from '../../stats/student-t.js';
import { EstimatorInputError } from '../errors.js';
import { cr2Adjustments, cr2Vcov, satterthwaiteDf, type AbsorbedFit } from './cr2.js';
import { wildClusterBootstrap, type WildWeights } from './wild-cluster.js';

export type VcovType = 'cr1' | 'cr2';
export type DfType = 'normal' | 'cluster' | 'satterthwaite';
export const VCOV_TYPES: readonly VcovType[] = ['cr1', 'cr2'];
export const DF_TYPES: readonly DfType[] = ['normal', 'cluster', 'satterthwaite'];

export interface FewClusterOptions {
  vcov: VcovType;
  df: DfType;
  /** Wild cluster bootstrap draws (0 = off); Rademacher with 2^G ≤ wild enumerates all sign vectors. */
  wild: number;
  wildWeights: WildWeights;
  alpha: number;
}

export const DEFAULT_FEW_CLUSTER: FewClusterOptions = { vcov: 'cr1', df: 'normal', wild: 0, wildWeights: 'rademacher', alpha: 0.05 };

/** True when the options ask for anything beyond today's CR1 + normal Wald inference. */
export function fewClusterActive(o: Pick<FewClusterOptions, 'vcov' | 'df' | 'wild'>): boolean {
  return o.vcov !== 'cr1' || o.df !== 'normal' || o.wild > 0;
}

export interface ContrastInference {
  se: number | null;
  /** Degrees of freedom of the t reference (Infinity: normal). */
  df: number;
  p: number | null;
  ci: [number, number] | null;
  inference: string;
  reason?: string;
}

export type FitWithOutcome = AbsorbedFit & { yd: Float64Array; beta: Float64Array; kFit: number };

/** CR1 with fixest's factor G/(G − 1)·(N − 1)/(N − K) (as twfe/within.ts), k × k. */
export function cr1Vcov(fit: FitWithOutcome): Float64Array {
  const { k, x, e, bread, members } = fit;
  const G = members.length,
    N = e.length;
  const meat = new Float64Array(k * k);
  for (const idx of members) {
    const s = new Float64Array(k);
    for (const o of idx) for (let j = 0; j < k; j++) s[j] += x[o * k + j] * e[o];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a * k + b] += s[a] * s[b];
  }
  const scale = (G / (G - 1)) * ((N - 1) / (N - fit.kFit));
  const v = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) for (let d = 0; d < k; d++) s += bread[a * k + c] * meat[c * k + d] * bread[d * k + b];
      v[a * k + b] = s * scale;
    }
  return v;
}

/** Inference for several contrasts of one fit; the wild bootstrap only for single coefficients (unit c). */
export function contrastInference(
  rng: Rng,
  fit: FitWithOutcome,
  contrasts: ArrayLike<number>[],
  o: FewClusterOptions,
  wildFor: (c: ArrayLike<number>, index: number) => boolean = () => true,
): ContrastInference[] {
  const G = fit.members.length;
  if (G < 2) throw new EstimatorInputError(`few-cluster inference needs at least 2 clusters, found ${G}`);
  const adj = o.vcov === 'cr2' || o.df === 'satterthwaite' ? cr2Adjustments(fit) : null;
  const V = o.vcov === 'cr2' ? cr2Vcov(fit, adj!) : cr1Vcov(fit);
  const k = fit.k;
  return contrasts.map((c, index) => {
    let est = 0,
      v = 0;
    for (let a = 0; a < k; a++) {
      est += c[a] * fit.beta[a];
      for (let b = 0; b < k; b++) v += c[a] * V[a * k + b] * c[b];
    }
    const se = v > 0 && Number.isFinite(v) ? Math.sqrt(v) : null;
    const df = o.df === 'normal' ? Infinity : o.df === 'cluster' ? G - 1 : satterthwaiteDf(fit, adj!, c);
    const label = `${o.vcov}, ${o.df === 'normal' ? 'normal' : o.df === 'cluster' ? `t(G − 1 = ${G - 1})` : `Satterthwaite t(${df.toFixed(2)})`}`;
    const j = unitIndex(c);
    if (o.wild > 0 && j >= 0 && wildFor(c, index)) {
      const w = wildClusterBootstrap(rng, fit, { j, draws: o.wild, weights: o.wildWeights, alpha: o.alpha, kFit: fit.kFit });
      const how = w.enumerated ? `all ${w.draws} sign vectors` : `${w.draws} draws`;
      const inference = `wild cluster bootstrap (WCR, ${o.wildWeights}, ${how}${w.unbounded ? '; the interval is unbounded: p never falls to α' : ''})`;
      return { se, df, p: w.p, ci: w.ci, inference };
    }
    if (se === null) return { se, df, p: null, ci: null, inference: label, reason: 'no standard error' };
    if (!(df > 0))
      return { se, df, p: null, ci: null, inference: label, reason: `the Satterthwaite degrees of freedom are not defined (${df})` };
    const crit = Number.isFinite(df) ? qt(1 - o.alpha / 2, df) : qnorm(1 - o.alpha / 2);
    return { se, df, p: ptTwoSided(est / se, df), ci: [est - crit * se, est + crit * se], inference: label };
  });
}

/** j when c = e_j, else −1. */
function unitIndex(c: ArrayLike<number>): number {
  let j = -1;
  for (let a = 0; a < c.length; a++) {
    if (c[a] === 0) continue;
    if (c[a] !== 1 || j >= 0) return -1;
    j = a;
  }
  return j;
}
