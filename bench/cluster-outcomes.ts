/**
 * Cluster-world speed (issue 15): ms per draw of clusterOutcomes for 24 clusters × 400 people × 24
 * periods (230,400 person-periods; the issue's ≥ 20 draws/s on 2 cores for hh + did leaves the world
 * well under 40 ms), for each outcome type and sampling. Run: node dist/bench/run.js cluster-outcomes.
 */
import { fileURLToPath } from 'node:url';
import { streamFor } from '../src/random/stream.js';
import { clusterOutcomes, type ClusterFrame } from '../src/world/cluster-outcomes.js';
import { worldPoint } from '../test/helpers/world.js';

const G = 24;
const T = 24;
const N = 400;

function frame(sampling: ClusterFrame['sampling'], churn: number): ClusterFrame {
  // Six waves of four clusters starting in periods 4, 7, …, 19.
  const start = Float64Array.from({ length: G }, (_, j) => 4 + 3 * Math.floor(j / 4));
  return {
    G,
    start,
    rank: Int32Array.from({ length: G }, (_, j) => Math.floor(j / 4)),
    size: new Int32Array(G).fill(N),
    covariates: { urban: Float64Array.from({ length: G }, (_, j) => j % 2) },
    sampling,
    churn,
  };
}

export function benchClusterOutcomes(): void {
  const periods = Float64Array.from({ length: T }, (_, t) => t + 1);
  const cases: [string, string, string, ClusterFrame][] = [
    [
      'binary, cross-section',
      '{type: binary, p: 0.04, icc: 0.02, trend: {slope: 0.0002, by: {urban: 0.0001}}}',
      '{size: -0.008, onset: 3, unit_sd: 0.3}',
      frame('cross_section', 0),
    ],
    [
      'binary, cohort, churn',
      '{type: binary, p: 0.04, icc: 0.02, decay: 0.95}',
      '{size: -0.008, onset: 3, unit_sd: 0.3}',
      frame('cohort', 0.05),
    ],
    ['binary, person_sd 0.5', '{type: binary, p: 0.04, icc: 0.02}', '{size: -0.008, onset: 3, person_sd: 0.5}', frame('cross_section', 0)],
    [
      'continuous, cross-section',
      '{type: continuous, mean: 10, sd: 2, icc: 0.05, cac: 0.8}',
      '{size: 0.5, ramp: 2, unit_sd: 0.3}',
      frame('cross_section', 0),
    ],
    ['continuous, cohort, churn', '{type: continuous, mean: 10, sd: 2, icc: 0.05}', '{size: 0.5, person_sd: 0.5}', frame('cohort', 0.05)],
  ];
  for (const [label, outcome, effect, f] of cases) {
    const s = worldPoint({ population: '{size: 24, covariates: {urban: {type: binary, p: 0.5}}}', outcome, effect });
    const draw = (d: number) =>
      clusterOutcomes({ cluster: streamFor(1, 0, d, 'cluster'), people: streamFor(1, 0, d, 'people') }, s, f, periods);
    for (let d = 0; d < 5; d++) draw(1000 + d); // warm up the JIT
    const ts: number[] = [];
    for (let d = 1; d <= 41; d++) {
      const t0 = performance.now();
      draw(d);
      ts.push(performance.now() - t0);
    }
    ts.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(28)} ${G} × ${N} × ${T}: median ${ts[20].toFixed(1).padStart(5)} ms/draw (min ${ts[0].toFixed(1)}; target well under 40)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchClusterOutcomes();
