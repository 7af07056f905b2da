/**
 * Design-grid expansion: the Cartesian product of every list-valued setting (Axis) of a scenario.
 * Point indices run with the last axis fastest, in the order the axes appear in the file.
 */
import { Axis, type Resolved } from './axis.js';
import { withOutcomeAliases, type Scenario } from './schema.js';
import { outcomeAxisName } from './outcome-paths.js';
import { ScenarioError } from './errors.js';
import { gridPointCount, gridTooLarge } from './size-limits.js';

export type ResolvedScenario = Resolved<Scenario>;

export interface DesignPoint {
  index: number;
  /**
   * Only the varied axes, by dotted path (e.g. "design.treatment_share": 0.5); inside the outcomes,
   * `effect.size` / `outcome.X` for the first, `outcomes.NAME.X` for the others (outcome-paths.ts).
   */
  settings: Record<string, number | string>;
  scenario: ResolvedScenario;
}

/** Every axis of a scenario with its dotted path, in document order. */
export function findAxes(s: unknown, path: string[] = [], out: { path: string; values: readonly unknown[] }[] = []) {
  if (s instanceof Axis) out.push({ path: path.join('.'), values: s.values });
  else if (Array.isArray(s)) s.forEach((v, i) => findAxes(v, [...path, String(i)], out));
  else if (s !== null && typeof s === 'object') for (const [k, v] of Object.entries(s)) findAxes(v, [...path, k], out);
  return out;
}

function resolve(s: unknown, path: string[], chosen: Map<string, unknown>): unknown {
  if (s instanceof Axis) return chosen.get(path.join('.'));
  if (Array.isArray(s)) return s.map((v, i) => resolve(v, [...path, String(i)], chosen));
  if (s !== null && typeof s === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) o[k] = resolve(v, [...path, k], chosen);
    return o;
  }
  return s;
}

/**
 * The first outcome's unit level is the copula variable `level` whatever the outcome is called: a
 * correlation naming it by the outcome's name (e.g. `earnings`) is stated on `level`, which is what
 * drawPeople reads (world/covariates.ts).
 */
function firstLevelAsLevel(s: ResolvedScenario): ResolvedScenario {
  const first = s.outcome.name;
  if (first === 'level' || !s.population.correlations.some((c) => c.between.includes(first))) return s;
  const correlations = s.population.correlations.map((c) => ({
    ...c,
    between: c.between.map((n) => (n === first ? 'level' : n)) as [string, string],
  }));
  return { ...s, population: { ...s.population, correlations } };
}

/** The design points of a scenario; one point (index 0, no settings) when nothing varies. */
export function expandGrid(s: Scenario): DesignPoint[] {
  const names = (s.outcomes ?? [s.outcome]).map((o) => o?.name ?? 'y');
  // An axis inside the outcomes is named the same in either form (outcome-paths.ts): `effect.size`
  // for the first outcome, `outcomes.NAME.effect.size` for another; resolution uses the file's path.
  const axes = findAxes(s).map((a) => ({ ...a, name: outcomeAxisName(a.path, names) }));
  // Counted before any point is built: a 1,000 × 1,000 × 1,000 grid is refused, not expanded.
  const tooLarge = gridTooLarge(axes);
  if (tooLarge) throw new ScenarioError('the scenario', [{ path: axes[0].path, ...tooLarge }]);
  const total = gridPointCount(axes);
  const points: DesignPoint[] = [];
  for (let index = 0; index < total; index++) {
    const chosen = new Map<string, unknown>();
    const settings: Record<string, number | string> = {};
    let rest = index;
    for (let k = axes.length - 1; k >= 0; k--) {
      const a = axes[k];
      const v = a.values[rest % a.values.length];
      rest = Math.floor(rest / a.values.length);
      chosen.set(a.path, v);
      settings[a.name] = v as number | string;
    }
    const ordered: Record<string, number | string> = {};
    for (const a of axes) ordered[a.name] = settings[a.name];
    // The outcome keys the file did not write are non-enumerable aliases (schema.ts): resolve skips
    // them, so an axis is varied once; the resolved point gets all three as plain data.
    const scenario = firstLevelAsLevel(withOutcomeAliases(resolve(s, [], chosen) as ResolvedScenario, true));
    points.push({ index, settings: ordered, scenario });
  }
  return points;
}
