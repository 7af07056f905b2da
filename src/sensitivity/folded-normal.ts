/**
 * The critical value of a fixed-length confidence interval whose estimator may be biased (Armstrong &
 * Kolesár 2018, "Optimal inference in a class of regression models", eq. 7; Rambachan & Roth 2023,
 * Section 4.1): cv_α(b) is the 1 − α quantile of |N(b, 1)|, so that [θ̂ − σ·cv_α(B/σ), θ̂ + σ·cv_α(B/σ)]
 * covers whenever the bias is at most B in absolute value.
 *
 * HonestDiD estimates this quantile from 10⁶ simulated normals (`.qfoldednormal`, seed 0), which is off
 * by about 1e-3 (at b = 0 it gives 1.96224 for 1.95996); we solve the defining equation exactly.
 */
import { pnorm, qnorm } from '../stats/normal.js';

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * cv_α(b): the c ≥ 0 with P(|Z + b| ≤ c) = 1 − α for Z ~ N(0, 1), i.e. Q(c − b) + Q(c + b) = α with Q
 * the upper normal tail. Symmetric in b. cv_α(0) = z_{1−α/2}; cv_α(b) → b + z_{1−α} as b grows.
 * @throws RangeError when alpha is not in (0, 1) or b is not finite.
 */
export function foldedNormalCv(b: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`foldedNormalCv: alpha must lie in (0, 1), got ${alpha}`);
  if (!Number.isFinite(b)) throw new RangeError(`foldedNormalCv: the bias ratio must be finite, got ${b}`);
  const m = Math.abs(b);
  // G(c) = Q(c − m) + Q(c + m) − α is decreasing and, for c − m ≥ z_{1−α} > 0, convex; the root lies in
  // [m + z_{1−α}, m + z_{1−α/2}] (G ≥ 0 at the left end, ≤ 0 at the right), and Newton from the left end
  // climbs to it monotonically (the tangent of a convex decreasing function meets zero short of the root).
  const lo = m + qnorm(1 - alpha);
  const hi = m + qnorm(1 - alpha / 2);
  let c = lo;
  for (let it = 0; it < 100; it++) {
    const g = pnorm(m - c) + pnorm(-c - m) - alpha;
    const dg = -INV_SQRT_2PI * (Math.exp(-0.5 * (c - m) ** 2) + Math.exp(-0.5 * (c + m) ** 2));
    const next = Math.min(hi, c - g / dg);
    if (!(next > c)) break;
    const done = next - c <= 1e-15 * next;
    c = next;
    if (done) break;
  }
  if (alpha < 0.5) return c;
  // For α ≥ 1/2 the left end can sit below m, where G is not convex: bisect on the bracket instead.
  let a = Math.max(0, lo);
  let z = hi;
  for (let it = 0; it < 200 && z - a > 1e-15 * z; it++) {
    const mid = 0.5 * (a + z);
    if (pnorm(m - mid) + pnorm(-mid - m) > alpha) a = mid;
    else z = mid;
  }
  return 0.5 * (a + z);
}
