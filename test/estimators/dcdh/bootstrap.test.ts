/**
 * dcdh's bootstrap (did_multiplegt_dyn's `bootstrap = B`): each replication is the estimate on the drawn
 * units with the weights N_g × (times g's cluster is drawn), so the SEs are the standard deviations (n − 1) of
 * those replications' estimates, drawn from the estimate's own stream (same seed, same SEs). That a
 * replication equals the package's estimate on its resampled data (duplicated groups collapse into
 * weighted ones) is in test-reference/estimators/dcdh/bootstrap.test.ts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bootstrapWeights } from '../../../src/estimators/dcdh/bootstrap.js';
import { estimateDcdh } from '../../../src/estimators/dcdh/index.js';
import { makePanel, type Panel } from '../../../src/panel/panel.js';
import { selectUnits } from '../../../src/panel/select-units.js';
import { seeded } from '../../../src/random/stream.js';

function panelOf(): Panel {
  const starts = [0, 0, 0, 0, 0, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5];
  const n = starts.length,
    T = 6;
  const y = new Float64Array(n * T);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++)
      y[t * n + i] = Math.sin(3 * i + 1) + Math.cos(t) + (starts[i] && t + 1 >= starts[i] ? 0.5 : 0) + 0.4 * Math.sin(7.1 * i * t);
  return makePanel({ periods: [1, 2, 3, 4, 5, 6], group: starts, y, cluster: Float64Array.from(starts, (_, i) => i % 5) });
}

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

it('bootstrap: the SEs are the sd of the replications, each the estimate on the drawn weights', () => {
  const p = panelOf();
  const B = 30;
  const e = estimateDcdh(p, { effects: 2, placebo: 1, bootstrap: B }, seeded('boot'));
  const rng = seeded('boot');
  const reps: number[][] = [[], [], []];
  for (let b = 0; b < B; b++) {
    const w = bootstrapWeights(p, false, rng);
    const drawn = [...w.keys()].filter((i) => w[i] > 0);
    const r = estimateDcdh(
      selectUnits(
        p,
        drawn,
        Float64Array.from(drawn, (i) => w[i]),
      ),
      { effects: 2, placebo: 1 },
    );
    r.aggregates.dynamic!.detail!.forEach((x, j) => reps[j].push(x.att!));
  }
  e.aggregates.dynamic!.detail!.forEach((x, j) => assert.ok(Math.abs(x.se! - sd(reps[j])) < 1e-12, `e = ${x.key}`));
  const again = estimateDcdh(p, { effects: 2, placebo: 1, bootstrap: B }, seeded('boot'));
  assert.deepEqual(again.aggregates, e.aggregates, 'same stream, same SEs');
  const analytic = estimateDcdh(p, { effects: 2, placebo: 1 });
  assert.deepEqual(
    e.aggregates.dynamic!.detail!.map((x) => x.att),
    analytic.aggregates.dynamic!.detail!.map((x) => x.att),
    'the estimates are the analytic ones',
  );
  assert.match(e.messages.join('\n'), /SEs from 30 bootstrap replications drawing units/);
});

it('bootstrap: clusters are drawn whole; one replication is refused', () => {
  const p = panelOf();
  const w = bootstrapWeights(p, true, seeded('c'));
  for (let i = 0; i < p.nUnits; i++) for (let j = 0; j < p.nUnits; j++) if (p.cluster![i] === p.cluster![j]) assert.equal(w[i], w[j]);
  // Five clusters drawn five times in all: the draws per cluster (read off one unit each) sum to 5.
  const perCluster = new Map<number, number>();
  for (let i = 0; i < p.nUnits; i++) perCluster.set(p.cluster![i], w[i]);
  assert.equal(
    [...perCluster.values()].reduce((a, b) => a + b, 0),
    5,
  );
  assert.throws(() => estimateDcdh(p, { bootstrap: 1 }, seeded('x')), /at least 2 replications/);
});
