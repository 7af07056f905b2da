/**
 * What `stagger calibrate SCENARIO --target … --free …` asks for, parsed and checked against the
 * scenario before any draw runs: targets `[OUTCOME/]ESTIMAND[.se|.sd]=V` (estimand ids as in
 * diagnosis/estimand-id.ts) and free settings (dotted paths of numeric settings). Every message names
 * what was expected, what was found and the nearest valid name.
 */
import { parseEstimandId } from '../diagnosis/estimand-id.js';
import type { DrawRecord } from '../engine/simulation.js';
import { Axis } from '../scenario/axis.js';
import type { Scenario } from '../scenario/schema.js';
import { nearestHint } from '../scenario/nearest-name.js';

export type Statistic = 'se' | 'sd';

export interface TargetSpec {
  /** As the user wrote it. */
  text: string;
  /** The outcome's name for multi-outcome scenarios (`earnings/group_avg.se=…`); null: the only outcome. */
  outcome: string | null;
  estimand: string;
  /** se: the mean of the estimated SEs over the draws (what one study reports); sd: the SD of the estimates. */
  statistic: Statistic;
  value: number;
}

export class CalibrateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const TARGET = /^(?:([A-Za-z][A-Za-z0-9_]*)\/)?([^=/]+?)(?:\.(se|sd))?=(.+)$/;

/** `group_avg.se=267.5`, `group_avg@women.se=305.5`, `earnings/simple.sd=0.4`, `group:7=120` (statistic from `fallback`). */
export function parseTarget(text: string, fallback: Statistic = 'se'): TargetSpec {
  const m = TARGET.exec(text.trim());
  const form =
    "ESTIMAND.se=V, e.g. --target 'group_avg.se=267.5' or 'group_avg@women.se=305.5' ([OUTCOME/] for one outcome of several; .sd for the SD of the estimates)";
  if (!m) throw new CalibrateInputError(`--target ${text}: expected ${form}`);
  const value = Number(m[4]);
  if (!(value > 0) || !Number.isFinite(value))
    throw new CalibrateInputError(`--target ${text}: the value must be a positive number, found "${m[4]}"`);
  return { text, outcome: m[1] ?? null, estimand: m[2], statistic: (m[3] as Statistic | undefined) ?? fallback, value };
}

/** `--free outcome.sdlog,outcome.unit_sd` (repeatable; commas split). */
export function parseFree(list: readonly string[]): string[] {
  const paths = list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (paths.length === 0) throw new CalibrateInputError('--free: name at least one numeric setting, e.g. --free outcome.sdlog');
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw new CalibrateInputError(`--free ${dup}: named twice`);
  return paths;
}

/** Every numeric setting of a parsed scenario (defaults included) by dotted path; axes marked. */
export function numericSettings(
  s: unknown,
  path: string[] = [],
  out = new Map<string, number | Axis<unknown>>(),
): Map<string, number | Axis<unknown>> {
  if (s instanceof Axis) {
    if (s.values.every((v) => typeof v === 'number')) out.set(path.join('.'), s);
  } else if (typeof s === 'number') out.set(path.join('.'), s);
  else if (Array.isArray(s)) s.forEach((v, i) => numericSettings(v, [...path, String(i)], out));
  else if (s !== null && typeof s === 'object') for (const [k, v] of Object.entries(s)) numericSettings(v, [...path, k], out);
  return out;
}

/** The start values of the free settings. @throws naming the path, what was found and the nearest numeric setting */
export function freeStarts(file: string, scenario: Scenario, free: readonly string[]): number[] {
  const settings = numericSettings(scenario);
  // Both spellings of outcome settings (scenario/outcome-paths.ts): outcome.X and effect.X for the
  // first outcome, outcomes.N.X and outcomes.NAME.X for any; the free values travel as --set paths,
  // which take all of them.
  const sc = scenario as unknown as { outcome?: unknown; effect?: unknown; outcomes?: { name?: string }[] };
  numericSettings(sc.outcome, ['outcome'], settings);
  numericSettings(sc.effect, ['effect'], settings);
  (sc.outcomes ?? []).forEach((o, i) => {
    numericSettings(o, ['outcomes', String(i)], settings);
    if (typeof o?.name === 'string') numericSettings(o, ['outcomes', o.name], settings);
  });
  // Settings that are not a model's numbers (the seed, draws) cannot be calibrated.
  for (const k of ['draws', 'seed']) settings.delete(k);
  return free.map((p) => {
    const v = settings.get(p);
    if (v === undefined)
      throw new CalibrateInputError(`--free ${p}: ${file} has no numeric setting there${nearestHint(p, settings.keys())}`);
    if (v instanceof Axis)
      throw new CalibrateInputError(
        `--free ${p}: in ${file} it is a grid axis (${v.values.join(', ')}); calibrate one design point: --set ${p}=${v.values[0]}`,
      );
    if (!(v > 0))
      throw new CalibrateInputError(
        `--free ${p}: ${file} has ${v} there; the search moves a positive value on the log scale: start it with --set ${p}=0.1 (or another positive value)`,
      );
    return v;
  });
}

/** Estimand types of analysis.estimands that report an estimand id's type. */
const TYPE_OF: Record<string, string> = {
  simple: 'simple',
  group_avg: 'group',
  group: 'group',
  dynamic_avg: 'dynamic',
  dynamic: 'dynamic',
  calendar: 'calendar',
};

/**
 * Check each target against the analysis block before running: the estimator exists, the estimand's
 * type is one analysis.estimands reports, the subgroup one analysis.subgroups lists.
 */
export function checkTargets(file: string, scenario: Scenario, targets: readonly TargetSpec[], estimator: string): void {
  const a = scenario.analysis;
  const names = a.estimators.map((e) => e.name);
  if (!names.includes(estimator))
    throw new CalibrateInputError(
      `--estimator ${estimator}: ${file} has no such estimator (its estimators: ${names.join(', ')})${nearestHint(estimator, names)}`,
    );
  const ids = ['simple', 'group_avg', 'dynamic_avg', 'group:G', 'dynamic:E', 'calendar:T'].filter((id) =>
    a.estimands.includes(TYPE_OF[id.split(':')[0]] as never),
  );
  for (const t of targets) {
    const p = parseEstimandId(t.estimand);
    const type = TYPE_OF[p.type];
    const detail = p.key !== '';
    if (
      !type ||
      (detail && !['group', 'dynamic', 'calendar'].includes(p.type)) ||
      (!detail && ['group', 'dynamic', 'calendar'].includes(p.type))
    ) {
      throw new CalibrateInputError(
        `--target ${t.text}: "${t.estimand}" is not an estimand id (expected one of ${ids.join(', ')}, optionally @subgroup)${nearestHint(t.estimand, ids)}`,
      );
    }
    if (!a.estimands.includes(type as never)) {
      throw new CalibrateInputError(
        `--target ${t.text}: ${file} does not report ${t.estimand} (analysis.estimands is [${a.estimands.join(', ')}]; add ${type})${nearestHint(t.estimand, ids)}`,
      );
    }
    if (p.subgroup && !a.subgroups.includes(p.subgroup)) {
      throw new CalibrateInputError(
        `--target ${t.text}: ${file} has no analysis subgroup "${p.subgroup}" (analysis.subgroups: [${a.subgroups.join(', ')}])${nearestHint(p.subgroup, a.subgroups)}`,
      );
    }
  }
}

/**
 * `--set`s that leave out what no target reads (other estimand types, other subgroups): each draw then
 * estimates less, and the targets' records are unchanged (aggregations and subgroups are computed from
 * the same panel and never touch the random streams).
 */
export function pruningSettings(scenario: Scenario, targets: readonly TargetSpec[]): { path: string; value: string }[] {
  const types = [...new Set(targets.map((t) => TYPE_OF[parseEstimandId(t.estimand).type]))];
  const subgroups = [...new Set(targets.map((t) => parseEstimandId(t.estimand).subgroup).filter((g) => g !== ''))];
  const out: { path: string; value: string }[] = [];
  // (An effect.target is scaled on the design's population estimand whatever the analysis reports, and
  // the narrowing settings need no aggregation of their own: leaving types out changes no target.)
  if (types.length < scenario.analysis.estimands.length) out.push({ path: 'analysis.estimands', value: `[${types.join(', ')}]` });
  if (subgroups.length < scenario.analysis.subgroups.length) out.push({ path: 'analysis.subgroups', value: `[${subgroups.join(', ')}]` });
  return out;
}

/**
 * Whether a draw's record answers a target. Records carry `outcome`; checkAgainstRecords gives a
 * target without an outcome prefix the first outcome's name, so a null outcome matches only records
 * that have none (records of older draws files).
 */
export function recordMatches(r: DrawRecord & { outcome?: string }, estimator: string, t: TargetSpec): boolean {
  if (r.estimator !== estimator || r.estimand !== t.estimand) return false;
  if (t.outcome === null) return r.outcome === undefined || r.outcome === null;
  return r.outcome === t.outcome;
}

/** `[OUTCOME/]ESTIMAND` of a record, as targets name it. */
export function recordName(r: DrawRecord & { outcome?: string }): string {
  return r.outcome ? `${r.outcome}/${r.estimand}` : r.estimand;
}

/**
 * Check the targets against one draw's records (the estimand ids a draw reports: start groups, event
 * times) and return them with the outcome prefix dropped where it names a one-outcome scenario's
 * outcome (`earnings/group_avg` in R1). @throws naming the target and the nearest reported id
 */
export function checkAgainstRecords(
  targets: readonly TargetSpec[],
  records: readonly (DrawRecord & { outcome?: string })[],
  estimator: string,
  singleOutcome?: string,
): TargetSpec[] {
  const mine = records.filter((r) => r.estimator === estimator);
  const outcomes = [...new Set(mine.map((r) => r.outcome).filter((o): o is string => typeof o === 'string'))];
  const names = [...new Set(mine.map(recordName))];
  return targets.map((t0) => {
    // Without a prefix a target means the first outcome (as `effect.size` does; records list it first).
    const t = t0.outcome === null && outcomes.length > 0 ? { ...t0, outcome: outcomes[0] } : t0;
    if (t.outcome !== null && !outcomes.includes(t.outcome)) {
      if (outcomes.length <= 1) {
        throw new CalibrateInputError(
          `--target ${t.text}: the scenario's only outcome is ${outcomes[0] ?? singleOutcome ?? 'unnamed'}, not "${t.outcome}"; drop the "${t.outcome}/" prefix`,
        );
      }
      throw new CalibrateInputError(
        `--target ${t.text}: no outcome "${t.outcome}" (outcomes: ${outcomes.join(', ')})${nearestHint(t.outcome, outcomes)}`,
      );
    }
    // Named as the user named it: with the outcome prefix only when they gave one.
    const want = t0.outcome ? `${t0.outcome}/${t.estimand}` : t.estimand;
    const ids = t0.outcome
      ? names
      : [...new Set(mine.filter((r) => r.outcome === t.outcome || r.outcome === undefined).map((r) => r.estimand))];
    if (!mine.some((r) => recordMatches(r, estimator, t))) {
      throw new CalibrateInputError(`--target ${t.text}: the first draw reports no ${want} for ${estimator}${nearestHint(want, ids)}`);
    }
    return t;
  });
}
