/**
 * Y(0) and Y(1) for a cohort over the panel's periods: latent index and cell-level outcome noise from
 * each unit's own stream (unitStreams, seeded in unit order from stream `unit`, so a unit's outcomes do
 * not depend on how many units the draw has: common random numbers along recruitment axes), effects with unit multipliers (stream `effects`), unit
 * population sizes for share outcomes (stream `units`).
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import type { Cohort } from '../design/cohort.js';
import { EffectRows, unitMultipliers } from './effects.js';
import { LatentRows } from './latent.js';
import { fillOutcomeRow, outcomeModel, type OutcomeModel } from './outcome.js';
import { randomNormal } from '../random/normal.js';
import { unitStreams } from '../random/stream.js';

const models = new WeakMap<object, OutcomeModel>();

/** The outcome model of a design point, computed once and cached on the resolved scenario. */
export function modelFor(s: ResolvedScenario): OutcomeModel {
  let m = models.get(s);
  if (!m) {
    m = outcomeModel(s.outcome, s.population);
    models.set(s, m);
  }
  return m;
}

export interface PotentialOutcomes {
  y0: Float64Array;
  y1: Float64Array;
  /** Observed: Y(1) for units in a start group (cohort.group ≠ 0), else Y(0). */
  y: Float64Array;
}

/**
 * Y(0), Y(1) (periods × units), generated period by period: η and τ of one period at a time, so the
 * draw holds only its outputs (memory proportional to one draw, no panel-sized scratch arrays).
 */
export function potentialOutcomes(
  s: ResolvedScenario,
  cohort: Cohort,
  periods: Float64Array,
  rng: { unit: Rng; effects: Rng; units: Rng },
): PotentialOutcomes {
  const n = cohort.people.n;
  const T = periods.length;
  const mult = unitMultipliers(rng.effects, s.effect, s.population, cohort.rank, cohort.people.covariates);
  const effects = new EffectRows(s.effect, periods, cohort.start, mult);
  const unitRngs = unitStreams(rng.unit, n);
  const latent = new LatentRows(unitRngs, s.outcome, s.population, cohort.people.covariates, cohort.people.level);
  let unitSize: Float64Array | undefined;
  if (s.outcome.type === 'share') {
    const { median, sdlog } = s.outcome.unit_size;
    const z = randomNormal(rng.units, 0, 1);
    unitSize = Float64Array.from({ length: n }, () => Math.max(1, Math.round(median * Math.exp(sdlog * z()))));
  }
  const model = modelFor(s);
  const eta = new Float64Array(n);
  const tau = new Float64Array(n);
  const y0 = new Float64Array(n * T);
  const y1 = new Float64Array(n * T);
  const y = new Float64Array(n * T);
  const g = cohort.group;
  for (let t = 0; t < T; t++) {
    const off = t * n;
    latent.next(eta);
    effects.row(t, tau);
    fillOutcomeRow(unitRngs, model, eta, tau, effects.empty, y0, y1, off, unitSize);
    for (let i = 0; i < n; i++) y[off + i] = g[i] === 0 ? y0[off + i] : y1[off + i];
  }
  return { y0, y1, y };
}
