/**
 * Y(0) and Y(1) for a cohort over the panel's periods: latent index and cell-level outcome noise from
 * each unit's own stream (unitStreams, seeded in unit order from stream `unit`, so a unit's outcomes do
 * not depend on how many units the draw has: common random numbers along recruitment axes), effects with unit multipliers (stream `effects`), unit
 * population sizes for share outcomes (stream `units`).
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import type { RecruitedSample } from '../design/recruited-sample.js';
import { EffectRows, unitMultipliers } from './effects.js';
import { LatentRows } from './latent.js';
import { fillOutcomeRow, outcomeModel, type OutcomeModel } from './outcome.js';
import { randomNormal } from '../random/normal.js';
import { UnitStreams } from '../random/stream.js';
import { resampledOutcomes } from './resample-outcomes.js';

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
  /** Observed: Y(1) for units that start (cohort.start finite), else Y(0) (equal to their Y(1)). */
  y: Float64Array;
}

/**
 * Y(0), Y(1) (periods × units), generated period by period: η and τ of one period at a time, so the
 * draw holds only its outputs (memory proportional to one draw, no panel-sized scratch arrays).
 */
export function potentialOutcomes(
  s: ResolvedScenario,
  cohort: RecruitedSample,
  periods: Float64Array,
  rng: { unit: Rng; effects: Rng; units: Rng },
): PotentialOutcomes {
  if (s.population.from_panel) return resampledOutcomes(s, cohort, periods, rng); // paths of a real panel
  const n = cohort.people.n;
  const T = periods.length;
  const mult = unitMultipliers(rng.effects, s.effect, s.population, cohort.rank, cohort.people.covariates);
  const effects = new EffectRows(s.effect, periods, cohort.start, mult);
  const us = new UnitStreams(rng.unit, n);
  const latent = new LatentRows(us, s.outcome, s.population, cohort.people.covariates, cohort.people.level);
  let unitSize: Float64Array | undefined;
  if (s.outcome.type === 'share') {
    const { median, sdlog } = s.outcome.unit_size;
    const z = randomNormal(rng.units, 0, 1);
    unitSize = Float64Array.from({ length: n }, () => Math.max(1, Math.round(median * Math.exp(sdlog * z()))));
  }
  // A persistent binary effect (effect.persistence): each unit's own normal, in unit order from `units`
  // (unused by binary outcomes otherwise).
  let effectLevel: Float64Array | undefined;
  if (s.outcome.type === 'binary' && s.effect.persistence > 0) {
    const z = randomNormal(rng.units, 0, 1);
    effectLevel = Float64Array.from({ length: n }, () => z());
  }
  // Persistent amounts (earnings, count): each unit's own standard normal, in unit order from `units`
  // (unused by these types otherwise), so unit i's level does not depend on how many units there are.
  let amountLevel: Float64Array | undefined;
  if ((s.outcome.type === 'earnings' || s.outcome.type === 'count') && s.outcome.amount_persistence > 0) {
    const z = randomNormal(rng.units, 0, 1);
    amountLevel = Float64Array.from({ length: n }, () => z());
  }
  const model = modelFor(s);
  const eta = new Float64Array(n);
  const tau = new Float64Array(n);
  const y0 = new Float64Array(n * T);
  const y1 = new Float64Array(n * T);
  for (let t = 0; t < T; t++) {
    latent.next(eta);
    effects.row(t, tau);
    fillOutcomeRow(us, model, eta, tau, effects.empty, y0, y1, t * n, unitSize, amountLevel, effectLevel, s.effect.persistence);
  }
  // Observed = Y(1) for units with a start and Y(0) for the rest; a unit without a start never gets an
  // effect, so its Y(1) is its Y(0) and the observed panel is Y(1) cell for cell.
  return { y0, y1, y: y1.slice() };
}
