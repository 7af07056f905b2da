/**
 * Bounded one-dimensional minimisation for the REML variance ratios: a coarse scan of the interval
 * (the profiled criterion may have a local minimum at a bound, as at τ² = 0), then Brent's method
 * (golden section with parabolic steps; Brent 1973, ch. 5) between the scan's neighbours of its best point.
 */

export interface Minimum {
  x: number;
  f: number;
  evals: number;
}

const GOLD = 0.3819660112501051;

/** Brent's minimiser of f on [a, b] to an absolute tolerance tol in x. */
export function brent(f: (x: number) => number, a: number, b: number, tol: number, maxit = 200): Minimum {
  let x = a + GOLD * (b - a);
  let w = x,
    v = x;
  let fx = f(x);
  let fw = fx,
    fv = fx;
  let d = 0,
    e = 0,
    evals = 1;
  for (let it = 0; it < maxit; it++) {
    const xm = 0.5 * (a + b);
    const tol1 = tol + 1e-12 * Math.abs(x);
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let pp = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) pp = -pp;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(pp) < Math.abs(0.5 * q * r) && pp > q * (a - x) && pp < q * (b - x)) {
        d = pp / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = (x >= xm ? a : b) - x;
      d = GOLD * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    evals++;
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, f: fx, evals };
}

/**
 * Minimise f over the scan points' hull: the best scan point's neighbours bracket Brent's search; a
 * bound that is best stays (Brent never evaluates the ends of its interval). `fine`: the function Brent
 * minimises when the scan uses a cheaper approximation of it (a nested search at a loose tolerance).
 */
export function scanThenBrent(f: (x: number) => number, scan: readonly number[], tol: number, fine = f): Minimum {
  const fs = scan.map(f);
  let i = 0;
  for (let k = 1; k < scan.length; k++) if (fs[k] < fs[i]) i = k;
  const lo = scan[Math.max(0, i - 1)],
    hi = scan[Math.min(scan.length - 1, i + 1)];
  const m = brent(fine, lo, hi, tol);
  const evals = scan.length + m.evals;
  return m.f < fs[i] ? { x: m.x, f: m.f, evals } : { x: scan[i], f: fs[i], evals };
}

/**
 * Polish a two-parameter minimum in the box [0, hi0] × [0, hi1] by Newton steps on central-difference
 * derivatives (step h), with step halving and bounds: a coordinate at a bound whose gradient points out
 * of the box is held there (projected Newton). Stops when a step moves less than tol.
 * @returns the polished point, or null when the Hessian is not positive definite (the caller keeps its own).
 */
export function newton2(
  f: (a: number, b: number) => number,
  start: [number, number],
  hi: [number, number],
  tol: number,
  h = 1e-5,
  maxit = 30,
): Minimum & { y: number } {
  let [a, b] = start;
  let fx = f(a, b);
  let evals = 1;
  const clip = (v: number, k: 0 | 1) => Math.min(hi[k], Math.max(0, v));
  for (let it = 0; it < maxit; it++) {
    // Central differences, one-sided at a bound (the box is closed, f is not defined beyond it).
    const ha = a - h < 0 ? h : a + h > hi[0] ? -h : h;
    const hb = b - h < 0 ? h : b + h > hi[1] ? -h : h;
    const fa1 = f(a + ha, b),
      fa0 = f(a - ha, b),
      fb1 = f(a, b + hb),
      fb0 = f(a, b - hb);
    const fab = f(a + ha, b + hb);
    evals += 5;
    let ga: number, gb: number, haa: number, hbb: number;
    if (a - h >= 0 && a + h <= hi[0]) {
      ga = (fa1 - fa0) / (2 * ha);
      haa = (fa1 - 2 * fx + fa0) / (ha * ha);
    } else {
      const fa2 = f(a + 2 * ha, b);
      evals++;
      ga = (-3 * fx + 4 * fa1 - fa2) / (2 * ha);
      haa = (fx - 2 * fa1 + fa2) / (ha * ha);
    }
    if (b - h >= 0 && b + h <= hi[1]) {
      gb = (fb1 - fb0) / (2 * hb);
      hbb = (fb1 - 2 * fx + fb0) / (hb * hb);
    } else {
      const fb2 = f(a, b + 2 * hb);
      evals++;
      gb = (-3 * fx + 4 * fb1 - fb2) / (2 * hb);
      hbb = (fx - 2 * fb1 + fb2) / (hb * hb);
    }
    const hab = (fab - fa1 - fb1 + fx) / (ha * hb);
    // Coordinates held at a bound whose gradient points outward.
    const holdA = (a === 0 && ga > 0) || (a === hi[0] && ga < 0);
    const holdB = (b === 0 && gb > 0) || (b === hi[1] && gb < 0);
    let da = 0,
      db = 0;
    if (holdA && holdB) break;
    if (holdA) {
      if (!(hbb > 0)) return { x: Number.NaN, y: Number.NaN, f: fx, evals };
      db = -gb / hbb;
    } else if (holdB) {
      if (!(haa > 0)) return { x: Number.NaN, y: Number.NaN, f: fx, evals };
      da = -ga / haa;
    } else {
      const det = haa * hbb - hab * hab;
      if (!(haa > 0 && det > 0)) return { x: Number.NaN, y: Number.NaN, f: fx, evals };
      da = -(hbb * ga - hab * gb) / det;
      db = -(haa * gb - hab * ga) / det;
    }
    let step = 1,
      moved = false;
    for (let k = 0; k < 30; k++, step /= 2) {
      const na = clip(a + step * da, 0),
        nb = clip(b + step * db, 1);
      const fn = f(na, nb);
      evals++;
      if (fn <= fx) {
        const size = Math.abs(na - a) + Math.abs(nb - b);
        a = na;
        b = nb;
        fx = fn;
        moved = size > tol;
        break;
      }
    }
    if (!moved) break;
  }
  return { x: a, y: b, f: fx, evals };
}
