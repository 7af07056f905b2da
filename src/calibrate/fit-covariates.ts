/**
 * Covariate marginals and their Gaussian-copula (latent) correlations from unit-level data, as
 * world/covariates.ts draws them: binary (values 0/1) by its share, categorical (3–10 distinct whole
 * values, coded 0..L−1 in sorted order as the generator's level index) by its level shares, anything
 * else normal by mean and sd. A binary is taken to be 1 when its latent normal is high.
 */
import { normalQuantile } from '../random/phi.js';
import { bvnCdf, tetrachoric } from './bvn.js';
import type { CovariateSpec } from '../world/covariates.js';

export interface FittedCovariate {
  name: string;
  spec: CovariateSpec;
  /** The values as the generator codes them (categorical: level index), one per unit. */
  coded: Float64Array;
  /** How the marginal was read, for the YAML comment. */
  note: string;
}

const levelName = (v: number) => `v${String(v).replace('-', 'm').replace('.', '_')}`;

export function fitCovariate(name: string, x: Float64Array): FittedCovariate {
  const n = x.length;
  const distinct = [...new Set(x)].sort((a, b) => a - b);
  if (distinct.every((v) => v === 0 || v === 1)) {
    const p = x.reduce((s, v) => s + v, 0) / n;
    return { name, spec: { type: 'binary', p: round(p, 4) }, coded: x, note: `share with ${name} = 1 over ${n} units` };
  }
  if (distinct.length <= 10 && distinct.every((v) => Number.isInteger(v))) {
    const idx = new Map(distinct.map((v, l) => [v, l]));
    const coded = x.map((v) => idx.get(v)!);
    const counts = distinct.map(() => 0);
    for (const c of coded) counts[c]++;
    const p = counts.map((c) => round(c / n, 4));
    p[p.length - 1] = round(1 - p.slice(0, -1).reduce((s, v) => s + v, 0), 4);
    return {
      name,
      spec: { type: 'categorical', levels: distinct.map(levelName), p },
      coded,
      note: `categorical: values ${distinct.join(', ')} coded 0..${distinct.length - 1} (effects are per level step)`,
    };
  }
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return {
    name,
    spec: { type: 'normal', mean: round(m, 4), sd: round(Math.sqrt(ss / n), 4) },
    coded: x,
    note: `normal: mean and sd over ${n} units`,
  };
}

export function round(v: number, digits: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const d = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(v))));
  return Number(v.toFixed(Math.min(d, 12)));
}

/** Cumulative latent thresholds of a binary (1 when high) or categorical covariate. */
function thresholds(c: CovariateSpec): number[] {
  if (c.type === 'binary') return [normalQuantile(1 - (c.p as number))];
  if (c.type === 'categorical') {
    const out: number[] = [];
    let s = 0;
    for (const p of c.p.slice(0, -1)) {
      s += p;
      if (s > 0 && s < 1) out.push(normalQuantile(s));
    }
    return out;
  }
  return [];
}

/**
 * Latent correlation of two covariates. Normal–normal: Pearson. Binary–binary: tetrachoric
 * (Φ₂ orthant of the joint share). Otherwise the polyserial ratio (Olsson, Drasgow & Dorans 1982):
 * Cov(code, W) = r·Σ_l φ(τ_l) for an ordinal code of a latent normal with thresholds τ, so
 * r = r_obs · sd(code)/Σφ(τ) per discrete side (exact with one discrete side, approximate with two).
 */
export function latentCorrelation(a: FittedCovariate, b: FittedCovariate): number {
  const x = a.coded;
  const y = b.coded;
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (!(sxx > 0 && syy > 0)) return 0;
  if (a.spec.type === 'binary' && b.spec.type === 'binary') {
    const p11 = sxy / n + mx * my;
    const h1 = normalQuantile(mx);
    const h2 = normalQuantile(my);
    // P(both 1) = Φ₂(h1, h2; r); for r < 0 use Φ₂(h1, h2; −s) = Φ(h1) − Φ₂(h1, −h2; s).
    if (p11 >= bvnCdf(h1, h2, 0)) return tetrachoric([h1], [h2], p11);
    return -tetrachoric([h1], [-h2], mx - p11);
  }
  let r = sxy / Math.sqrt(sxx * syy);
  for (const [c, ss] of [
    [a.spec, sxx],
    [b.spec, syy],
  ] as const) {
    const tau = thresholds(c);
    if (tau.length === 0) continue;
    const dens = tau.reduce((s, t) => s + Math.exp(-0.5 * t * t) * 0.3989422804014327, 0);
    r *= Math.sqrt(ss / n) / dens;
  }
  return Math.max(-0.99, Math.min(0.99, r));
}
