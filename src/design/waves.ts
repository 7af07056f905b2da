import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import type { Cohort, RecruitmentSummary } from './cohort.js';
import type { People } from '../world/covariates.js';

export function surveyWaves(_rng: Rng, _m: NonNullable<ResolvedScenario['measurement']>, _c: Cohort, _p: Float64Array, _y0: Float64Array, _y1: Float64Array): { y0: Float64Array; y1: Float64Array; y: Float64Array; people: People; group: Float64Array; summary: RecruitmentSummary; periods: Float64Array } {
  throw new Error('measurement: not implemented yet');
}
