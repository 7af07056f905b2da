/**
 * A simulation whose panel is the same in every draw, estimated by estimators that draw random
 * numbers: Callaway & Sant'Anna with a multiplier bootstrap and the difference in means with a Fisher
 * randomisation test, each handed the draw's own stream (streamFor(seed, 0, d, 'estimate:NAME'), as
 * engine/scenario-simulation.ts does). So whatever differs between draws comes from those streams.
 */
import { streamFor } from '../../../src/random/stream.js';
import type { DrawRecord, Simulation } from '../../../src/engine/simulation.js';
import { recordsFor } from '../../../src/engine/records.js';
import { didEstimator } from '../../../src/estimators/did/index.js';
import { dimEstimator } from '../../../src/estimators/rct/index.js';
import { synthPanel } from '../../estimators/helpers.js';

export function createSimulation(): Simulation {
  const groups = Array.from({ length: 120 }, (_, i) => [0, 4, 6][i % 3]);
  const panel = synthPanel({ seed: 'inference-sim', groups, T: 7, effect: () => 0.4 });
  const estimators = [
    {
      est: didEstimator({ name: 'cs_boot', bootstrap: 49, control: 'never', method: 'reg', aggregations: ['simple', 'dynamic'] }),
      types: ['simple', 'dynamic'] as const,
    },
    { est: dimEstimator({ name: 'dim_fisher', permutations: 49, horizon: 0 }), types: ['simple'] as const },
  ];
  return {
    points: [{ index: 0, settings: {} }],
    estimators: estimators.map((e) => e.est.name),
    alpha: 0.05,
    runDraw(seed, _point, draw): DrawRecord[] {
      return estimators.flatMap(({ est, types }) => {
        const e = est.estimate(panel, streamFor(seed, 0, draw, `estimate:${est.name}`));
        return recordsFor(est.name, types, e, e, null);
      });
    },
  };
}
