/**
 * Cross-field checks of a clusters design (design.type: clusters, issue 15): exactly one of waves and
 * schedule, every wave inside the periods with a baseline period before the first, cohort-only churn,
 * a stratifying covariate that exists and has strata, and enough clusters left to start and to analyse
 * at every grid value. In a clusters design population.covariates are the clusters' own.
 */
import { Axis, valuesOf } from './axis.js';
import { waveStarts } from '../design/cluster-waves.js';
import { describeFound, type ScenarioProblem } from './errors.js';
import { nearestHint } from './nearest-name.js';
import type { Scenario } from './schema.js';

type ClustersSpec = Extract<Scenario['design'], { type: 'clusters' }>;

/** The values a setting takes, for the message: the axis's list or the value. */
const shown = (v: unknown) => (v instanceof Axis ? v.values : v);

export function clusterProblems(s: Scenario, d: ClustersSpec): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const add = (path: string, expected: string, found: unknown) => out.push({ path, expected, found: describeFound(found) });
  const first = s.periods.first;
  const last = first + s.periods.count - 1;
  const covs = s.population.covariates;

  if (s.population.size !== undefined)
    add(
      'population.size',
      'no population.size in a clusters design (the number of clusters is design.clusters, the people per cluster and period design.cluster_size.mean)',
      shown(s.population.size),
    );
  if (s.population.from_panel)
    add('population.from_panel', 'no from_panel in a clusters design (resampling a real panel is not implemented for clusters)', '');
  // `stagger simulate` writes the cells' sizes and sums of squares as columns n and ss (cli/panel-csv.ts).
  for (const k of ['n', 'ss'])
    if (Object.hasOwn(covs, k))
      add(`population.covariates.${k}`, `a covariate name other than n and ss (the panel CSV's cell-size and within-cell SS columns)`, k);
  // The cluster frame carries covariates only: a correlation with an outcome's level would be ignored.
  const outcomes = new Set(['level', ...s.outcomes.map((o) => o.name)]);
  s.population.correlations.forEach((c, i) =>
    c.between.forEach((n, j) => {
      if (outcomes.has(n))
        add(
          `population.correlations.${i}.between.${j}`,
          `a cluster covariate (in a clusters design the correlations are between cluster covariates; the outcome's correlation within clusters is outcome.icc), one of: ${Object.keys(covs).join(', ') || 'none defined'}`,
          n,
        );
    }),
  );

  const sampling = valuesOf(d.sampling);
  if (valuesOf(d.churn).some((c) => c > 0) && sampling.includes('cross_section'))
    add(
      'design.churn',
      '0 with sampling cross_section (new people every period already; churn replaces people of a cohort: set design.sampling: cohort)',
      shown(d.churn),
    );

  if (d.waves === undefined && d.schedule === undefined)
    add(
      'design.waves',
      'a rollout: waves (a count, or {count, first, every}) or schedule (cumulative shares of clusters started)',
      undefined,
    );
  if (d.waves !== undefined && d.schedule !== undefined)
    add('design.schedule', 'either design.waves or design.schedule, not both', d.schedule);
  if (d.waves !== undefined) wavesFit(d.waves, first, last, s.periods.count, add);
  if (d.schedule !== undefined) {
    d.schedule.forEach((p, i) => {
      const path = `design.schedule.${i}`;
      if (p.period <= first || p.period > last)
        add(`${path}.period`, `a period from ${first + 1} to ${last} (at least one period before the first start)`, p.period);
      if (i > 0 && p.period <= d.schedule![i - 1].period)
        add(`${path}.period`, `a period after ${d.schedule![i - 1].period} (increasing)`, p.period);
      if (i > 0 && p.share < d.schedule![i - 1].share)
        add(`${path}.share`, `a cumulative share ≥ ${d.schedule![i - 1].share} (non-decreasing)`, p.share);
    });
    if (valuesOf(d.never).some((v) => v > 0))
      add(
        'design.never',
        "0 with a schedule (the clusters not started by the schedule's last share never start: lower that share instead)",
        shown(d.never),
      );
  }

  if (d.stratify_by !== undefined) {
    const k = d.stratify_by;
    const c = Object.hasOwn(covs, k) ? covs[k] : undefined;
    if (!c)
      add(
        'design.stratify_by',
        `a cluster covariate defined under population.covariates (one of: ${Object.keys(covs).join(', ') || 'none defined'})${nearestHint(k, Object.keys(covs))}`,
        k,
      );
    else if (c.type === 'normal') add('design.stratify_by', 'a binary or categorical covariate (its values are the strata)', k);
  }

  // Every grid value: some cluster starts, and two or more clusters are left to analyse.
  const lastShare = d.schedule ? d.schedule[d.schedule.length - 1].share : 1;
  for (const G of valuesOf(d.clusters)) {
    for (const nv of valuesOf(d.never)) {
      const starting = d.schedule ? Math.min(G, Math.round(lastShare * G)) : G - Math.round(nv * G);
      if (starting < 1)
        add(
          d.schedule ? `design.schedule.${d.schedule.length - 1}.share` : 'design.never',
          `a rollout in which at least one of the ${G} clusters starts`,
          d.schedule ? lastShare : nv,
        );
    }
    for (const dr of valuesOf(d.dropout))
      if (G - Math.round(dr * G) < 2)
        add('design.dropout', `a share that leaves at least 2 of the ${G} clusters (${Math.round(dr * G)} would drop out)`, dr);
  }
  return dedupe(out);
}

/**
 * Each wave must start inside the periods, after at least one period of baseline: the starts are
 * first + k·every (design/cluster-waves.ts waveStarts, defaults included) for every count on the grid.
 */
function wavesFit(
  w: NonNullable<ClustersSpec['waves']>,
  first: number,
  last: number,
  count: number,
  add: (path: string, expected: string, found: unknown) => void,
): void {
  const bare = typeof w === 'number' || w instanceof Axis;
  const counts = bare ? valuesOf(w) : valuesOf(w.count);
  for (const K of counts) {
    const rollout = bare ? { count: K } : { count: K, first: w.first, every: w.every };
    const starts = waveStarts(rollout, { first, count });
    if (starts[0] <= first)
      add(
        bare ? 'design.waves' : 'design.waves.first',
        `a first wave from period ${first + 1} on (at least one period before the first wave), not wave 1 of ${K} in period ${starts[0]}`,
        bare ? K : w.first,
      );
    const late = starts.findIndex((p) => p > last);
    if (late >= 0)
      add(
        bare ? 'design.waves' : 'design.waves.count',
        `waves that start within the periods (${first} … ${last}): wave ${late + 1} of ${K} would start in period ${starts[late]} (first ${starts[0]}, every ${starts.length > 1 ? starts[1] - starts[0] : 'period'})`,
        K,
      );
  }
}

function dedupe(ps: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.path}\0${p.expected}\0${p.found}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
