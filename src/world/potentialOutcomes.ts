/**
 * Y(0) and Y(1) for a cohort over the panel's periods: latent index (stream `noise`), effects with unit
 * multipliers (stream `effects`), cell-level outcome noise (stream `outcome`), unit population sizes for
 * share outcomes (stream `units`).
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import type { Cohort } from '../design/cohort.js';
import { fillEffects, unitMultipliers } from './effects.js';
import { fillLatent } from './latent.js';
import { fillOutcomes, outcomeModel, type OutcomeModel } from './outcome.js';
import { randomNormal } from '../random/normal.js';

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
}

export function potentialOutcomes(
  s: ResolvedScenario,
  cohort: Cohort,
  periods: Float64Array,
  rng: { noise: Rng; effects: Rng; outcome: Rng; units: Rng },
): PotentialOutcomes {
  const n = cohort.people.n;
  const T = periods.length;
  const cells = n * T;
  const tau = new Float64Array(cells);
  const mult = unitMultipliers(rng.effects, s.effect, s.population, cohort.rank, cohort.people.covariates);
  fillEffects(s.effect, periods, cohort.start, mult, tau);
  const eta = new Float64Array(cells);
  fillLatent(rng.noise, s.outcome, s.population, cohort.people.covariates, cohort.people.level, T, eta);
  let unitSize: Float64Array | undefined;
  if (s.outcome.type === 'share') {
    const { median, sdlog } = s.outcome.unit_size;
    const z = randomNormal(rng.units, 0, 1);
    unitSize = Float64Array.from({ length: n }, () => Math.max(1, Math.round(median * Math.exp(sdlog * z()))));
  }
  const y0 = new Float64Array(cells);
  const y1 = new Float64Array(cells);
  fillOutcomes(rng.outcome, modelFor(s), eta, tau, n, y0, y1, unitSize);
  return { y0, y1 };
}
