/**
 * A fake simulation with a known sampling distribution, for testing the engine and the diagnosands.
 *
 * Per draw and estimand: sample truth θ_d = μ + τ·Z₁ (τ = truthSd), estimate θ̂ = θ_d + σ·Z₂ with
 * reported se = σ·seScale. So against the sample truth: bias 0, RMSE σ, coverage 0.95 when seScale = 1;
 * against the population truth μ: SD √(σ² + τ²). Randomness only from streamFor(seed, point, draw, …).
 */
import { streamFor, type Rng } from '../../../src/random/stream.js';
import type { DrawRecord, Simulation } from '../../../src/engine/simulation.js';
import { estimandId } from '../../../src/diagnosis/estimand-id.js';
import type { AnalyticSpec } from '../../../src/diagnosis/analytic-rows.js';

export interface FakePoint {
  mu: number;
  sigma: number;
  truthSd?: number;
  seScale?: number;
  /** Share of draws (per estimand) not identified. */
  missing?: number;
}

export interface FakeArgs {
  points: FakePoint[];
  alpha?: number;
  estimators?: string[];
  /** Event-time estimands 0..events−1 besides the overall one. */
  events?: number;
  /** Throw inside the draw (to test error reporting). */
  failAt?: { point: number; draw: number };
  /** Busy-wait this long per draw (to test speed-up and kill/resume on slow draws). */
  busyMs?: number;
  /** Common random numbers: every point uses point 0's streams (as the real scenario simulation does). */
  crn?: boolean;
  /** Analytic rows' specs handed to the engine as the simulation's own (diagnosis/analytic-rows.ts). */
  analytic?: AnalyticSpec[];
}

function normal(rng: Rng): number {
  // Box–Muller; 1 − u keeps the log finite.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function createSimulation(args: FakeArgs): Simulation {
  const estimators = args.estimators ?? ['fake'];
  const estimands = [estimandId('simple'), ...Array.from({ length: args.events ?? 0 }, (_, e) => estimandId('dynamic', e))];
  return {
    points: args.points.map((p, index) => ({ index, settings: { 'effects.size': p.mu, sigma: p.sigma } })),
    estimators,
    alpha: args.alpha ?? 0.05,
    ...(args.analytic ? { analytic: args.analytic } : {}),
    runDraw(seed, point, draw): DrawRecord[] {
      if (args.failAt && args.failAt.point === point && args.failAt.draw === draw) {
        throw new RangeError('fake failure inside the estimator');
      }
      if (args.busyMs) {
        const until = performance.now() + args.busyMs;
        while (performance.now() < until);
      }
      const p = args.points[point];
      const out: DrawRecord[] = [];
      for (const estimator of estimators) {
        const rng = streamFor(seed, args.crn ? 0 : point, draw, `fake:${estimator}`);
        for (const estimand of estimands) {
          const truth = p.mu + (p.truthSd ?? 0) * normal(rng);
          const est = truth + p.sigma * normal(rng);
          const missing = rng() < (p.missing ?? 0);
          out.push(
            missing
              ? { estimator, estimand, estimate: null, se: null, reason: 'no comparison units', truth, popTruth: p.mu }
              : { estimator, estimand, estimate: est, se: p.sigma * (p.seScale ?? 1), truth, popTruth: p.mu },
          );
        }
      }
      return out;
    },
  };
}
