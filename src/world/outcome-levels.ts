/**
 * The unit levels of a scenario's further outcomes (the second, third, … of `outcomes:`): standard
 * normals that continue the Gaussian copula of world/covariates.ts. The copula orders its variables
 * covariates, `level` (the first outcome), then the further outcomes, so with the lower Cholesky
 * factor L of the full correlation matrix and the people's own independent normals e (drawPeople),
 *   level_j,i = Σ_{m ≤ k} L[j,m] e_i,m + Σ_{k < m ≤ j} L[j,m] f_i,m ,
 * where f_m are fresh independent normals of outcome m, drawn in unit order from a stream keyed by
 * that outcome's name. Covariates and the first outcome's level are untouched, and an outcome's level
 * depends only on the outcomes listed before it that it is correlated with.
 */
import type { Rng } from '../random/stream.js';
import { randomNormal } from '../random/normal.js';
import { copulaFactor, type People, type PopulationSpec } from './covariates.js';

/**
 * The standard-normal unit level of every outcome, in list order; the first is people.level itself.
 * @param streamOf the stream of one outcome's own normals (the generator keys it by the outcome's name)
 * @throws {Error} when there are further outcomes but the people carry no copula normals
 */
export function outcomeLevels(
  streamOf: (name: string) => Rng,
  spec: PopulationSpec,
  outcomes: readonly string[],
  people: People,
): Float64Array[] {
  const levels = [people.level];
  if (outcomes.length <= 1) return levels;
  const { names, L } = copulaFactor(spec, outcomes);
  const K = names.length;
  const k0 = K - (outcomes.length - 1);
  const n = people.n;
  const e = people.innovations;
  if (!e || e.length !== n * k0)
    throw new Error(`several outcomes need the people's copula normals (${k0} per person), which this population does not carry`);
  const fresh: Float64Array[] = [];
  for (let j = 1; j < outcomes.length; j++) {
    const z = randomNormal(streamOf(outcomes[j]), 0, 1);
    const f = Float64Array.from({ length: n }, () => z());
    fresh.push(f);
    const row = (k0 + j - 1) * K;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let m = 0; m < k0; m++) v += L[row + m] * e[i * k0 + m];
      for (let m = 1; m <= j; m++) v += L[row + k0 + m - 1] * fresh[m - 1][i];
      out[i] = v;
    }
    levels.push(out);
  }
  return levels;
}
