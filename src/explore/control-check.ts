/**
 * Would the scenario accept this value at this path, with everything else as written? The schema and
 * the cross-field checks parseScenario runs (src/scenario/load.ts), on the data directly (no YAML
 * round trip, no file system), the world's correlation matrix and TWFE's event window, so that a slider's range never reaches a value the run would refuse.
 */
import { Axis, valuesOf } from '../scenario/axis.js';
import { checkScenario } from '../scenario/check.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { scenarioSchema } from '../scenario/schema.js';
import { copulaFactor } from '../world/covariates.js';
import { twfeOptions } from '../estimators/twfe/index.js';

type Obj = Record<string, unknown>;

function setIn(data: unknown, keys: readonly string[], v: unknown): void {
  let at = data as Obj;
  for (const k of keys.slice(0, -1)) at = at[k] as Obj;
  at[keys[keys.length - 1]] = v;
}

function accepts(data: unknown): boolean {
  const r = scenarioSchema.safeParse(data);
  if (!r.success || checkScenario(r.data).length > 0) return false;
  // The latent correlations must make a correlation matrix: the world's own check when it draws people
  // (not a parse check), asked here so that a correlation slider stops where the run would fail.
  // TWFE's event study needs its reference event time (−1 − anticipation) inside the event window:
  // the estimator's own check, which the run meets only when it binds the estimators at the first draw.
  const a = r.data.analysis;
  try {
    for (const e of a.estimators)
      if (e.type === 'twfe')
        for (const anticipation of valuesOf(e.anticipation ?? 0))
          twfeOptions({ minE: a.event_window[0], maxE: a.event_window[1], anticipation });
  } catch {
    return false;
  }
  const pop = r.data.population;
  if (pop.correlations.some((c) => c.r instanceof Axis)) return true;
  try {
    copulaFactor(
      pop as unknown as ResolvedScenario['population'],
      r.data.outcomes.map((o) => o.name),
    );
    return true;
  } catch {
    return false;
  }
}

/** The check for one scenario's data; `base`: the scenario as written passes it. */
export function validWith(raw: Obj): { base: boolean; valid: (path: string, value: number | string) => boolean } {
  return {
    base: accepts(structuredClone(raw)),
    valid: (path, value) => {
      const copy = structuredClone(raw);
      setIn(copy, path.split('.'), value);
      return accepts(copy);
    },
  };
}
