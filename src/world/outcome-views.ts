/**
 * One scenario per outcome: the world's code reads `s.outcome` and `s.effect`, so outcome j of a
 * scenario with several is generated, and its population truth computed, from a view of the
 * scenario whose `outcome` and `effect` are outcome j's. View 0 is the scenario itself (so a
 * single-outcome scenario is generated exactly as before). Views are cached per resolved scenario,
 * so caches keyed by the scenario object (the outcome model) are built once per design point.
 */
import type { ResolvedScenario } from '../scenario/grid.js';

const cache = new WeakMap<object, ResolvedScenario[]>();

/** The outcomes of a resolved scenario; one built from `outcome` + `effect` when it has no list. */
export function outcomeItems(s: ResolvedScenario): ResolvedScenario['outcomes'] {
  return s.outcomes?.length ? s.outcomes : [{ ...s.outcome, effect: s.effect } as ResolvedScenario['outcomes'][number]];
}

/** The names of a scenario's outcomes, in list order. */
export function outcomeNames(s: ResolvedScenario): string[] {
  return outcomeItems(s).map((o) => o.name);
}

export function outcomeViews(s: ResolvedScenario): ResolvedScenario[] {
  let v = cache.get(s);
  if (!v) {
    // The first outcome is the top-level outcome + effect (what other code reads and overrides).
    v = [
      s,
      ...outcomeItems(s)
        .slice(1)
        .map((item) => {
          const { effect, ...outcome } = item;
          return { ...s, outcome: outcome as ResolvedScenario['outcome'], effect };
        }),
    ];
    cache.set(s, v);
  }
  return v;
}
