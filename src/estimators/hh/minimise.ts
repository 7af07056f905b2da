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
