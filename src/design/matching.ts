import type { ResolvedScenario } from '../scenario/grid.js';
import type { Rng } from '../random/stream.js';
import type { Cohort } from './cohort.js';

export function matchedCohort(_s: ResolvedScenario, _d: Extract<ResolvedScenario['design'], { type: 'matched' }>, _rng: Record<string, Rng>): Cohort {
  throw new Error('design matched: not implemented yet');
}
