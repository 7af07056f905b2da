import type { ResolvedScenario } from '../scenario/grid.js';
import type { Rng } from '../random/stream.js';
import type { Cohort } from './cohort.js';

export function quotaCohort(_s: ResolvedScenario, _d: Extract<ResolvedScenario['design'], { type: 'quota_lists' }>, _rng: Record<string, Rng>): Cohort {
  throw new Error('design quota_lists: not implemented yet');
}
