/**
 * A draw's truth: the sample ATT(g,t) and aggregates of its panel from Y(0) and Y(1), overall and for
 * each subgroup the analysis reports (every design's draw, cluster rollouts included).
 */
import type { Estimate } from '../estimators/types.js';
import type { Panel } from '../panel/panel.js';
import { sampleTruth, type TruthOptions } from './sample-truth.js';

export function drawTruth(
  subgroupNames: readonly string[],
  panel: Panel,
  y0: Float64Array,
  y1: Float64Array,
  options: TruthOptions,
  masks: Record<string, Uint8Array>,
): { options: TruthOptions; estimate: Estimate; subgroups: Record<string, Estimate> } {
  return {
    options,
    estimate: sampleTruth(panel, y0, y1, options),
    subgroups: Object.fromEntries(subgroupNames.map((g) => [g, sampleTruth(panel, y0, y1, options, masks[g])])),
  };
}
