/**
 * The population ATT(g,t) of a draw's cells from the effect model (world/effects.ts meanEffect), in the
 * same terms as the sample truth (cells.ts cellTruth): the level τ̄_g(t) for a post cell, the contrast
 * τ̄_g(t) − τ̄_g(base) for a pre cell. A start group is labelled by its first start and its members
 * start then or later (R1's groups span months): with the draw's own start periods, τ̄_g(t) is the
 * model's mean effect averaged over the group's members at their own event times t − start_i (the
 * design's timing, without the units' own effect draws); without them (survey waves), the effect at
 * event time t − g. The group's rank (its by_group multiplier) is its position among the panel's
 * start-group labels, as the generator ranks them (design/recruited-sample.ts rankGroups).
 */
import { meanEffect, type EffectSpec } from '../world/effects.js';
import type { Cell } from './aggregate.js';
import { cellTruth, type CellPlanOptions } from './cells.js';

export function populationCells(
  effect: EffectSpec,
  cells: readonly { group: number; time: number }[],
  periods: ArrayLike<number>,
  group: ArrayLike<number>,
  start: ArrayLike<number> | undefined,
  opts: CellPlanOptions,
): Cell[] {
  const labels = [...new Set(Array.from(group))].filter((g) => g !== 0).sort((a, b) => a - b);
  const rank = new Map(labels.map((g, r) => [g, r]));
  const members = new Map<number, number[]>();
  if (start) {
    for (let i = 0; i < group.length; i++) {
      const g = group[i];
      if (g !== 0 && Number.isFinite(start[i])) (members.get(g) ?? members.set(g, []).get(g)!).push(start[i]);
    }
  }
  // Mean effects by (rank, event time), computed once each.
  const memo = new Map<number, number>();
  const at = (r: number, e: number): number => {
    const k = r * 1e6 + e;
    let v = memo.get(k);
    if (v === undefined) memo.set(k, (v = meanEffect(effect, r, e)));
    return v;
  };
  const levels = new Map<number, (ti: number) => number>();
  const levelOf = (g: number): ((ti: number) => number) => {
    let f = levels.get(g);
    if (f) return f;
    const r = rank.get(g) ?? 0;
    const own = members.get(g);
    const byTi = new Map<number, number>();
    f = (ti: number) => {
      let v = byTi.get(ti);
      if (v !== undefined) return v;
      const t = periods[ti];
      if (!own?.length) v = at(r, t - g);
      else {
        let sum = 0;
        for (const st of own) sum += at(r, t - st);
        v = sum / own.length;
      }
      byTi.set(ti, v);
      return v;
    };
    levels.set(g, f);
    return f;
  };
  const index = new Map(Array.from(periods, (p, i) => [p, i]));
  return cells.map((c) => {
    const ti = index.get(c.time)!;
    return { group: c.group, time: c.time, att: cellTruth(levelOf(c.group), periods, c.group, ti, opts) };
  });
}
