/**
 * How big a scenario is before anything is built: its design points (the product of the axis
 * lengths) and the memory one draw needs (units × periods × the arrays a draw holds), from the largest
 * value of every axis. Refused above the limits of size-limits.ts, with what it would need.
 */
import { Axis } from './axis.js';
import type { ScenarioProblem } from './errors.js';
import { findAxes } from './grid.js';
import type { Scenario } from './schema.js';
import { formatCount, gridTooLarge, memoryTooLarge } from './size-limits.js';

/** The largest value a numeric setting takes over the grid. */
function most(v: number | Axis<number> | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  return v instanceof Axis ? Math.max(...v.values) : v;
}
function least(v: number | Axis<number>): number {
  return v instanceof Axis ? Math.min(...v.values) : v;
}

export interface DrawSize {
  /** Units a draw holds at most (people referred, the fixed population, participants and references). */
  units: number;
  /** The key that sets the number of units, for the message. */
  unitsPath: string;
  periods: number;
  /** Bytes of the draw's per-unit-period arrays (Y(0), Y(1) per outcome, the observed panel, the estimators' copy). */
  bytes: number;
  /** The draw's shape in words when it is not units × periods (clusters designs: person-periods). */
  what?: string;
}

/**
 * The size of one draw. Waitlist designs draw people as they are referred: at most referrals × the
 * recruitment window, or about twice the target over the consenting share when a target stops it.
 */
export function drawSize(s: Scenario): DrawSize {
  const d = s.design;
  let units = most(s.population.size);
  let unitsPath = 'population.size';
  if (d.type === 'waitlist') {
    const r = d.recruitment;
    const window = Math.max(0, r.to - r.from + 1);
    units = most(r.referrals) * window;
    unitsPath = 'design.recruitment.referrals';
    const target = Math.max(most(r.target), most(r.target_cut?.to));
    const kept = least(r.consent) * (1 - most(r.exclusion));
    if (Number.isFinite(target) && kept > 0) units = Math.min(units, (2 * target) / kept + 10 * window);
  } else if (d.type === 'matched') {
    units = (Number.isFinite(units) ? units : 0) + most(d.references.size);
  } else if (d.type === 'clusters') {
    return clusterDrawSize(s, d);
  }
  if (!Number.isFinite(units)) units = 0; // from_panel without a size: the panel's own units, already read
  const periods = s.periods.count;
  const arrays = 2 + 2 * s.outcomes.length; // Y(0), Y(1) per outcome, the panel's y, one estimator copy
  const perUnit = 8 * (16 + Object.keys(s.population.covariates).length);
  return { units, unitsPath, periods, bytes: units * periods * arrays * 8 + units * perUnit };
}

/**
 * A clusters draw holds cluster × period cells (Y(0), Y(1), y, cell size and SS per outcome), and its
 * world draws every person-period: clusters × mean cluster size × periods, counted at two numbers
 * (Y(0), Y(1)) each, so a billion people are refused before anything is allocated.
 */
function clusterDrawSize(s: Scenario, d: Extract<Scenario['design'], { type: 'clusters' }>): DrawSize {
  const G = most(d.clusters);
  const periods = s.periods.count;
  const people = G * most(d.cluster_size.mean);
  const cells = G * periods * (2 + 5 * s.outcomes.length) * 8;
  return {
    units: G,
    unitsPath: most(d.cluster_size.mean) >= G ? 'design.cluster_size.mean' : 'design.clusters',
    periods,
    bytes: cells + people * periods * 16 + G * 8 * (16 + Object.keys(s.population.covariates).length),
    what: `${formatCount(G)} clusters × ${formatCount(most(d.cluster_size.mean))} people × ${formatCount(periods)} periods (${formatCount(people * periods)} person-periods)`,
  };
}

/** The grid and one draw against their limits: a problem each that is too large, none otherwise. */
export function sizeProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const axes = findAxes(s);
  const grid = gridTooLarge(axes);
  if (grid) out.push({ path: axes[0].path, ...grid });
  const z = drawSize(s);
  const why = memoryTooLarge(z.bytes, z.what ?? `${formatCount(z.units)} units × ${formatCount(z.periods)} periods`);
  if (why) {
    const path = z.periods > 10_000 ? 'periods.count' : z.unitsPath;
    out.push({ path, expected: 'a draw that fits in memory (fewer units or periods)', found: why });
  }
  return out;
}
