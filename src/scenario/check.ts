/**
 * Cross-field checks the schema cannot express: names that must exist, periods inside the panel,
 * lengths that must agree. Run on a structurally valid scenario; returns every problem found.
 */
import { Axis, valuesOf } from './axis.js';
import { clusterProblems } from './check-clusters.js';
import { sizeProblems } from './draw-size.js';
import { describeFound, type ScenarioProblem } from './errors.js';
import type { Scenario } from './schema.js';

export function checkScenario(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const add = (path: string, expected: string, found: unknown) => out.push({ path, expected, found: describeFound(found) });
  const covs = s.population.covariates;
  const covNames = Object.keys(covs);
  const known = (what: string) =>
    s.population.from_panel
      ? `a covariate of the panel listed under population.from_panel.covariates (one of: ${covNames.join(', ') || 'none listed'})`
      : `${what} (one of: ${covNames.join(', ') || 'none defined'})`;
  const needCov = (path: string, key: string, allowLevel = false) => {
    if (!Object.hasOwn(covs, key) && !(allowLevel && key === 'level'))
      add(path, known(`a covariate defined under population.covariates${allowLevel ? ', or level' : ''}`), key);
  };
  const first = s.periods.first;
  const last = s.periods.first + s.periods.count - 1;
  const inPanel = (path: string, p: number) => {
    if (p < first || p > last) add(path, `a period from ${first} to ${last} (periods.first … first + count − 1)`, p);
  };
  const window = (path: string, w: { from: number; to: number }) => {
    inPanel(`${path}.from`, w.from);
    inPanel(`${path}.to`, w.to);
    if (w.from > w.to) add(`${path}.to`, `a period ≥ from (${w.from})`, w.to);
  };

  // population
  for (const [k, c] of Object.entries(covs)) {
    if (c.type === 'categorical') {
      if (c.p.length !== c.levels.length) add(`population.covariates.${k}.p`, `${c.levels.length} probabilities, one per level`, c.p);
      const sum = c.p.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6)
        add(`population.covariates.${k}.p`, 'probabilities summing to 1', `${c.p.join(' + ')} = ${+sum.toFixed(6)}`);
    }
  }
  // A correlation is between covariates and outcomes' unit levels (`level` or an outcome's name).
  const copulaNames = [...covNames, 'level', ...s.outcomes.map((o) => o.name)];
  s.population.correlations.forEach((c, i) =>
    c.between.forEach((n, j) => {
      if (!copulaNames.includes(n))
        add(`population.correlations.${i}.between.${j}`, `a covariate or an outcome (one of: ${[...new Set(copulaNames)].join(', ')})`, n);
    }),
  );
  const pairs = s.population.correlations.map((c) =>
    [...c.between]
      .map((n) => (n === s.outcome.name ? 'level' : n))
      .sort()
      .join('\0'),
  );
  pairs.forEach((p, i) => {
    if (pairs.indexOf(p) !== i)
      add(`population.correlations.${i}.between`, 'a pair not stated by another correlation', s.population.correlations[i].between);
    if (p.split('\0')[0] === p.split('\0')[1])
      add(`population.correlations.${i}.between`, 'two different variables', s.population.correlations[i].between);
  });
  for (const [g, conds] of Object.entries(s.population.subgroups)) {
    for (const [k, v] of Object.entries(conds)) {
      const path = `population.subgroups.${g}.${k}`;
      const c = Object.hasOwn(covs, k) ? covs[k] : undefined;
      if (!c) {
        needCov(path, k);
        continue;
      }
      if (c.type === 'categorical' && typeof v === 'string' && !c.levels.includes(v))
        add(path, `a level of ${k} (${c.levels.join(', ')})`, v);
      if (c.type === 'binary' && typeof v === 'number' && v !== 0 && v !== 1) add(path, '0 or 1', v);
    }
  }

  // outcomes and their effects (the single form's paths are outcome.* and effect.*)
  const listForm = Object.keys(s).includes('outcomes');
  const outcomeNames = s.outcomes.map((o) => o.name);
  s.outcomes.forEach((item, i) => {
    const { effect: e, ...o } = item;
    const op = listForm ? `outcomes.${i}` : 'outcome';
    const ep = listForm ? `outcomes.${i}.effect` : 'effect';
    if (listForm && outcomeNames.indexOf(o.name) !== i) add(`${op}.name`, 'a name not used by another outcome', o.name);
    if (Object.hasOwn(covs, o.name))
      add(
        `${op}.name`,
        `an outcome name that is not a covariate's (the outcome's unit level is the copula variable ${o.name}; covariates: ${covNames.join(', ')})`,
        o.name,
      );
    if (i > 0 && o.name === 'level') add(`${op}.name`, "a name other than level (level is the first outcome's unit level)", o.name);
    Object.keys(o.covariate_effects).forEach((k) => needCov(`${op}.covariate_effects.${k}`, k));
    Object.keys(o.trend.by).forEach((k) => needCov(`${op}.trend.by.${k}`, k));
    if (o.type === 'count')
      for (const m of valuesOf(o.mean))
        for (const sa of valuesOf(o.share_any)) {
          if (m > sa * o.max) add(`${op}.mean`, `a mean ≤ share_any × max = ${sa * o.max}`, m);
        }
    if (o.type === 'scale' && o.min >= o.max) add(`${op}.max`, `a number > min (${o.min})`, o.max);
    Object.keys(e.by_covariate).forEach((k) => needCov(`${ep}.by_covariate.${k}`, k));
    if (e.announcement && e.announcement.from > e.announcement.to)
      add(`${ep}.announcement.to`, `an event period ≥ from (${e.announcement.from})`, e.announcement.to);
    if (o.type !== 'binary' && valuesOf(e.persistence).some((b) => b > 0))
      add(
        `${ep}.persistence`,
        `0: effect.persistence is implemented for binary outcomes only (this outcome is ${o.type})`,
        e.persistence instanceof Axis ? e.persistence.values : e.persistence,
      );
    out.push(...clusterKeyProblems(s, item, op, ep));
    // With a target the size only shapes the profile (the target rescales it): varying it, or a zero
    // profile, would silently change nothing or leave nothing to scale.
    if (e.target && e.size instanceof Axis)
      add(
        `${ep}.size`,
        `one value: effect.target fixes the effect's scale, so vary ${ep}.target.value instead (or set ${ep}.target to null)`,
        e.size.values,
      );
    else if (e.target && e.size === 0 && !e.anticipation && !e.announcement)
      add(
        `${ep}.size`,
        `a non-zero profile for effect.target to scale: set ${ep}.target.value to 0 for no effect (or ${ep}.target to null)`,
        0,
      );
  });

  // design
  const d = s.design;
  if (d.type === 'clusters') out.push(...clusterProblems(s, d));
  else if (d.type !== 'waitlist' && s.population.size === undefined)
    add('population.size', `a population size (design ${d.type} draws a fixed population)`, undefined);
  if (d.type === 'waitlist') {
    const r = d.recruitment;
    window('design.recruitment', r);
    r.shortfalls.forEach((sf, i) => inPanel(`design.recruitment.shortfalls.${i}.from_month`, sf.from_month));
    r.shortfalls.forEach((sf, i) => {
      if (sf.to_month !== undefined && sf.to_month < sf.from_month)
        add(`design.recruitment.shortfalls.${i}.to_month`, `a period ≥ from_month (${sf.from_month})`, sf.to_month);
    });
    if (r.target_cut) inPanel('design.recruitment.target_cut.at', r.target_cut.at);
    Object.keys(r.consent_by).forEach((k) => needCov(`design.recruitment.consent_by.${k}`, k, true));
    if (d.predictable_allocation) inPanel('design.predictable_allocation.until', d.predictable_allocation.until);
    if ('windows' in d.start_groups) d.start_groups.windows.forEach((w, i) => window(`design.start_groups.windows.${i}`, w));
  }
  if (d.type === 'quota_lists') {
    window('design.spells', d.spells);
    d.intakes.forEach((it, i) => {
      inPanel(`design.intakes.${i}.period`, it.period);
      for (const lag of valuesOf(d.list_lag))
        if (it.period - lag < first)
          add(`design.intakes.${i}.period`, `a period ≥ ${first + lag} (its list is drawn list_lag = ${lag} periods before)`, it.period);
      if (i > 0 && it.period < d.intakes[i - 1].period)
        add(`design.intakes.${i}.period`, `a period ≥ ${d.intakes[i - 1].period} (intakes in time order)`, it.period);
    });
    d.start_groups.windows.forEach((w, i) => window(`design.start_groups.windows.${i}`, w));
    d.controls.windows.forEach((w, i) => window(`design.controls.windows.${i}`, w));
    d.quotas.forEach((q, i) => {
      needCov(`design.quotas.${i}.covariate`, q.covariate);
      if (q.min === undefined && q.max === undefined) add(`design.quotas.${i}`, 'a min or a max share', q);
      const c = Object.hasOwn(covs, q.covariate) ? covs[q.covariate] : undefined;
      if (c?.type === 'normal') add(`design.quotas.${i}.covariate`, 'a binary or categorical covariate', q.covariate);
      if (c?.type === 'categorical' && !c.levels.includes(String(q.value)))
        add(`design.quotas.${i}.value`, `a level of ${q.covariate} (${c.levels.join(', ')})`, q.value);
    });
    d.intakes.forEach((it, i) => {
      if (!d.start_groups.windows.some((w) => it.period >= w.from && it.period <= w.to)) {
        add(`design.intakes.${i}.period`, 'a period inside one of design.start_groups.windows', it.period);
      }
    });
  }
  if (d.type === 'adoption') {
    d.schedule.forEach((p, i) => {
      inPanel(`design.schedule.${i}.period`, p.period);
      if (i > 0 && p.period <= d.schedule[i - 1].period)
        add(`design.schedule.${i}.period`, `a period after ${d.schedule[i - 1].period} (increasing)`, p.period);
      if (i > 0 && p.members < d.schedule[i - 1].members)
        add(`design.schedule.${i}.members`, `a cumulative count ≥ ${d.schedule[i - 1].members}`, p.members);
      for (const n of valuesOf(s.population.size ?? Infinity))
        if (p.members > n) add(`design.schedule.${i}.members`, `at most population.size (${n})`, p.members);
    });
    Object.keys(d.adopt_by).forEach((k) => needCov(`design.adopt_by.${k}`, k));
  }
  if (d.type === 'matched') {
    if (d.start <= first || d.start > last)
      add('design.start', `a period from ${first + 1} to ${last} (at least one period before start)`, d.start);
    Object.keys(d.consent_by).forEach((k) => needCov(`design.consent_by.${k}`, k, true));
    Object.keys(d.references.covariates).forEach((k) => needCov(`design.references.covariates.${k}`, k));
    d.match_on.forEach((k, i) => {
      needCov(`design.match_on.${i}`, k);
      if (Object.hasOwn(covs, k) && covs[k].type === 'normal')
        add(`design.match_on.${i}`, 'a binary or categorical covariate (exact matching)', k);
    });
  }

  // measurement
  const m = s.measurement;
  if (m) {
    if (d.type !== 'waitlist') add('measurement', 'no measurement block (survey waves need design.type waitlist)', d.type);
    if (m.response.length !== m.waves.length) add('measurement.response', `${m.waves.length} response shares, one per wave`, m.response);
    if (m.on_time && m.on_time.length !== m.waves.length) add('measurement.on_time', `${m.waves.length} shares, one per wave`, m.on_time);
    m.waves.forEach((w, i) => {
      if (i > 0 && w <= m.waves[i - 1]) add(`measurement.waves.${i}`, `a wave after ${m.waves[i - 1]} (increasing)`, w);
    });
    m.response.forEach((r, i) => {
      if (i > 0 && r > m.response[i - 1])
        add(`measurement.response.${i}`, `a share ≤ ${m.response[i - 1]} (attrition only removes people)`, r);
    });
  }

  // analysis
  const a = s.analysis;
  a.subgroups.forEach((g, i) => {
    if (!Object.hasOwn(s.population.subgroups, g))
      add(
        `analysis.subgroups.${i}`,
        `a subgroup defined under population.subgroups (${Object.keys(s.population.subgroups).join(', ') || 'none defined'})`,
        g,
      );
  });
  a.estimators.forEach((est, i) => est.covariates.forEach((k, j) => needCov(`analysis.estimators.${i}.covariates.${j}`, k)));
  // dcdh's covariates are did_multiplegt_dyn's controls, netted out through their changes over time;
  // a simulated panel's covariates are unit-level, so every one would be refused at every draw.
  a.estimators.forEach((est, i) => {
    if (est.type === 'dcdh' && est.covariates.length > 0)
      add(
        `analysis.estimators.${i}.covariates`,
        "no covariates for dcdh in a scenario: its covariates are did_multiplegt_dyn's time-varying controls and a simulated panel's covariates are unit-level (use trends_nonparam to compare within a unit-level column's cells; controls work with stagger estimate --covariates on a panel file)",
        est.covariates,
      );
    // twowayfeweights' controls: a unit-level column is absorbed by the unit effects (fe types) or
    // differenced away (fd types), so it would be left out at every draw.
    if (est.type === 'twowayfeweights' && est.covariates.length > 0)
      add(
        `analysis.estimators.${i}.covariates`,
        "no covariates for twowayfeweights in a scenario: a simulated panel's covariates are unit-level, which the unit effects absorb (feTR, feS) and first differences remove (fdTR, fdS); its controls work with stagger estimate --covariates on a panel file with time-varying columns",
        est.covariates,
      );
  });
  const names = a.estimators.map((x) => x.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) add(`analysis.estimators.${i}.name`, 'a name not used by another estimator', n);
  });
  if (a.event_window[0] > a.event_window[1]) add('analysis.event_window', '[min_e, max_e] with min_e ≤ max_e', a.event_window);
  // The narrowed averages read rows of the dynamic detail, which holds only the event window.
  const inWindow = (path: string, w: readonly [number, number] | undefined) => {
    if (!w) return;
    if (w[0] > w[1]) add(path, '[from, to] with from ≤ to', w);
    // (A reversed event window is its own error; the windows inside it are then not judged by it.)
    else if (a.event_window[0] <= a.event_window[1] && (w[0] < a.event_window[0] || w[1] > a.event_window[1]))
      add(path, `event times within analysis.event_window [${a.event_window.join(', ')}]`, w);
  };
  inWindow('analysis.dynamic_avg_window', a.dynamic_avg_window);
  inWindow('analysis.dynamic_pre_avg_window', a.dynamic_pre_avg_window);
  // The narrowing settings define estimands of the dynamic and group aggregations; with those left out
  // of analysis.estimands they still define the truth an effect.target is stated on (generate.ts).

  // sizes: the grid's points and one draw's memory, before anything is built (draw-size.ts)
  out.push(...sizeProblems(s));
  return out;
}

/**
 * The people-inside-clusters keys (world/cluster-outcomes.ts): icc, cac, decay and effect.person_sd
 * mean something only in a clusters design (elsewhere each unit is one person), decay replaces a
 * cac below 1, and a cohort needs individual variance to split.
 */
function clusterKeyProblems(s: Scenario, o: Scenario['outcomes'][number], op: string, ep: string): ScenarioProblem[] {
  const e = o.effect;
  const out: ScenarioProblem[] = [];
  const add = (path: string, expected: string, found: unknown) => out.push({ path, expected, found: describeFound(found) });
  const shown = <T>(v: T | Axis<T>) => (v instanceof Axis ? v.values : v);
  // design.type clusters arrives with the cluster design (issue 15); compared as text until then.
  const design = s.design as { type: string; sampling?: unknown };
  const clusters = design.type === 'clusters';
  const where = 'a clusters design (design.type: clusters); here each unit is one person';
  if (!clusters && valuesOf(e.person_sd).some((v) => v > 0))
    add(`${ep}.person_sd`, `0: effect.person_sd is for ${where} (its heterogeneity is effect.unit_sd)`, shown(e.person_sd));
  if (clusters && valuesOf(e.persistence).some((b) => b > 0))
    add(`${ep}.persistence`, '0 in a clusters design (the latent threshold already moves the same people)', shown(e.persistence));
  if (o.type !== 'continuous' && o.type !== 'binary') {
    if (clusters) add(`${op}.type`, 'continuous or binary in a clusters design (the cluster world draws those two)', o.type);
    return out;
  }
  if (clusters && o.icc === undefined)
    add(`${op}.icc`, 'the intra-cluster correlation in [0, 1) on the outcome scale (a clusters design needs it)', undefined);
  if (o.decay !== undefined && valuesOf(o.cac).some((c) => c < 1))
    add(
      `${op}.decay`,
      `no decay together with cac < 1 (cac: ${JSON.stringify(shown(o.cac))}): decay^|s−t| replaces the block-exchangeable cac`,
      shown(o.decay),
    );
  if (!clusters) {
    if (o.icc !== undefined) add(`${op}.icc`, `no icc: outcome.icc is for ${where}`, shown(o.icc));
    if (o.decay !== undefined) add(`${op}.decay`, `no decay: outcome.decay is for ${where}`, shown(o.decay));
    if (valuesOf(o.cac).some((c) => c < 1)) add(`${op}.cac`, `1 (the default): outcome.cac is for ${where}`, shown(o.cac));
  }
  const cohort =
    clusters && (design.sampling === 'cohort' || (design.sampling instanceof Axis && design.sampling.values.includes('cohort')));
  if (cohort)
    for (const u of valuesOf(o.unit_sd))
      for (const n of valuesOf(o.noise_sd))
        if (u === 0 && n === 0)
          add(`${op}.noise_sd`, 'a value above 0 (or unit_sd above 0): in a cohort they split the individual variance', 0);
  return out;
}
