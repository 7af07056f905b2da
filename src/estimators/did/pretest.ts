/**
 * The Wald pre-test of parallel trends (Callaway & Sant'Anna 2021, section 4; R did's att_gt):
 * W = n · b' V_pre⁻¹ b over the pre-treatment ATT(g,t) (g > t) with a standard error, where
 * V = Ψ'Ψ / n is the influence-function covariance; W ~ χ²(q) under parallel pre-trends.
 */
import { Float64Arena } from '../../linalg/arena.js';
import { chisqUpper } from '../../stats/chisq.js';
import { cholesky, cholSolve, rcondSpd, MACHINE_EPS } from '../../linalg/small.js';
import type { WaldPretest } from '../types.js';
import type { Cell } from './att-gt.js';
import { clusterCount, clusteredSe, clusterSums } from './cluster-se.js';
import { seFromInf } from './influence.js';

/**
 * @param mem where the dense pre-period influence functions are built (default: their own memory).
 * @param cluster unit cluster codes (dense 0..C−1): then V = S'S / n from the cluster sums S of Ψ, as R
 *   did 2.5.1 forms it with clustervars and no bootstrap.
 */
export function waldPretest(n: number, cells: Cell[], mem = new Float64Arena(), cluster: Int32Array | null = null): WaldPretest {
  const nC = cluster ? clusterCount(cluster) : n;
  const sums = cluster ? new Float64Array(nC) : null;
  const hasSe = (c: Cell) => (cluster ? clusteredSe(c.inf!, c.idx ?? null, n, cluster, sums!) : seFromInf(c.inf!, n)) !== null;
  const pre = cells.filter((c) => c.att !== null && c.group > c.time && c.inf && hasSe(c));
  const q = pre.length;
  if (q === 0) {
    return { W: null, df: 0, p: null, reason: 'no pre-treatment ATT(g,t) with a standard error to test' };
  }
  if (q > nC) {
    // Ψ'Ψ is q × q of rank ≤ n (≤ C clusters): singular for certain, whatever rounding would make of its rcond.
    return {
      W: null,
      df: q,
      p: null,
      reason: `singular covariance matrix of the pre-treatment ATT(g,t): ${q} pre-treatment cells but only ${nC} ${cluster ? 'clusters' : 'units'}`,
    };
  }
  // Dense pre-period influence functions (or their cluster sums), then their Gram matrix Ψ'Ψ (the
  // q × q covariance up to 1/n).
  const dense = pre.map((c) => {
    const v = mem.take(nC);
    if (cluster) clusterSums(c.inf!, c.idx!, cluster, v);
    else for (let m = 0; m < c.idx!.length; m++) v[c.idx![m]] = c.inf![m];
    return v;
  });
  const g = gram(dense, nC);
  const l = cholesky(g, q);
  // R did: no statistic when rcond(V_pre) ≤ ε (rcond is scale-free, so Ψ'Ψ serves for V_pre).
  if (!l || rcondSpd(g, l, q) <= MACHINE_EPS) {
    return { W: null, df: q, p: null, reason: 'singular covariance matrix of the pre-treatment ATT(g,t)' };
  }
  const b = Float64Array.from(pre.map((c) => c.att!));
  const x = cholSolve(l, q, b);
  let quad = 0;
  for (let a = 0; a < q; a++) quad += b[a] * x[a];
  const W = n * n * quad;
  return { W, df: q, p: chisqUpper(W, q) };
}

/** Ψ'Ψ for dense columns, in 2 × 4 blocks so that each loaded value serves several products. */
function gram(cols: Float64Array[], n: number): Float64Array {
  const q = cols.length;
  const g = new Float64Array(q * q);
  const dot = (x: Float64Array, y: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * y[i];
    return s;
  };
  let a = 0;
  for (; a + 1 < q; a += 2) {
    const x0 = cols[a],
      x1 = cols[a + 1];
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const y0 = cols[b],
        y1 = cols[b + 1],
        y2 = cols[b + 2],
        y3 = cols[b + 3];
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      for (let i = 0; i < n; i++) {
        const u = x0[i],
          v = x1[i];
        const c0 = y0[i],
          c1 = y1[i],
          c2 = y2[i],
          c3 = y3[i];
        s00 += u * c0;
        s01 += u * c1;
        s02 += u * c2;
        s03 += u * c3;
        s10 += v * c0;
        s11 += v * c1;
        s12 += v * c2;
        s13 += v * c3;
      }
      g[a * q + b] = s00;
      g[a * q + b + 1] = s01;
      g[a * q + b + 2] = s02;
      g[a * q + b + 3] = s03;
      g[(a + 1) * q + b] = s10;
      g[(a + 1) * q + b + 1] = s11;
      g[(a + 1) * q + b + 2] = s12;
      g[(a + 1) * q + b + 3] = s13;
    }
    for (; b <= a + 1; b++) {
      if (b <= a) g[a * q + b] = dot(x0, cols[b]);
      g[(a + 1) * q + b] = dot(x1, cols[b]);
    }
  }
  for (; a < q; a++) for (let b = 0; b <= a; b++) g[a * q + b] = dot(cols[a], cols[b]);
  for (let r = 0; r < q; r++) for (let c = 0; c < r; c++) g[c * q + r] = g[r * q + c];
  return g;
}
