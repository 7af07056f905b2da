/**
 * Callaway & Sant'Anna with a Wald pre-test on the last K pre-periods only. The full pre-test (R did's)
 * builds a q × q Gram matrix of influence functions over n units, q = every pre-period ATT(g,t): in R1
 * (9 groups, ~55 pre-periods each) q ≈ 500 and the Gram matrix costs ~10⁸ operations a draw. Testing the
 * cells g − K ≤ t < g (q = K per group) keeps the engine fast and is the test applied in practice:
 * the periods shortly before treatment, where a violation would bias the estimate most. Estimates are
 * R did's, unchanged; only `wald_pretest` differs from the full test.
 *
 * With anticipation δ the K periods tested are those before the anticipation window, g − δ − K ≤ t <
 * g − δ: in t ∈ [g − δ, g − 1] the design allows an effect, so a cell there tests no assumption. R did
 * 2.5.1's full test (att_gt.R: `pre <- which(group > tt)`) keeps those cells; `stagger estimate`'s
 * full test follows R (pretest.ts), this one does not (docs/inquiry.md).
 */
import type { Panel } from '../../panel/panel.js';
import { estimateDidDetailed, type DidOptions } from '../did/index.js';
import { waldPretest } from '../did/pretest.js';
import type { Estimate, Estimator } from '../types.js';
import type { Rng } from '../../random/stream.js';

export function estimateDidWithPretest(panel: Panel, options: Partial<DidOptions>, periods: number, rng?: Rng): Estimate {
  const r = estimateDidDetailed(panel, { ...options, pretest: false }, undefined, rng);
  const pos = new Map(Array.from(panel.periods, (t, j) => [t, j]));
  const firstIdx = (g: number) => {
    let j = 0;
    while (j < panel.nPeriods && panel.periods[j] < g) j++;
    return j;
  };
  const delta = options.anticipation ?? 0;
  const cells = r.cells.filter((c) => {
    if (!(c.time < c.group - delta)) return false;
    const t = pos.get(c.time)!;
    return t >= firstIdx(c.group - delta) - periods;
  });
  return { ...r.estimate, wald_pretest: waldPretest(r.prepared.n, cells) };
}

export function didWithPretest(options: Partial<DidOptions> & { name?: string }, periods: number): Estimator {
  const { name, ...opts } = options;
  return { name: name ?? 'cs', estimate: (panel: Panel, rng?: Rng) => estimateDidWithPretest(panel, opts, periods, rng) };
}
