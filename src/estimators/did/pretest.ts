/**
 * The Wald pre-test of parallel trends (Callaway & Sant'Anna 2021, section 4; R did's att_gt):
 * W = n · b' V_pre⁻¹ b over the pre-treatment ATT(g,t) (g > t) with a standard error, where
 * V = Ψ'Ψ / n is the influence-function covariance; W ~ χ²(q) under parallel pre-trends.
 */
import { chisqUpper } from '../../stats/chisq.js';
import { cholesky, cholSolve, rcond, MACHINE_EPS } from '../../linalg/small.js';
import type { WaldPretest } from '../types.js';
import type { Cell } from './att_gt.js';
import { seFromInf } from './influence.js';

export function waldPretest(n: number, cells: Cell[]): WaldPretest {
  const pre = cells.filter((c) => c.att !== null && c.group > c.time && c.inf && seFromInf(c.inf, n) !== null);
  const q = pre.length;
  if (q === 0) {
    return { W: null, df: 0, p: null, reason: 'no pre-treatment ATT(g,t) with a standard error to test' };
  }
  // Dense pre-period influence functions, then their Gram matrix Ψ'Ψ (the q × q covariance up to 1/n).
  const dense = pre.map((c) => {
    const v = new Float64Array(n);
    for (let m = 0; m < c.idx!.length; m++) v[c.idx![m]] = c.inf![m];
    return v;
  });
  const g = gram(dense, n);
  if (rcond(g, q) <= MACHINE_EPS) {
    return { W: null, df: q, p: null, reason: 'singular covariance matrix of the pre-treatment ATT(g,t)' };
  }
  const l = cholesky(g, q);
  if (!l) return { W: null, df: q, p: null, reason: 'covariance matrix of the pre-treatment ATT(g,t) is not positive definite' };
  const b = Float64Array.from(pre.map((c) => c.att!));
  const x = cholSolve(l, q, b);
  let quad = 0;
  for (let a = 0; a < q; a++) quad += b[a] * x[a];
  const W = n * n * quad;
  return { W, df: q, p: chisqUpper(W, q) };
}

/** Ψ'Ψ for dense columns, four columns at a time to reuse each loaded row. */
function gram(cols: Float64Array[], n: number): Float64Array {
  const q = cols.length;
  const g = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    const ca = cols[a];
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const c0 = cols[b], c1 = cols[b + 1], c2 = cols[b + 2], c3 = cols[b + 3];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < n; i++) {
        const v = ca[i];
        s0 += v * c0[i]; s1 += v * c1[i]; s2 += v * c2[i]; s3 += v * c3[i];
      }
      g[a * q + b] = s0; g[a * q + b + 1] = s1; g[a * q + b + 2] = s2; g[a * q + b + 3] = s3;
    }
    for (; b <= a; b++) {
      const cb = cols[b];
      let s = 0;
      for (let i = 0; i < n; i++) s += ca[i] * cb[i];
      g[a * q + b] = s;
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) g[b * q + a] = g[a * q + b];
  return g;
}
