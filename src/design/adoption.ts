import type { ResolvedScenario } from '../scenario/grid.js';
import type { Rng } from '../random/stream.js';
import type { Cohort } from './cohort.js';

export function adoptionCohort(_s: ResolvedScenario, _d: Extract<ResolvedScenario['design'], { type: 'adoption' }>, _rng: Record<string, Rng>): Cohort {
  throw new Error('design adoption: not implemented yet');
}
