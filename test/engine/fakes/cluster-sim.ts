/**
 * The normal fake (normal-sim.ts) with each draw's recruitment as a clusters design writes it: 16
 * clinics in 4 waves of 4 (months 4, 7, 10, 13), none never starting, draw d losing d % 3 === 0 ? 1 : 0
 * clinics, 400 people a clinic and month for 24 months. For the report's rollout section and the
 * few-cluster warning, end to end through the engine and the draws file.
 */
import type { DrawOutput, DrawRecruitment, Simulation } from '../../../src/engine/simulation.js';
import { createSimulation as normalSimulation, type FakeArgs } from './normal-sim.js';

export function clusterRecruitment(draw: number): DrawRecruitment {
  const starts = [4, 7, 10, 13];
  return {
    design: 'clusters',
    periods: starts,
    referred: starts.map(() => 0),
    consented: starts.map(() => 0),
    excluded: starts.map(() => 0),
    enrolled: starts.map(() => 4),
    totals: { clusters: 16, never: 0, dropped: draw % 3 === 0 ? 1 : 0, people_per_period: 6400, person_periods: 153600 },
    groups: starts.map((s) => [s, 4] as [number, number]),
    notes: {},
  };
}

export function createSimulation(args: FakeArgs): Simulation {
  const sim = normalSimulation(args);
  return {
    ...sim,
    runDrawOutput(seed: string, point: number, draw: number): DrawOutput {
      return { records: sim.runDraw(seed, point, draw), recruitment: clusterRecruitment(draw) };
    },
  };
}
