/**
 * Calibrating free settings to published standard errors: the search, without the simulator.
 *
 * The objective comes from common random numbers (the same seed and draws at every evaluation), so the
 * simulated statistic S(x) is a smooth deterministic function of the free values x and an ordinary
 * root-finder applies. Everything runs on logarithms: u = log x and g(u) = log S(e^u) − log T, because
 * an SE is close to a power of a scale setting (exactly linear in a continuous outcome's sd), so g is
 * close to linear in u and secant steps land almost on the root.
 *
 * - One target: the free values move together as x = x0·m (one common multiplier m; with one free
 *   setting m = x/x0). Bracket the root by geometric steps from m = 1 (first step: elasticity 1), then
 *   Brent's method (Brent 1973, ch. 4, "zeroin") inside the bracket. When no step changes the sign the
 *   search says so, with the closest value and the range of S it reached, and never returns a "root".
 * - k targets and k free settings: Newton steps on u with a finite-difference Jacobian, updated by
 *   Broyden's rank-one formula (Broyden 1965, eq. 4.4), halving a step that makes ‖g‖ worse.
 *
 * The objective is passed in, so tests drive the search with known functions.
 */

/** The statistic of each target at free values x (length k), in target order. */
export type Objective = (x: readonly number[]) => Promise<number[]>;

/** Thrown by an objective for a value it cannot evaluate (the scenario rejects it): a domain edge. */
export class OutsideDomain extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutsideDomain';
  }
}

export interface SearchOptions {
  /** Stop when every |S − T| ≤ tol·T. */
  tol: number;
  /** Evaluations of the objective at most (the start included). */
  maxEvals: number;
  /** The bracket search goes no further than this factor either side of the start. */
  maxFactor: number;
}

export const DEFAULT_SEARCH: SearchOptions = { tol: 1e-3, maxEvals: 30, maxFactor: 1000 };

export interface Evaluated {
  x: number[];
  /** The statistic per target, or null where the value is outside the domain. */
  s: number[] | null;
  /** Why s is null. */
  reason?: string;
}

export type SearchStatus = 'found' | 'no sign change' | 'not converged' | 'singular';

export interface SearchResult {
  status: SearchStatus;
  /** The evaluation closest to the targets (the root when found), an index into `history`. */
  best: number;
  history: Evaluated[];
  /**
   * Local elasticities ∂log S_j/∂log x at the best point: one target: a 1 × 1 matrix in the common
   * multiplier (d log S/d log m); k targets: k × k, row j target, column i free setting. null when
   * no two evaluations near the best point give a slope.
   */
  elasticity: number[][] | null;
  /** Lowest and highest statistic reached, per target (the achievable range over the tried values). */
  range: [number, number][];
  /** One target: whether S was monotone in m over the tried values (false: say so). */
  monotone: boolean | null;
  message: string;
}

/** The error of each target on the log scale, g_j = log(S_j / T_j). */
const logErr = (s: readonly number[], t: readonly number[]): number[] => s.map((v, j) => Math.log(v / t[j]));
const met = (s: readonly number[], t: readonly number[], tol: number): boolean => s.every((v, j) => Math.abs(v - t[j]) <= tol * t[j]);

class Budget {
  readonly history: Evaluated[] = [];
  constructor(
    private readonly f: Objective,
    private readonly max: number,
  ) {}

  get left(): number {
    return this.max - this.history.length;
  }

  /** Evaluate at x; an OutsideDomain becomes a null statistic, any other error propagates. */
  async at(x: number[]): Promise<Evaluated> {
    let e: Evaluated;
    try {
      const s = await this.f(x);
      if (s.some((v) => !(v > 0) || !Number.isFinite(v)))
        throw new Error(`the statistic is ${s.join(', ')} at ${x.join(', ')}: expected positive numbers`);
      e = { x, s };
    } catch (err) {
      if (!(err instanceof OutsideDomain)) throw err;
      e = { x, s: null, reason: err.message };
    }
    this.history.push(e);
    return e;
  }
}

function ranges(h: readonly Evaluated[], k: number): [number, number][] {
  return Array.from({ length: k }, (_, j) => {
    const v = h.filter((e) => e.s).map((e) => e.s![j]);
    return [Math.min(...v), Math.max(...v)] as [number, number];
  });
}

/** Index of the evaluation with the smallest max_j |log(S_j/T_j)|. */
function closest(h: readonly Evaluated[], t: readonly number[]): number {
  let best = -1;
  let bv = Infinity;
  h.forEach((e, i) => {
    if (!e.s) return;
    const v = Math.max(...logErr(e.s, t).map(Math.abs));
    if (v < bv) {
      bv = v;
      best = i;
    }
  });
  return best;
}

/**
 * One target, any number of free settings moved by one common multiplier m (x = x0·m).
 * @param x0 the start (every value > 0)
 * @param target T > 0
 */
export async function solveOne(
  f: Objective,
  x0: readonly number[],
  target: number,
  o: SearchOptions = DEFAULT_SEARCH,
): Promise<SearchResult> {
  if (!(target > 0)) throw new Error(`target must be positive, got ${target}`);
  if (x0.some((v) => !(v > 0)))
    throw new Error(`start values must be positive (the search runs on their logarithms), got ${x0.join(', ')}`);
  const b = new Budget(f, o.maxEvals);
  const T = [target];
  const xOf = (u: number): number[] => x0.map((v) => v * Math.exp(u));
  // Points along u (log multiplier) with their g; null g = outside the domain.
  const pts: { u: number; g: number | null; i: number }[] = [];
  const evalU = async (u: number): Promise<number | null> => {
    const e = await b.at(xOf(u));
    const g = e.s ? Math.log(e.s[0] / target) : null;
    pts.push({ u, g, i: b.history.length - 1 });
    return g;
  };
  const done = (status: SearchStatus, message: string): SearchResult => {
    const best = closest(b.history, T);
    const ok = pts.filter((p) => p.g !== null).sort((p, q) => p.u - q.u);
    const gs = ok.map((p) => p.g!);
    const monotone = gs.every((g, k) => k === 0 || g >= gs[k - 1]) || gs.every((g, k) => k === 0 || g <= gs[k - 1]);
    return { status, best, history: b.history, elasticity: slopeNear(ok, best), range: ranges(b.history, 1), monotone, message };
  };

  const g0 = await evalU(0);
  if (g0 === null) throw new Error(`the start values ${x0.join(', ')} cannot be evaluated: ${b.history[0].reason}`);
  if (Math.abs(Math.expm1(g0)) <= o.tol) {
    // One more evaluation, 10 % up, for the local slope the MC interval needs.
    if (b.left > 0) await evalU(0.1);
    return done('found', 'the start already meets the target');
  }

  // ---- bracket: geometric steps, first in the direction elasticity +1 suggests ----------------------
  const lim = Math.log(o.maxFactor);
  let lo: { u: number; g: number } | null = null;
  let hi: { u: number; g: number } | null = null;
  const first = -g0; // u-step that elasticity 1 would need
  const dirs = [Math.sign(first) || 1, -(Math.sign(first) || 1)];
  search: for (const dir of dirs) {
    let prev = { u: 0, g: g0 };
    let h = Math.min(Math.max(Math.abs(first), 0.05), Math.log(4));
    let slope = dir === dirs[0] ? 1 : NaN;
    for (;;) {
      if (b.left <= 0) break search;
      // The secant step to the root and 20 % beyond when the last slope points at it, but at least
      // 1.5× the last step (geometric growth) and at most 8×.
      const want = Number.isFinite(slope) && slope !== 0 ? -prev.g / slope : NaN;
      const step = want * dir > 0 ? Math.min(Math.max(Math.abs(want) * 1.2, h), 8 * h) : h;
      let u = Math.max(-lim, Math.min(lim, prev.u + dir * step));
      if (u === prev.u) break;
      let g = await evalU(u);
      // Past the domain's edge (a share above 1): halve the step towards it, up to 4 times.
      for (let half = 0; g === null && half < 4 && b.left > 0; half++) {
        u = (prev.u + u) / 2;
        g = await evalU(u);
      }
      if (g === null) break; // the domain ends this way
      if (Math.sign(g) !== Math.sign(prev.g)) {
        [lo, hi] = prev.u < u ? [prev, { u, g }] : [{ u, g }, prev];
        break search;
      }
      if (Math.abs(g) >= Math.abs(prev.g)) break; // moving away (or flat): try the other way
      slope = (g - prev.g) / (u - prev.u);
      h = 1.5 * Math.abs(u - prev.u);
      prev = { u, g };
    }
  }
  if (!lo || !hi) {
    // The closest value inside the tried range: golden-section search on |g| around an interior
    // minimum (a U-shaped statistic); it may also find a sign change the coarse steps jumped over.
    const ok = pts.filter((p) => p.g !== null).sort((p, q) => p.u - q.u) as { u: number; g: number }[];
    const k = ok.reduce((m, p, i) => (Math.abs(p.g) < Math.abs(ok[m].g) ? i : m), 0);
    if (k > 0 && k < ok.length - 1 && Math.abs(ok[k - 1].g) > Math.abs(ok[k].g) && Math.abs(ok[k + 1].g) > Math.abs(ok[k].g)) {
      let a = ok[k - 1].u,
        c = ok[k].u,
        gc = ok[k].g,
        z = ok[k + 1].u;
      for (let it = 0; it < 6 && b.left > 0; it++) {
        const x = z - c > c - a ? c + 0.381966 * (z - c) : c - 0.381966 * (c - a);
        const g = await evalU(x);
        if (g === null) break;
        if (Math.sign(g) !== Math.sign(gc)) {
          [lo, hi] =
            x < c
              ? [
                  { u: x, g },
                  { u: c, g: gc },
                ]
              : [
                  { u: c, g: gc },
                  { u: x, g },
                ];
          break;
        }
        if (Math.abs(g) < Math.abs(gc)) {
          if (x > c) a = c;
          else z = c;
          c = x;
          gc = g;
        } else if (x > c) z = x;
        else a = x;
      }
    }
  }
  if (!lo || !hi) {
    const r = ranges(b.history, 1)[0];
    const tried = pts.map((p) => p.u);
    const span = `multipliers ${fmtNum(Math.exp(Math.min(...tried)))}–${fmtNum(Math.exp(Math.max(...tried)))} of the start`;
    const why = b.left <= 0 ? `within ${o.maxEvals} evaluations` : `over ${span}`;
    return done(
      b.left <= 0 ? 'not converged' : 'no sign change',
      `no value reaches the target ${fmtNum(target)} ${why}: the statistic ranged ${fmtNum(r[0])}–${fmtNum(r[1])}`,
    );
  }

  // ---- Brent's zeroin on [lo, hi] (Brent 1973, ch. 4) ---------------------------------------------------
  // As Numerical Recipes' zbrent: b is the best point, [b, c] the bracket, a the previous b.
  let a = lo.u,
    fa = lo.g,
    bb = hi.u,
    fb = hi.g;
  let c = bb,
    fc = fb;
  let d = 0,
    e = 0;
  for (;;) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = e = bb - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = bb;
      bb = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    if (Math.abs(Math.expm1(fb)) <= o.tol) return done('found', 'the target is met');
    if (b.left <= 0) return done('not converged', `the target is bracketed but not met within ${o.maxEvals} evaluations`);
    const tol1 = 2 * Number.EPSILON * Math.abs(bb) + 1e-12;
    const xm = 0.5 * (c - bb);
    if (Math.abs(xm) <= tol1)
      return done('not converged', 'the bracket shrank to nothing without meeting the tolerance (a jump in the statistic?)');
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Inverse quadratic interpolation, or the secant when only two points differ.
      let p: number, q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc,
          r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (bb - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = bb;
    fa = fb;
    bb += Math.abs(d) > tol1 ? d : Math.sign(xm) * tol1;
    const g = await evalU(bb);
    if (g === null)
      throw new Error(`the value at multiplier ${Math.exp(bb)} inside the bracket cannot be evaluated: ${b.history.at(-1)!.reason}`);
    fb = g;
  }
}

/**
 * d log S / d log m at the best point: the secant to the nearest evaluated point at least 1 % away
 * in m (the scale of a typical MC interval; a closer pair from Brent's last steps would read any
 * fine-scale roughness of S as slope), else to the nearest point.
 */
function slopeNear(ok: { u: number; g: number | null; i: number }[], best: number): number[][] | null {
  const bp = ok.find((p) => p.i === best);
  if (!bp) return null;
  const pool = ok.filter((p) => p.u !== bp.u).sort((p, q) => Math.abs(p.u - bp.u) - Math.abs(q.u - bp.u));
  if (pool.length === 0) return null;
  const n = pool.find((p) => Math.abs(p.u - bp.u) >= 0.01) ?? pool[0];
  return [[(n.g! - bp.g!) / (n.u - bp.u)]];
}

/**
 * k targets, k free settings: Broyden's method on u = log x. The Jacobian starts from forward
 * differences (step 0.1 in log x, i.e. about 10 %); a step is capped at a factor 4 per setting and
 * halved (up to 4 times) while it makes max_j |g_j| worse.
 */
export async function solveMany(
  f: Objective,
  x0: readonly number[],
  targets: readonly number[],
  o: SearchOptions = DEFAULT_SEARCH,
): Promise<SearchResult> {
  const k = targets.length;
  if (x0.length !== k)
    throw new Error(`${k} targets need ${k} free settings (got ${x0.length}); with one target, any number move by one multiplier`);
  if (targets.some((t) => !(t > 0))) throw new Error(`targets must be positive, got ${targets.join(', ')}`);
  if (x0.some((v) => !(v > 0)))
    throw new Error(`start values must be positive (the search runs on their logarithms), got ${x0.join(', ')}`);
  const b = new Budget(f, o.maxEvals);
  const norm = (g: number[]): number => Math.max(...g.map(Math.abs));
  const evalU = async (u: number[]): Promise<number[] | null> => {
    const e = await b.at(u.map(Math.exp));
    return e.s ? logErr(e.s, targets) : null;
  };
  const done = (status: SearchStatus, message: string, J: number[][] | null): SearchResult => ({
    status,
    best: closest(b.history, targets),
    history: b.history,
    elasticity: J,
    range: ranges(b.history, k),
    monotone: null,
    message,
  });

  let u = x0.map(Math.log);
  let g = await evalU(u);
  if (!g) throw new Error(`the start values ${x0.join(', ')} cannot be evaluated: ${b.history[0].reason}`);
  // J[j][i] = ∂g_j/∂u_i by forward differences.
  const J: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  if (met(b.history[0].s!, targets, o.tol)) return done('found', 'the start already meets the targets', null);
  for (let i = 0; i < k; i++) {
    let h = 0.1;
    let gi = await evalU(u.map((v, m) => (m === i ? v + h : v)));
    if (!gi) {
      h = -0.1;
      gi = await evalU(u.map((v, m) => (m === i ? v + h : v)));
    }
    if (!gi) return done('not converged', `free setting ${i + 1} cannot move 10 % either way: ${b.history.at(-1)!.reason}`, null);
    for (let j = 0; j < k; j++) J[j][i] = (gi[j] - g[j]) / h;
  }
  const isMet = (gg: number[]): boolean => gg.every((v) => Math.abs(Math.expm1(v)) <= o.tol);
  for (;;) {
    if (isMet(g)) return done('found', 'the targets are met', J);
    if (b.left <= 0) return done('not converged', `the targets are not met within ${o.maxEvals} evaluations`, J);
    const step = solveLinear(
      J,
      g.map((v) => -v),
    );
    if (!step)
      return done(
        'singular',
        'the free settings do not move the targets independently (the Jacobian is singular): free fewer settings, or different ones',
        J,
      );
    const cap = Math.max(...step.map(Math.abs)) / Math.log(4);
    let du = cap > 1 ? step.map((v) => v / cap) : step;
    let gn: number[] | null = null;
    for (let half = 0; half <= 4 && b.left > 0; half++) {
      gn = await evalU(u.map((v, i) => v + du[i]));
      if (gn && norm(gn) < norm(g)) break;
      du = du.map((v) => v / 2);
    }
    if (!gn || norm(gn) >= norm(g)) {
      return done('not converged', 'no step along the Broyden direction improves the fit (the targets may be out of reach together)', J);
    }
    // Broyden's update: J ← J + (Δg − J·Δu) Δuᵀ / (Δuᵀ Δu).
    const dg = gn.map((v, j) => v - g![j]);
    const dd = du.reduce((acc, v) => acc + v * v, 0);
    for (let j = 0; j < k; j++) {
      const r = dg[j] - J[j].reduce((acc, v, i) => acc + v * du[i], 0);
      for (let i = 0; i < k; i++) J[j][i] += (r * du[i]) / dd;
    }
    u = u.map((v, i) => v + du[i]);
    g = gn;
  }
}

/** Solve A x = b by Gaussian elimination with partial pivoting; null when A is (nearly) singular. */
export function solveLinear(A: readonly number[][], b: readonly number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  const scale = Math.max(...A.flat().map(Math.abs));
  if (!(scale > 0)) return null;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) <= 1e-10 * scale) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const m = M[r][c] / M[c][c];
      for (let q = c; q <= n; q++) M[r][q] -= m * M[c][q];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let q = r + 1; q < n; q++) s -= M[r][q] * x[q];
    x[r] = s / M[r][r];
  }
  return x;
}

/**
 * The free values consistent with the target given the MC SE of the statistic at the solution,
 * through the local elasticity: |log S − log T| ≤ z·se/S ⇔ |log m − log m*| ≤ z·(se/S)/|ε|, so the
 * interval is x*·exp(∓z·(se/S)/|ε|) (one multiplier: every free value shares it). null when ε ≈ 0.
 */
export function intervalOne(
  found: readonly number[],
  s: number,
  mcSe: number,
  elasticity: number,
  z = 1.959963984540054,
): [number, number][] | null {
  if (!(Math.abs(elasticity) > 1e-9) || !Number.isFinite(elasticity)) return null;
  const du = (z * (mcSe / s)) / Math.abs(elasticity);
  return found.map((v) => [v * Math.exp(-du), v * Math.exp(du)]);
}

/**
 * k targets: δu = J⁻¹ δg with δg_j of sd se_j/S_j, taken as independent across targets (disjoint
 * subgroups are; overlapping estimands are positively correlated, which this ignores), so
 * Var δu_i = Σ_j (J⁻¹)_ij² (se_j/S_j)², and the interval is x_i·exp(∓z·sd(δu_i)).
 */
export function intervalMany(
  found: readonly number[],
  s: readonly number[],
  mcSe: readonly number[],
  J: readonly number[][],
  z = 1.959963984540054,
): [number, number][] | null {
  const k = found.length;
  const inv: number[][] = [];
  for (let j = 0; j < k; j++) {
    const col = solveLinear(
      J,
      Array.from({ length: k }, (_, m) => (m === j ? 1 : 0)),
    );
    if (!col) return null;
    inv.push(col); // column j of J⁻¹
  }
  return found.map((v, i) => {
    let vr = 0;
    for (let j = 0; j < k; j++) vr += inv[j][i] ** 2 * (mcSe[j] / s[j]) ** 2;
    const du = z * Math.sqrt(vr);
    return [v * Math.exp(-du), v * Math.exp(du)];
  });
}

export function fmtNum(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(1) : Number(x.toPrecision(4)).toString();
}
