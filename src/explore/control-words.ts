/**
 * The words of an explorer control: its group (the report's blocks), a short label and its units,
 * from the setting's path and the scenario as written (outcome.units, the period unit, the unit noun).
 * A path is matched as a pattern: list positions are `#`, names inside records (covariates, their
 * effects) are `*`; the outcome's own prefix (`outcome`, `effect`, `outcomes.N`) is taken off first.
 */
import type { ScenarioWords } from '../report/scenario-words.js';

export type ControlGroup = 'periods' | 'population' | 'outcome' | 'effect' | 'design' | 'measurement' | 'analysis';

export const GROUP_TITLES: Record<ControlGroup, string> = {
  periods: 'Periods',
  population: 'Population',
  outcome: 'Outcome',
  effect: 'Effect',
  design: 'Design',
  measurement: 'Measurement',
  analysis: 'Analysis',
};

/**
 * What a number measures, for its units and its rough range: a calendar period (a period label such
 * as 56), an event time (periods from start, may be negative), a count of periods, an amount on the
 * outcome's or the effect's scale, a share, a count of people or units, or a unitless number.
 */
export type Quantity =
  | 'calendar'
  | 'event'
  | 'periods'
  | 'outcome'
  | 'effect'
  | 'share'
  | 'correlation'
  | 'people'
  | 'persons'
  | 'units'
  | 'per-period'
  | 'latent'
  | 'log-odds'
  | 'relative'
  | 'multiplier'
  | 'covariate'
  | 'number';

/** Label, quantity, and units when the quantity's own words do not say it (a count of waves). */
type Row = [label: string, quantity: Quantity, units?: string];

/** Containers whose keys are names (covariates, their effects): the next segment is `*`. */
const NAMED = new Set(['covariates', 'covariate_effects', 'by', 'by_covariate', 'consent_by', 'adopt_by']);

const OUTCOME: Record<string, Row> = {
  mean: ['mean', 'outcome'],
  sd: ['sd', 'outcome'],
  p: ['baseline share', 'share'],
  share_any: ['share with any', 'share'],
  sdlog: ['sd of the log amount', 'number', 'log scale'],
  amount_persistence: ['amount persistence', 'share'],
  unit_sd: ['unit sd (latent)', 'latent'],
  noise_sd: ['noise sd (latent)', 'latent'],
  rho: ['noise autocorrelation', 'correlation'],
  'covariate_effects.*': ['level shift per {k}', 'latent'],
  'trend.slope': ['trend per {per}', 'latent'],
  'trend.by.*': ['trend per {per} by {k}', 'latent'],
  max: ['maximum', 'outcome'],
  min: ['minimum', 'outcome'],
  sd_any: ['sd among those with any', 'outcome'],
  'heap.at.#': ['heaping point {i}', 'outcome'],
  'heap.share': ['heaping share', 'share'],
  'unit_size.median': ['median people per unit', 'persons'],
  'unit_size.sdlog': ['unit size sd (log)', 'number', 'log scale'],
  icc: ['ICC', 'correlation'],
  cac: ['cluster autocorrelation', 'correlation'],
  decay: ['correlation decay per period', 'correlation'],
};

const EFFECT: Record<string, Row> = {
  size: ['effect size', 'effect'],
  'by_group.#': ['group {i} multiplier', 'multiplier'],
  onset: ['onset', 'periods'],
  ramp: ['ramp', 'periods'],
  duration: ['duration at full size', 'periods'],
  decay: ['decay', 'periods'],
  'anticipation.periods': ['anticipation periods', 'periods'],
  'anticipation.size': ['anticipation size', 'effect'],
  'announcement.from': ['announcement from', 'event'],
  'announcement.to': ['announcement to', 'event'],
  'announcement.size': ['announcement size', 'effect'],
  'by_covariate.*': ['effect change per {k}', 'relative'],
  unit_sd: ['effect sd between units', 'multiplier'],
  person_sd: ['effect sd between people', 'multiplier'],
  persistence: ['effect persistence', 'share'],
  'target.value': ['target {estimand}', 'effect'],
};

const COVARIATE: Record<string, Row> = {
  'covariates.*.p': ['share with {k}', 'share'],
  'covariates.*.mean': ['{k} mean', 'covariate'],
  'covariates.*.sd': ['{k} sd', 'covariate'],
  'covariates.*.p.#': ['{k} share of level {i}', 'share'],
};

const OTHER: Record<string, Row> = {
  'periods.count': ['periods', 'periods'],
  'population.size': ['population size', 'units'],
  'population.correlations.#.r': ['correlation {between}', 'correlation'],
  'design.recruitment.from': ['recruitment from', 'calendar'],
  'design.recruitment.to': ['recruitment to', 'calendar'],
  'design.recruitment.referrals': ['referrals per {per}', 'per-period'],
  'design.recruitment.shortfalls.#.from_month': ['shortfall {i} from', 'calendar'],
  'design.recruitment.shortfalls.#.to_month': ['shortfall {i} to', 'calendar'],
  'design.recruitment.shortfalls.#.share': ['shortfall {i} share', 'share'],
  'design.recruitment.consent': ['consent', 'share'],
  'design.recruitment.consent_by.*': ['consent log-odds per {k}', 'log-odds'],
  'design.recruitment.exclusion': ['exclusion', 'share'],
  'design.recruitment.target': ['recruitment target', 'people'],
  'design.recruitment.target_cut.at': ['target cut at', 'calendar'],
  'design.recruitment.target_cut.to': ['target cut to', 'people'],
  'design.treatment_share': ['share treated at once', 'share'],
  'design.min_wait': ['minimum wait', 'periods'],
  'design.extra_wait': ['mean extra wait', 'periods'],
  'design.start_groups.count': ['start groups', 'number', 'groups'],
  'design.start_groups.windows.#.from': ['start group {i} from', 'calendar'],
  'design.start_groups.windows.#.to': ['start group {i} to', 'calendar'],
  'design.predictable_allocation.until': ['predictable allocation until', 'calendar'],
  'design.predictable_allocation.consent_treatment': ['consent, treatment predicted', 'share'],
  'design.predictable_allocation.consent_control': ['consent, control predicted', 'share'],
  'design.spells.from': ['spells enter from', 'calendar'],
  'design.spells.to': ['spells enter to', 'calendar'],
  'design.spells.mean_duration': ['mean spell duration', 'periods'],
  'design.intakes.#.period': ['intake {i} period', 'calendar'],
  'design.intakes.#.size': ['intake {i} size', 'people'],
  'design.intakes.#.every_kth': ['intake {i}: every k-th offered', 'number', 'k'],
  'design.every_kth': ['every k-th offered', 'number', 'k'],
  'design.candidates_per_place': ['candidates per place', 'number', 'candidates/place'],
  'design.list_lag': ['list lag', 'periods'],
  'design.consent': ['consent', 'share'],
  'design.quotas.#.min': ['quota {i} minimum', 'share'],
  'design.quotas.#.max': ['quota {i} maximum', 'share'],
  'design.quotas.#.counting': ['quota {i} counting', 'number'],
  'design.controls.windows.#.from': ['control window {i} from', 'calendar'],
  'design.controls.windows.#.to': ['control window {i} to', 'calendar'],
  'design.schedule.#.period': ['schedule step {i} period', 'calendar'],
  'design.schedule.#.members': ['members by step {i}', 'units'],
  'design.schedule.#.share': ['share started by step {i}', 'share'],
  'design.adopt_by.*': ['adoption log-hazard per {k}', 'log-odds'],
  'design.start': ['start period', 'calendar'],
  'design.consent_by.*': ['consent log-odds per {k}', 'log-odds'],
  'design.references.size': ['reference pool size', 'people'],
  'design.clusters': ['clusters', 'units'],
  'design.cluster_size.mean': ['people per cluster and {per}', 'persons'],
  'design.cluster_size.cv': ['cluster size CV', 'number', 'CV'],
  'design.sampling': ['sampling', 'number'],
  'design.churn': ['churn per {per}', 'share'],
  'design.waves': ['waves', 'number', 'waves'],
  'design.waves.count': ['waves', 'number', 'waves'],
  'design.waves.first': ['first wave starts', 'calendar'],
  'design.waves.every': ['periods between waves', 'periods'],
  'design.never': ['share never started', 'share'],
  'design.dropout': ['dropout share', 'share'],
  'measurement.waves.#': ['survey wave {i}', 'periods'],
  'measurement.response.#': ['response at wave {i}', 'share'],
  'measurement.on_time.#': ['on time at wave {i}', 'share'],
  'measurement.attrition_by_level': ['response log-odds per latent sd', 'log-odds'],
  'analysis.alpha': ['test level α', 'share'],
  'analysis.event_window.0': ['event window from', 'event'],
  'analysis.event_window.1': ['event window to', 'event'],
  'analysis.dynamic_avg_window.0': ['dynamic average from', 'event'],
  'analysis.dynamic_avg_window.1': ['dynamic average to', 'event'],
  'analysis.dynamic_pre_avg_window.0': ['pre-period average from', 'event'],
  'analysis.dynamic_pre_avg_window.1': ['pre-period average to', 'event'],
  'analysis.pretest.test': ['pre-test', 'number'],
  'analysis.pretest.alpha': ['pre-test level α', 'share'],
  'analysis.pretest.periods': ['pre-test periods', 'periods'],
};

/** The parts of a path the words need: group, the pattern, the outcome, list positions, record names. */
export interface PathParts {
  group: ControlGroup;
  /** The path without the outcome's prefix, `#` for positions and `*` for names. */
  pattern: string;
  /** The outcome's position in an `outcomes:` list (undefined: single form, or not an outcome path). */
  outcome?: number;
  positions: number[];
  names: string[];
}

export function pathParts(path: string): PathParts {
  const keys = path.split('.');
  let rest = keys;
  let group: ControlGroup;
  let outcome: number | undefined;
  if (keys[0] === 'outcomes') {
    outcome = Number(keys[1]);
    const isEffect = keys[2] === 'effect';
    group = isEffect ? 'effect' : 'outcome';
    rest = keys.slice(isEffect ? 3 : 2);
  } else if (keys[0] === 'outcome' || keys[0] === 'effect') {
    group = keys[0];
    rest = keys.slice(1);
  } else {
    group = keys[0] as ControlGroup;
  }
  const positions: number[] = [];
  const names: string[] = [];
  const pattern = rest
    .map((k, i) => {
      if (i > 0 && NAMED.has(rest[i - 1]) && !(rest[i - 1] === 'by' && rest[i - 2] !== 'trend')) {
        names.push(k);
        return '*';
      }
      // event_window.0 / .1 are the two ends, not positions in a list.
      if (/^\d+$/.test(k) && !/_window$/.test(rest[i - 1] ?? '')) {
        positions.push(Number(k));
        return '#';
      }
      return k;
    })
    .join('.');
  return { group, pattern, outcome, positions, names };
}

function rowOf(p: PathParts): Row | undefined {
  if (p.group === 'outcome') return OUTCOME[p.pattern];
  if (p.group === 'effect') return EFFECT[p.pattern];
  if (p.group === 'population' && p.pattern.startsWith('population.covariates.')) return COVARIATE[p.pattern.slice('population.'.length)];
  if (p.pattern.startsWith('design.references.covariates.')) {
    const r = COVARIATE[p.pattern.slice('design.references.'.length)];
    return r && [`references: ${r[0]}`, r[1]];
  }
  return OTHER[p.pattern];
}

/** The quantity a path measures (`number` when the table does not know it). */
export function quantityOf(path: string): Quantity {
  return rowOf(pathParts(path))?.[1] ?? 'number';
}

export interface WordsContext {
  words: ScenarioWords;
  /** The scenario as written (plain YAML data). */
  raw: Record<string, unknown>;
  /** The period unit, e.g. month. */
  per: string;
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The outcome a path is about (its item as written, with its effect). */
function outcomeItem(p: PathParts, raw: Record<string, unknown>): Record<string, unknown> {
  if (p.outcome !== undefined && Array.isArray(raw.outcomes)) return isObj(raw.outcomes[p.outcome]) ? raw.outcomes[p.outcome] : {};
  return { ...(isObj(raw.outcome) ? raw.outcome : {}), ...(isObj(raw.effect) ? { effect: raw.effect } : {}) };
}

/** Units of amounts on an outcome's scale: its units as written, else the type's words; never "outcome units". */
function amountUnits(item: Record<string, unknown>, ctx: WordsContext): string {
  const name = String(item.name ?? 'y');
  const u = ctx.words.outcomeUnits[name] ?? ctx.words.effectUnit;
  return !u || u === 'outcome units' ? `units of ${name}` : u;
}

/** The control's label and units. */
export function wordsOf(path: string, ctx: WordsContext): { group: ControlGroup; label: string; units: string } {
  const p = pathParts(path);
  const row = rowOf(p);
  const item = p.group === 'outcome' || p.group === 'effect' ? outcomeItem(p, ctx.raw) : {};
  const effect = isObj(item.effect) ? item.effect : {};
  let label = row?.[0] ?? p.pattern.replace(/^[a-z]+\./, '').replace(/[._#*]+/g, ' ');
  const between = (): string => {
    const c =
      isObj(ctx.raw.population) && Array.isArray(ctx.raw.population.correlations) ? ctx.raw.population.correlations[p.positions[0]] : {};
    return isObj(c) && Array.isArray(c.between) ? c.between.join('–') : String(p.positions[0] + 1);
  };
  label = label
    .replace('{per}', ctx.per)
    .replace('{k}', p.names[p.names.length - 1] ?? '')
    .replace('{i}', String((p.positions[p.positions.length - 1] ?? 0) + 1))
    .replace('{between}', () => between())
    .replace('{estimand}', () => (isObj(effect.target) ? String(effect.target.estimand) : ''));
  // With effect.target the size only shapes the profile: the target value sets the effect's scale.
  if (p.group === 'effect' && p.pattern === 'size' && isObj(effect.target)) label = 'effect profile size (the target sets the scale)';
  if (p.outcome !== undefined) label = `${String(item.name ?? `outcome ${p.outcome + 1}`)}: ${label}`;
  const q = row?.[1] ?? 'number';
  const many = ctx.words.unitNoun.many;
  const per = ctx.per;
  const covName = p.names[p.names.length - 1] ?? '';
  const units: Record<Quantity, string> = {
    calendar: `${per} (period number)`,
    event: `${per}s from start`,
    periods: path.startsWith('measurement.waves') ? `${per}s since enrolment` : `${per}s`,
    outcome: amountUnits(item, ctx),
    effect: amountUnits(item, ctx),
    share: 'share',
    correlation: 'correlation',
    people: peopleNoun(ctx),
    persons: 'people',
    units: many,
    'per-period': `${peopleNoun(ctx)}/${per}`,
    latent: p.pattern.startsWith('trend') ? `latent sd/${per}` : 'latent sd',
    'log-odds': 'log-odds',
    relative: 'relative change',
    multiplier: 'multiplier',
    covariate: `units of ${covName}`,
    number: '',
  };
  return { group: p.group, label, units: row?.[2] ?? units[q] };
}

/** People (not clusters): a clusters design's unit noun names its clusters, whose members are people. */
function peopleNoun(ctx: WordsContext): string {
  const d = ctx.raw.design;
  return isObj(d) && d.type === 'clusters' ? 'people' : ctx.words.unitNoun.many;
}
