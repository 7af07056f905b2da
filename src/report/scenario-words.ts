/**
 * The scenario in words, for the report: a few plain sentences per block (population, outcome,
 * effects, design, analysis) from the scenario file as written, and every setting of the block as a
 * dotted path and value, so nothing is hidden by the prose. Reads the YAML as data (no validation, no
 * generator), so a report can always be built, even for a design this module has no sentences for.
 */
import { parse } from 'yaml';
import { estimatorWords } from './estimator-words.js';
import { pct, periodLabel, setting, type PeriodInfo } from './format.js';

export interface ScenarioSection {
  title: string;
  sentences: string[];
  /** Dotted path → value as written (lists shown as "a | b | c": a grid axis). */
  settings: [string, string][];
}

export interface ScenarioWords {
  name: string;
  title: string;
  description: string;
  periods: PeriodInfo | null;
  /** Period count and unit, e.g. "114 months". */
  span: string;
  outcomeName: string;
  /** Units of an effect on the outcome, for axis labels, e.g. "kr/month". */
  effectUnit: string;
  /** Units of each outcome's effect, by outcome name (the first is effectUnit). */
  outcomeUnits: Record<string, string>;
  /** What one unit of the population is (population.unit; default people, units for adoption designs). */
  unitNoun: UnitNoun;
  sections: ScenarioSection[];
}

export interface UnitNoun {
  one: string;
  many: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);

function show(v: unknown): string {
  if (Array.isArray(v)) return v.every((x) => !isObj(x) && !Array.isArray(x)) ? v.map(show).join(' | ') : JSON.stringify(v);
  if (isObj(v)) return JSON.stringify(v);
  if (typeof v === 'number') return setting(v);
  return String(v);
}

/** Every leaf of a block as [dotted path, value]; lists of scalars stay one leaf (a grid axis). */
export function flatten(v: unknown, prefix: string): [string, string][] {
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
  return [[prefix, show(v)]];
}

/** A setting that may be a grid axis, in words: "0.6" or "one of 0.5, 0.6, 0.7 (a grid axis)". */
function val(v: unknown, f: (x: number) => string = setting): string {
  if (Array.isArray(v)) return `one of ${v.map((x) => (typeof x === 'number' ? f(x) : String(x))).join(', ')} (a grid axis)`;
  return typeof v === 'number' ? f(v) : String(v);
}

const UNITS: Record<string, (per: string) => string> = {
  earnings: (per) => `kr/${per}`,
  count: (per) => `days/${per}`,
  binary: () => 'share points (0–1)',
  share: () => 'share points (0–1)',
  continuous: () => 'outcome units',
  scale: () => 'scale points',
};

/** population.unit as written, else people (units for an adoption design, whose units are aggregates). */
export function unitNounOf(s: Obj): UnitNoun {
  const p = isObj(s.population) ? s.population : {};
  const u = isObj(p.unit) ? p.unit : {};
  if (typeof u.one === 'string' && typeof u.many === 'string') return { one: u.one, many: u.many };
  return isObj(s.design) && s.design.type === 'adoption' ? { one: 'unit', many: 'units' } : { one: 'person', many: 'people' };
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

function populationWords(p: Obj, who: UnitNoun): string[] {
  const out: string[] = [];
  const people = who.many;
  if (p.size !== undefined) out.push(`A population of ${val(p.size)} ${people}.`);
  const fp = p.from_panel;
  if (isObj(fp)) {
    const covs = Array.isArray(fp.covariates) && fp.covariates.length ? `, with their ${fp.covariates.join(', ')}` : '';
    out.push(
      `${cap(people)} are resampled whole from the panel ${String(fp.file)} (with replacement): each brings its own outcome path${covs}.`,
    );
  }
  const covs = isObj(p.covariates) ? Object.entries(p.covariates) : [];
  if (covs.length) {
    const parts = covs.map(([name, c]) => {
      if (!isObj(c)) return name;
      if (c.type === 'binary') return `${name} (yes for ${val(c.p, (x) => pct(x))})`;
      if (c.type === 'normal') return `${name} (mean ${val(c.mean)}, SD ${val(c.sd)})`;
      if (c.type === 'categorical' && Array.isArray(c.levels)) return `${name} (${c.levels.join(', ')})`;
      return `${name} (${String(c.type)})`;
    });
    out.push(`${cap(people)} are described by ${parts.join('; ')}.`);
  }
  const subs = isObj(p.subgroups) ? Object.entries(p.subgroups) : [];
  if (subs.length) {
    out.push(
      `Subgroups: ${subs
        .map(
          ([n, cond]) =>
            `${n} (${
              isObj(cond)
                ? Object.entries(cond)
                    .map(([k, v]) => `${k} ${isObj(v) ? show(v) : `= ${show(v)}`}`)
                    .join(', ')
                : show(cond)
            })`,
        )
        .join('; ')}.`,
    );
  }
  return out;
}

function outcomeWords(o: Obj, unit: string): string[] {
  const name = String(o.name ?? 'y');
  const out = [`The outcome is ${name}${name === o.type ? '' : ` (${String(o.type)})`}, measured every period.`];
  if (o.mean === undefined && o.p === undefined) {
    // from_panel: the outcome's values are the panel's own
  } else if (o.type === 'earnings' || o.type === 'count') {
    out.push(
      `Before the programme its mean is ${val(o.mean)} ${unit}; ${val(o.share_any, (x) => pct(x))} have any in a period (zero-heavy and skewed).`,
    );
  } else if (o.type === 'binary' || o.type === 'share') {
    out.push(`Its baseline share is ${val(o.p, (x) => pct(x))}.`);
  } else if (o.mean !== undefined) {
    out.push(`Its baseline mean is ${val(o.mean)}${o.sd !== undefined ? `, SD ${val(o.sd)}` : ''}.`);
  }
  if (o.rho !== undefined) out.push(`Period-to-period noise is autocorrelated (AR(1) coefficient ${val(o.rho)}).`);
  if (o.icc !== undefined) {
    const corr =
      o.decay !== undefined
        ? `, the correlation of a cluster's periods decaying as ${val(o.decay)} to the power of their distance (Kasza et al. 2019)`
        : o.cac !== undefined && o.cac !== 1
          ? `, cluster autocorrelation ${val(o.cac)} between two different periods`
          : '';
    out.push(`Intra-cluster correlation ${val(o.icc)} on the outcome's own scale${corr}.`);
  }
  return out;
}

function effectWords(e: Obj, unit: string, per: string): string[] {
  const out = [`The programme's effect reaches ${val(e.size)} ${unit} at its plateau.`];
  const shape: string[] = [];
  if (e.onset !== undefined) shape.push(`appears ${val(e.onset)} ${per}s after start`);
  if (e.ramp !== undefined && e.ramp !== 0) shape.push(`ramps up over ${val(e.ramp)} ${per}s`);
  if (e.duration !== undefined) shape.push(e.duration === null ? 'lasts for ever' : `stays at full size for ${val(e.duration)} ${per}s`);
  if (e.decay !== undefined && e.decay !== 0) shape.push(`then fades over ${val(e.decay)} ${per}s`);
  if (shape.length) out.push(`It ${shape.join(', ')}.`);
  if (isObj(e.by_covariate) && Object.keys(e.by_covariate).length) {
    out.push(
      `It differs by ${Object.entries(e.by_covariate)
        .map(([k, v]) => `${k} (relative change ${val(v)} per unit)`)
        .join(', ')}.`,
    );
  }
  if (Array.isArray(e.by_group)) out.push(`By start group it is multiplied by ${e.by_group.map(show).join(', ')} (1st, 2nd, … group).`);
  if (isObj(e.anticipation))
    out.push(`Anticipation: ${val(e.anticipation.size)} ${unit} in the last ${val(e.anticipation.periods)} ${per}s before start.`);
  if (isObj(e.announcement))
    out.push(
      `Announcement effect: ${val(e.announcement.size)} ${unit} from event ${per} ${show(e.announcement.from)} to ${show(e.announcement.to)}.`,
    );
  return out;
}

function designWords(d: Obj, periods: PeriodInfo | null, per: string, who: UnitNoun): string[] {
  const at = (p: unknown) =>
    typeof p === 'number' ? `${per} ${p}${periods?.calendarStart ? ` (${periodLabel(p, periods)})` : ''}` : show(p);
  const out: string[] = [];
  if (d.type === 'waitlist') {
    const r = isObj(d.recruitment) ? d.recruitment : {};
    out.push(
      `A wait-list experiment: ${who.many} referred from ${at(r.from)} to ${at(r.to)}, about ${val(r.referrals)} a ${per} as planned, are asked to join; ${val(r.consent, (x) => pct(x))} consent and ${val(r.exclusion ?? 0, (x) => pct(x, 1))} of those are excluded.`,
    );
    if (Array.isArray(r.shortfalls) && r.shortfalls.length) {
      out.push(
        `Referrals fall short of the plan: ${r.shortfalls.map((s) => (isObj(s) ? `by ${val(s.share, (x) => pct(x))} from ${at(s.from_month)}${s.to_month !== undefined ? ` to ${at(s.to_month)}, then back to plan` : ''}` : show(s))).join(', ')}.`,
      );
    }
    if (r.target !== undefined && r.target !== null) {
      out.push(
        `Recruitment stops at ${val(r.target)} analysed${isObj(r.target_cut) ? `, a target cut to ${val(r.target_cut.to)} at ${at(r.target_cut.at)}` : ''}, or when the window closes.`,
      );
    }
    out.push(
      `${val(d.treatment_share, (x) => pct(x))} are randomised to start at once; controls wait at least ${val(d.min_wait)} ${per}s${d.extra_wait ? ` (plus ${val(d.extra_wait)} on average)` : ''}, then start too.`,
    );
  } else if (d.type === 'quota_lists') {
    out.push(
      `Quota-constrained list sampling: every ${val(d.every_kth)}th ${who.one} on lists of programme participants is offered the programme, in ${Array.isArray(d.intakes) ? d.intakes.length : '?'} intakes that must meet quotas; the rest are never-treated controls.`,
    );
  } else if (d.type === 'adoption') {
    out.push(`Staggered adoption: ${who.many} join over time following a schedule of cumulative members; the rest never join.`);
  } else if (d.type === 'matched') {
    out.push(
      `Matched follow-up: participants starting in ${at(d.start)} (${val(d.consent, (x) => pct(x))} registered) are matched 1:1 to references on ${Array.isArray(d.match_on) ? d.match_on.join(', ') : show(d.match_on)}.`,
    );
  } else if (d.type === 'clusters') {
    out.push(...clusterDesignWords(d, at, per, who));
  } else {
    out.push(`Design type ${show(d.type)}: see the settings below.`);
  }
  if (isObj(d.start_groups)) {
    const sg = d.start_groups;
    out.push(
      sg.count !== undefined
        ? `Start dates are binned into ${val(sg.count)} nearly equal start groups.`
        : `Start groups are fixed windows of start dates.`,
    );
  }
  return out;
}

/**
 * A clusters design (stepped-wedge trial) in words: the clusters are population.unit (clinics), the
 * people inside them are people; the keys are the agreed clusters keys (scenarios/README.md).
 */
function clusterDesignWords(d: Obj, at: (p: unknown) => string, per: string, who: UnitNoun): string[] {
  const many = who.many === 'people' ? 'clusters' : who.many;
  const one = who.many === 'people' ? 'cluster' : who.one;
  const out: string[] = [];
  const size = isObj(d.cluster_size) ? d.cluster_size : {};
  const cv = size.cv !== undefined && size.cv !== 0 ? `, varying between ${many} with CV ${val(size.cv)}` : '';
  const sampling =
    d.sampling === 'cohort'
      ? `the same people followed${d.churn ? `, ${val(d.churn, (x) => pct(x))} of them replaced each ${per}` : ''}`
      : 'new people each period (repeated cross-sections)';
  out.push(
    `A cluster rollout (stepped-wedge trial): ${val(d.clusters)} ${many}, about ${val(size.mean)} people per ${one} and ${per}${cv}; ${sampling}.`,
  );
  if (d.waves !== undefined) {
    const w = isObj(d.waves) ? d.waves : { count: d.waves };
    const when = [w.first !== undefined ? `the first at ${at(w.first)}` : '', w.every !== undefined ? `every ${val(w.every)} ${per}s` : '']
      .filter(Boolean)
      .join(', ');
    out.push(
      `${cap(many)} are split as equally as possible into ${val(w.count)} waves${when ? ` (${when})` : ''} and randomised to them${typeof d.stratify_by === 'string' ? `, within strata of ${d.stratify_by}` : ''}.`,
    );
  } else if (Array.isArray(d.schedule)) {
    out.push(
      `${cap(many)} start by a schedule of cumulative shares: ${d.schedule.map((x) => (isObj(x) ? `${val(x.share, (y) => pct(y))} by ${at(x.period)}` : show(x))).join(', ')}${typeof d.stratify_by === 'string' ? `, randomised within strata of ${d.stratify_by}` : ''}.`,
    );
  }
  const rest: string[] = [];
  if (d.never !== undefined && d.never !== 0) rest.push(`${val(d.never, (x) => pct(x))} of ${many} never start (a parallel arm)`);
  if (d.dropout !== undefined && d.dropout !== 0) rest.push(`${val(d.dropout, (x) => pct(x))} drop out`);
  if (rest.length) out.push(`${cap(rest.join('; '))}.`);
  return out;
}

function analysisWords(a: Obj): string[] {
  const out: string[] = [];
  const ests = Array.isArray(a.estimators) ? a.estimators.filter(isObj) : [];
  if (ests.length) out.push(`Estimators: ${ests.map((e) => `${String(e.name)}: ${estimatorWords(e)}`).join('; ')}.`);
  if (Array.isArray(a.estimands))
    out.push(
      `Estimands: ${a.estimands.join(', ')}${Array.isArray(a.subgroups) && a.subgroups.length ? `, also for ${a.subgroups.join(', ')}` : ''}.`,
    );
  if (Array.isArray(a.event_window))
    out.push(`Event window ${a.event_window.map(show).join(' to ')}; tests at α = ${val(a.alpha ?? 0.05)}.`);
  if (isObj(a.pretest)) {
    const p = a.pretest;
    const test =
      p.test === 'individual'
        ? `no event-study coefficient of the last ${val(p.periods ?? 3)} pre-periods significant`
        : `a Wald test of the last ${val(p.periods ?? 3)} pre-periods`;
    out.push(
      `Pre-test (Roth 2022): ${test} at α = ${val(p.alpha ?? 0.05)} in every draw; each estimator is also diagnosed among the draws that pass it (rows NAME|passed; its pass rate in NAME|pretest).`,
    );
  }
  return out;
}

/** The scenario file's text in words; throws only when the text is not YAML. */
export function scenarioWords(text: string): ScenarioWords {
  const s = parse(text) as unknown;
  if (!isObj(s)) throw new Error('the scenario file is not a YAML mapping');
  const p = isObj(s.periods) ? s.periods : {};
  const per = String(p.unit ?? 'month');
  const periods: PeriodInfo | null =
    typeof p.first === 'number'
      ? { first: p.first, unit: per, calendarStart: typeof p.calendar_start === 'string' ? p.calendar_start : undefined }
      : null;
  // `outcomes:` (a list, each with its effect) or `outcome:` + `effect:`; the first outcome leads.
  const items: Obj[] = Array.isArray(s.outcomes)
    ? s.outcomes.filter(isObj)
    : isObj(s.outcome)
      ? [{ ...s.outcome, ...(isObj(s.effect) ? { effect: s.effect } : {}) }]
      : [];
  const o = items[0] ?? {};
  // outcome.units as written (e.g. kr/month, percentage points), else a guess from the outcome type.
  const unitOf = (x: Obj) => (typeof x.units === 'string' && x.units ? x.units : (UNITS[String(x.type)] ?? (() => 'outcome units'))(per));
  const who = unitNounOf(s);
  const unit = unitOf(o);
  const outcomeUnits = Object.fromEntries(items.map((x) => [String(x.name ?? 'y'), unitOf(x)]));
  const block = (key: string, title: string, words: (b: Obj) => string[]): ScenarioSection | null => {
    if (!isObj(s[key])) return null;
    return { title, sentences: words(s[key] as Obj), settings: flatten(s[key], key) };
  };
  const sections = [
    block('population', 'Population', (b) => populationWords(b, who)),
    ...(Array.isArray(s.outcomes)
      ? items.flatMap((x, i) => {
          const { effect, ...spec } = x;
          const nm = String(x.name ?? 'y');
          const e = isObj(effect) ? effect : {};
          return [
            { title: `Outcome ${i + 1}: ${nm}`, sentences: outcomeWords(spec, unitOf(x)), settings: flatten(spec, `outcomes.${i}`) },
            { title: `Effects on ${nm}`, sentences: effectWords(e, unitOf(x), per), settings: flatten(e, `outcomes.${i}.effect`) },
          ];
        })
      : [block('outcome', 'Outcome', (b) => outcomeWords(b, unit)), block('effect', 'Effects', (b) => effectWords(b, unit, per))]),
    block('design', 'Design', (b) => designWords(b, periods, per, who)),
    block('measurement', 'Measurement', () => ['Outcomes are measured in survey waves, with attrition.']),
    block('analysis', 'Analysis', analysisWords),
  ].filter((x): x is ScenarioSection => x !== null);
  const first = typeof p.first === 'number' ? p.first : 1;
  const count = typeof p.count === 'number' ? p.count : NaN;
  const span = Number.isFinite(count)
    ? `${count} ${per}s${periods?.calendarStart ? ` (${periodLabel(first, periods)} to ${periodLabel(first + count - 1, periods)})` : ''}`
    : '';
  return {
    name: String(s.name ?? ''),
    title: String(s.title ?? s.name ?? 'Scenario'),
    description: typeof s.description === 'string' ? s.description.trim() : '',
    periods,
    span,
    outcomeName: String(o.name ?? 'y'),
    effectUnit: unit,
    outcomeUnits,
    unitNoun: who,
    sections,
  };
}
