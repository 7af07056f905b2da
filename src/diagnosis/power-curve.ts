/**
 * Power curves along one numeric axis and the value where power reaches a target (minimum detectable
 * effect, months of recruitment needed, …), with Monte Carlo uncertainty from a bootstrap over draws.
 *
 * Input is a draws × values matrix of rejection indicators from common random numbers (draw d of every
 * value uses the same streams), so resampling whole draws keeps the correlation along the curve and the
 * bootstrap spread is the answer's honest Monte Carlo error. Memory: one byte per draw × value.
 */
import type { Rng } from '../random/stream.js';
import { normalQuantile } from './normal.js';

/** A draw whose truth does not define the estimand at that value: not counted in the power's denominator. */
export const NOT_DEFINED = 255;

export interface CurvePoint {
  value: number;
  power: number;
  /** √(p(1 − p)/S) */
  mcSe: number;
}

export interface Crossing {
  /** The axis value where the interpolated curve first reaches the target; null when it never does. */
  value: number | null;
  /** 'found', or why not: the curve is already above the target at the first value, or never reaches it. */
  status: 'found' | 'above at every value' | 'below at every value';
}

export interface MdeResult extends Crossing {
  target: number;
  curve: CurvePoint[];
  /** Bootstrap SD of the crossing and its percentile interval (95 %), over replicates that cross. */
  mcSe: number | null;
  interval: [number, number] | null;
  /** Share of bootstrap replicates whose curve does not reach the target within the axis range. */
  notReached: number;
  replicates: number;
  /** On a whole-number axis (clusters, waves, people): the planner's answer (wholeNumberAnswer). */
  whole?: WholeAnswer;
}

/**
 * The answer on a whole-number axis: a planner recruits 20 clinics, not 19.3. It is the first whole
 * number at or past the interpolated crossing in the direction power grows (the smallest number of
 * clusters with power ≥ target on a rising curve; the largest value on a falling one); the
 * interpolated crossing stays in MdeResult.value for information.
 */
export interface WholeAnswer {
  value: number;
  /** +1 when power rises along the axis (the answer is a ceiling), −1 when it falls (a floor). */
  direction: 1 | -1;
  /**
   * True when both the answer and its neighbour towards lower power were simulated (power at the
   * answer ≥ target, at the neighbour below it): the answer is then read off the run, not interpolated.
   */
  bracketed: boolean;
  /** Simulated power at the answer, when it was run. */
  power: CurvePoint | null;
  /** The whole numbers at the ends of the crossing's 95 % MC interval (same rounding). */
  interval: [number, number] | null;
}

/** The whole-number answer of a crossing (null when the curve does not cross). */
export function wholeNumberAnswer(r: Pick<MdeResult, 'value' | 'curve' | 'target' | 'interval'>): WholeAnswer | null {
  if (r.value === null || r.curve.length === 0) return null;
  const direction: 1 | -1 = r.curve[r.curve.length - 1].power >= r.curve[0].power ? 1 : -1;
  // The slack keeps a crossing that lands on a grid value (f = 1 in crossing()) on that value.
  const round = (x: number): number => (direction === 1 ? Math.ceil(x - 1e-9) : Math.floor(x + 1e-9));
  const value = round(r.value);
  const at = (x: number) => r.curve.find((c) => c.value === x) ?? null;
  const power = at(value);
  const below = at(value - direction);
  return {
    value,
    direction,
    bracketed: power !== null && power.power >= r.target && below !== null && below.power < r.target,
    power,
    interval: r.interval ? [round(r.interval[0]), round(r.interval[1])] : null,
  };
}

/**
 * Where the curve through (x_k, p_k), x ascending, first crosses `target` in the direction power grows
 * (rising curves scan up, falling ones scan down). Interpolation is linear on the probit scale, where
 * power Φ(θ/se − z) is close to linear in the effect, so a coarse grid does not bias the answer the way
 * linear interpolation of power would (with steps of 1 SE, by ~0.08 SE at 80 %).
 * @param draws draws behind each p (shares of 0 or 1 are moved to 0.5/n from the edge before the probit)
 */
export function crossing(xs: readonly number[], ps: readonly number[], target: number, draws = 1e6): Crossing {
  const n = xs.length;
  const rising = ps[n - 1] >= ps[0];
  const order = rising ? [...xs.keys()] : [...xs.keys()].reverse();
  if (ps[order[0]] >= target) return { value: null, status: 'above at every value' };
  for (let k = 1; k < n; k++) {
    const a = order[k - 1];
    const b = order[k];
    if (ps[b] >= target) {
      const probit = (p: number): number => normalQuantile(Math.min(1 - 0.5 / draws, Math.max(0.5 / draws, p)));
      const f = (probit(target) - probit(ps[a])) / (probit(ps[b]) - probit(ps[a]));
      return { value: xs[a] + f * (xs[b] - xs[a]), status: 'found' };
    }
  }
  return { value: null, status: 'below at every value' };
}

/**
 * @param rejected draws × values, row-major (rejected[d * V + v] = 1 when draw d rejects at value v, 0
 *   when it does not or is not identified, NOT_DEFINED when the draw has no such estimand); power at a
 *   value is the share of its defined draws that reject (diagnosis' definition)
 * @param rng the bootstrap's stream (streamFor(seed, 0, 0, 'mde bootstrap'))
 * @example mde(Uint8Array.of(0,1, 1,1), 2, [0, 1], 0.8, rng, 1000)
 */
export function mde(rejected: Uint8Array, draws: number, xs: readonly number[], target: number, rng: Rng, replicates = 1000): MdeResult {
  const V = xs.length;
  if (V < 2) throw new Error('a power curve needs at least two values of the axis');
  if (rejected.length !== draws * V) throw new Error(`mde: ${rejected.length} indicators for ${draws} draws × ${V} values`);
  const counts = new Float64Array(V);
  const defined = new Float64Array(V);
  const add = (d: number): void => {
    for (let v = 0; v < V; v++) {
      const r = rejected[d * V + v];
      if (r === NOT_DEFINED) continue;
      counts[v] += r;
      defined[v] += 1;
    }
  };
  const powerOf = (): number[] => Array.from(counts, (c, v) => (defined[v] > 0 ? c / defined[v] : 0));
  for (let d = 0; d < draws; d++) add(d);
  const ps = powerOf();
  const curve = xs.map((value, v) => ({ value, power: ps[v], mcSe: defined[v] > 0 ? Math.sqrt((ps[v] * (1 - ps[v])) / defined[v]) : NaN }));
  const point = crossing(xs, ps, target, draws);

  const found: number[] = [];
  for (let b = 0; b < replicates; b++) {
    counts.fill(0);
    defined.fill(0);
    for (let k = 0; k < draws; k++) add(Math.floor(rng() * draws));
    const c = crossing(xs, powerOf(), target, draws);
    if (c.value !== null) found.push(c.value);
  }
  found.sort((a, b) => a - b);
  const m = found.reduce((s, x) => s + x, 0) / found.length;
  const sd = found.length > 1 ? Math.sqrt(found.reduce((s, x) => s + (x - m) ** 2, 0) / (found.length - 1)) : null;
  const q = (p: number): number => found[Math.min(found.length - 1, Math.max(0, Math.round(p * (found.length - 1))))];
  return {
    ...point,
    target,
    curve,
    mcSe: point.value === null ? null : sd,
    interval: point.value === null || found.length < 2 ? null : [q(0.025), q(0.975)],
    notReached: 1 - found.length / replicates,
    replicates,
  };
}
