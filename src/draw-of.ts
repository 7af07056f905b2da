/** A Draw from its outcomes: the first outcome's panel, potential outcomes and truth are the draw's own. */
import type { RecruitmentSummary } from './design/recruited-sample.js';
import type { Draw, DrawOutcome } from './generate.js';

export function drawOf(
  outcomes: DrawOutcome[],
  subgroups: Record<string, Uint8Array>,
  start: Float64Array | undefined,
  recruitment: RecruitmentSummary | undefined,
): Draw {
  const [first] = outcomes;
  return { panel: first.panel, y0: first.y0, y1: first.y1, subgroups, start, recruitment, truth: first.truth, outcomes };
}
