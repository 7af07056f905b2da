/**
 * Chi-square upper tail, through the regularised incomplete gamma function
 * (Numerical Recipes §6.2: series below a + 1, Lentz continued fraction above).
 */

import { logGamma } from './student-t.js';

// One log-gamma for the package (student-t.ts, accurate to ~1e-15; the Lanczos form here had a typo
// that put lgamma off by ~1e-7).
export { logGamma };

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lg = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(lg);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(lg) * h;
}

/** P(X > x) for X ~ χ²(df). @example chisqUpper(3.841458820694124, 1) ≈ 0.05, as R: 1 - pchisq(3.84, 1) */
export function chisqUpper(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}
