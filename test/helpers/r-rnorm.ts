/**
 * R's default normal generator, for reproducing HonestDiD's simulated critical value in parity tests
 * only (the product solves the folded-normal quantile exactly, src/sensitivity/folded-normal.ts).
 *
 * R (RNG.c, snorm.c): set.seed(s) scrambles s by 50 steps of s ← 69069·s + 1 (mod 2³²), fills the 624
 * Mersenne-Twister words by the same recurrence and starts at mti = 624; unif_rand is MT19937's tempered
 * output × 2⁻³² (nudged into (0, 1)); rnorm by inversion takes u = ⌊2²⁷·U₁⌋ + U₂ and returns
 * qnorm(u / 2²⁷). Our qnorm is AS 241, the algorithm R's qnorm uses. Checked against R 4.2.2's
 * `set.seed(0); rnorm(1e6)` in test/sensitivity/smoothness.test.ts.
 */
import { qnorm } from '../../src/stats/normal.js';

export function rNormals(seed: number, n: number): Float64Array {
  const mt = new Uint32Array(624);
  let s = seed >>> 0;
  for (let j = 0; j < 50; j++) s = (Math.imul(69069, s) + 1) >>> 0;
  // The first of R's 625 seed words is mti (then overwritten with 624); the rest are the state.
  s = (Math.imul(69069, s) + 1) >>> 0;
  for (let j = 0; j < 624; j++) {
    s = (Math.imul(69069, s) + 1) >>> 0;
    mt[j] = s;
  }
  let mti = 624;
  const genrand = (): number => {
    if (mti >= 624) {
      for (let kk = 0; kk < 624; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % 624] & 0x7fffffff);
        mt[kk] = mt[(kk + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      mti = 0;
    }
    let y = mt[mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    const u = (y >>> 0) * 2.3283064365386963e-10;
    // R's fixup: keep strictly inside (0, 1).
    if (u <= 0) return 0.5 * 2.328306437080797e-10;
    if (1 - u <= 0) return 1 - 0.5 * 2.328306437080797e-10;
    return u;
  };
  const out = new Float64Array(n);
  const BIG = 134217728;
  for (let i = 0; i < n; i++) {
    const u = Math.floor(BIG * genrand()) + genrand();
    out[i] = qnorm(u / BIG);
  }
  return out;
}

/**
 * HonestDiD's `.qfoldednormal(p, mu)`: R's type-7 quantile of |x + mu| over the 10⁶ draws of
 * `set.seed(0); rnorm(1e6)`. The draws are sorted once; the k-th smallest |x + mu| is then the k-th of
 * two sorted runs (x_i + mu upward from the split at −mu, −x_i − mu downward), found by bisection.
 */
export function honestDidFoldedNormalCv(): (b: number, alpha: number) => number {
  const x = rNormals(0, 1_000_000).sort();
  const n = x.length;
  // First index with x[i] ≥ t.
  const lowerBound = (t: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // k-th smallest (0-based) of |x + mu|.
  const kth = (mu: number, k: number) => {
    const split = lowerBound(-mu);
    // Run A: x[split..] + mu ascending; run B: −x[split−1..0] − mu ascending.
    const a = (i: number) => x[split + i] + mu;
    const b = (i: number) => -x[split - 1 - i] - mu;
    const na = n - split;
    const nb = split;
    // Take i from A and k + 1 − i from B, bisecting on i.
    let lo = Math.max(0, k + 1 - nb);
    let hi = Math.min(k + 1, na);
    while (lo < hi) {
      const i = (lo + hi) >> 1;
      const j = k + 1 - i;
      if (j > 0 && i < na && b(j - 1) > a(i)) lo = i + 1;
      else hi = i;
    }
    const i = lo;
    const j = k + 1 - i;
    const fromA = i > 0 ? a(i - 1) : -Infinity;
    const fromB = j > 0 ? b(j - 1) : -Infinity;
    return Math.max(fromA, fromB);
  };
  return (bias: number, alpha: number) => {
    const index = 1 + (n - 1) * (1 - alpha);
    const lo = Math.floor(index);
    const h = index - lo;
    const qlo = kth(bias, lo - 1);
    if (h === 0) return qlo;
    const qhi = kth(bias, lo);
    return qhi === qlo ? qlo : (1 - h) * qlo + h * qhi;
  };
}
