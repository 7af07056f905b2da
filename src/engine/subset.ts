/**
 * A panel restricted to the units of a 0/1 mask (for subgroup estimates): every column cut to them by
 * selectUnits, cell sizes and within-cell sums of squares included (hh's cluster-period cells need them;
 * a subgroup panel without them was fitted as if every cell held one person).
 */
import type { Panel } from '../panel/panel.js';
import { selectUnits } from '../panel/select-units.js';

export function subsetPanel(p: Panel, mask: Uint8Array): Panel {
  const keep: number[] = [];
  for (let i = 0; i < p.nUnits; i++) if (mask[i]) keep.push(i);
  return selectUnits(p, keep);
}
