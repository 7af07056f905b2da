/**
 * population.from_panel as a scenario loads: the panel file resolved relative to the scenario file and
 * read (once per process), the outcome reduced to its type and name, the covariates taken from the
 * data. Before validation (prepareFromPanel) the block is checked on its own and the scenario text
 * completed from the panel, so the rest of the schema and every check downstream (subgroups, quotas,
 * matching, effect centring) see the data's own covariates: population.covariates become the panel's
 * marginals, and the outcome's parameters its first-period moments (descriptive only: the draws use
 * the units' paths). After validation (checkFromPanel) the periods and the effect are checked against
 * the panel. Every problem names its path; panel errors are those `stagger estimate` gives.
 */
import { nearest } from './nearest-name.js';
import { isReservedName } from './reserved-keys.js';
import { isAbsolute, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { PanelCsvError, PanelFileError } from '../panel/csv.js';
import { HistoryColumnError } from '../panel/history-csv.js';
import {
  effectRoom,
  impliedCovariates,
  invalidOutcome,
  panelWorld,
  periodMoments,
  rakedWeights,
  type PanelWorld,
} from '../world/resample-panel.js';
import { meanEffect } from '../world/effects.js';
import { describeFound, type ScenarioProblem } from './errors.js';
import { expandGrid } from './grid.js';
import { problemsFromIssue } from './issues.js';
import { fromPanelSchema, type Scenario } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Outcome types a resampled world can carry an effect on (resample-outcomes.ts). */
const SUPPORTED = ['binary', 'earnings', 'count', 'continuous', 'share'];
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** "nearest: x; the header has: a, b, x" */
function columnsText(name: string, header: readonly string[]): string {
  return `a column of the panel (nearest: ${nearest(name, header)}; the header has: ${header.join(', ')})`;
}

/** The outcome's parametric settings from the panel's first period (descriptive; the draws use the paths). */
function describedOutcome(w: PanelWorld, type: string, name: unknown): Obj {
  const m = periodMoments(w);
  const { y, nUnits: N } = w.history.panel;
  const first = y.subarray(0, N);
  const pos = (v: number) => (v > 0 ? v : Number.MIN_VALUE);
  const base = { type, ...(name !== undefined ? { name } : {}) };
  switch (type) {
    case 'binary':
      return { ...base, p: m.share[0] };
    case 'earnings':
      return { ...base, mean: pos(m.mean[0]), share_any: m.share[0] };
    case 'count': {
      let max = 1;
      for (let k = 0; k < y.length; k++) if (y[k] > max) max = y[k];
      return { ...base, mean: pos(m.mean[0]), share_any: m.share[0], max };
    }
    case 'share':
      return { ...base, p: m.mean[0], unit_size: { median: 1, sdlog: 0 } };
    default: {
      let v = 0;
      for (let i = 0; i < N; i++) v += (first[i] - m.mean[0]) ** 2;
      return { ...base, mean: m.mean[0], sd: Math.sqrt(v / Math.max(1, N - 1)) };
    }
  }
}

const reported = new Set<string>();

/** The reader's messages (units dropped to balance the panel), once per file, from the main thread only. */
function report(w: PanelWorld): void {
  if (!isMainThread || reported.has(w.spec.file)) return;
  reported.add(w.spec.file);
  for (const m of w.history.messages) process.stderr.write(`${w.spec.file}: ${m}\n`);
}

export interface PreparedPanel {
  raw: unknown;
  problems: ScenarioProblem[];
  world?: PanelWorld;
}

/**
 * Check population.from_panel and complete the raw scenario from the panel (see the module comment).
 * @param dir the scenario file's folder: from_panel.file is relative to it
 */
export function prepareFromPanel(raw: Obj, dir: string): PreparedPanel {
  const pop = raw.population;
  if (!isObj(pop) || pop.from_panel === undefined) return { raw, problems: [] };
  const problems: ScenarioProblem[] = [];
  const add = (path: string, expected: string, found: string) => problems.push({ path, expected, found });
  const o = raw.outcome;
  const type = isObj(o) ? o.type : undefined;
  if (!isObj(o))
    add('outcome', 'a mapping with the outcome type and name (with population.from_panel the panel gives its values)', describeFound(o));
  else {
    for (const k of Object.keys(o))
      if (k !== 'type' && k !== 'name' && k !== 'units')
        add(
          `outcome.${k}`,
          'only type and name under outcome with population.from_panel (and units, for humans; the outcome values come from the panel)',
          describeFound(k),
        );
    if (typeof type !== 'string' || !SUPPORTED.includes(type)) {
      add(
        'outcome.type',
        `one of ${SUPPORTED.join(', ')}${type === 'scale' ? ' (scale outcomes are not supported with population.from_panel yet: their rounding and clamping keep E[Y(1) − Y(0)] from being the effect)' : ''}`,
        describeFound(type),
      );
    }
  }
  if ('outcomes' in raw)
    add('outcomes', 'a single outcome (a list of outcomes is not supported with population.from_panel yet)', describeFound(raw.outcomes));
  if (pop.covariates !== undefined)
    add(
      'population.covariates',
      'no population.covariates with population.from_panel (the covariates come from the panel: list its columns under population.from_panel.covariates)',
      describeFound(pop.covariates),
    );
  if (pop.correlations !== undefined)
    add(
      'population.correlations',
      'no population.correlations with population.from_panel (the panel carries its own correlations)',
      describeFound(pop.correlations),
    );
  const fp = fromPanelSchema.safeParse(pop.from_panel);
  if (!fp.success)
    problems.push(...fp.error.issues.flatMap((i) => problemsFromIssue(i, raw, ['population', 'from_panel'], fromPanelSchema)));
  let world: PanelWorld | undefined;
  if (fp.success) {
    const file = isAbsolute(fp.data.file) ? fp.data.file : resolve(dir, fp.data.file);
    try {
      world = panelWorld({ ...fp.data, file });
      report(world);
    } catch (e) {
      if (!(e instanceof PanelCsvError)) throw e;
      if (e instanceof HistoryColumnError) {
        const i = e.key === 'covariates' ? fp.data.covariates.indexOf(e.column) : -1;
        add(
          `population.from_panel.${e.key}${i >= 0 ? `.${i}` : ''}`,
          columnsText(e.column, e.header),
          `"${e.column}", not a column of ${file}`,
        );
      } else if (e instanceof PanelFileError) {
        add(
          'population.from_panel.file',
          `${e.expected.replace(/^a file/, 'a CSV file')} (the path is relative to the scenario file's folder, ${dir})`,
          `${e.found}: ${file}`,
        );
      } else add('population.from_panel.file', 'a long panel CSV: one row per unit and period', e.message);
    }
    if (world) {
      const bad = typeof type === 'string' && SUPPORTED.includes(type) ? invalidOutcome(world, type as never) : null;
      if (bad) add('outcome.type', `the type of the panel's column "${fp.data.outcome}"`, `${type}, but the column has ${bad}`);
      fp.data.covariates.forEach((c, i) => {
        const badLevel = (world!.history.levels[c] ?? []).find((l) => !NAME.test(l) || isReservedName(l));
        if (badLevel !== undefined)
          add(
            `population.from_panel.covariates.${i}`,
            `a covariate whose levels are names (letters, digits and _ starting with a letter, not a built-in JavaScript property such as constructor or toString), as subgroups and panel columns name them`,
            `level "${badLevel}" in column "${c}"`,
          );
        if ((world!.history.levels[c] ?? ['', '']).length < 2)
          add(
            `population.from_panel.covariates.${i}`,
            'a categorical covariate with at least two levels',
            `only "${world!.history.levels[c][0]}" in column "${c}"`,
          );
      });
    }
  }
  if (problems.length > 0 || !world || !fp.success) {
    // The rest of the scenario is still validated; a placeholder outcome keeps its problems from echoing these.
    const { from_panel: _, ...rest } = pop;
    return { raw: { ...raw, population: rest, outcome: { type: 'continuous', mean: 0, sd: 1 } }, problems };
  }
  const population = { ...pop, covariates: impliedCovariates(world), from_panel: { ...fp.data, file: world.spec.file } };
  return { raw: { ...raw, population, outcome: describedOutcome(world, type as string, (o as Obj).name) }, problems, world };
}

/** Periods and effects against the panel, after validation: every design point of the grid. */
export function checkFromPanel(s: Scenario, w: PanelWorld): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const { nPeriods: TP, periods: labels } = w.history.panel;
  const T = s.periods.count;
  if (T > TP) {
    out.push({
      path: 'periods.count',
      expected: `at most ${TP} periods: the panel ${w.spec.file} has ${TP} (${labels[0]} … ${labels[TP - 1]}), and scenario period t is the panel's t-th`,
      found: describeFound(T),
    });
    return out;
  }
  const d = s.design;
  if (d.type === 'matched' && Object.keys(d.references.covariates).length > 0) {
    try {
      rakedWeights(w, d.references.covariates as never);
    } catch (e) {
      out.push({
        path: 'design.references.covariates',
        expected: "reference-pool shares the panel's units can be reweighted to",
        found: (e as Error).message,
      });
    }
  }
  const type = s.outcome.type;
  if (type === 'continuous') return out;
  const room = { up: Infinity, down: Infinity, upAt: 0, downAt: 0 };
  for (let t = 0; t < T; t++) {
    const r = effectRoom(w, type, t);
    if (r.up < room.up) Object.assign(room, { up: r.up, upAt: t });
    if (r.down < room.down) Object.assign(room, { down: r.down, downAt: t });
  }
  for (const p of expandGrid(s)) {
    const e = p.scenario.effect;
    const ranks = Math.max(1, e.by_group?.length ?? 1);
    let up = 0;
    let down = 0;
    for (let r = 0; r < ranks; r++)
      for (let ev = -T; ev <= T; ev++) {
        const v = meanEffect(e, r, ev);
        up = Math.max(up, v);
        down = Math.max(down, -v);
      }
    const at = Object.keys(p.settings).length
      ? ` (at ${Object.entries(p.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`
      : '';
    const words: Record<string, [string, string]> = {
      binary: ['the share of zeros', 'the share of ones'],
      share: ['1 − the mean share', 'the mean share'],
      earnings: ['(1 − share with any) × mean amount given any', 'the mean'],
      count: ['(1 − share with any) × mean count given any', 'the mean'],
    };
    if (up > room.up + 1e-12)
      out.push({
        path: 'effect.size',
        expected: `an effect of at most ${+room.up.toPrecision(4)} up, the room a ${type} outcome leaves in every period (${words[type][0]}; least in the panel's period ${labels[room.upAt]})`,
        found: `a largest mean effect of ${+up.toPrecision(4)}${at}`,
      });
    if (down > room.down + 1e-12)
      out.push({
        path: 'effect.size',
        expected: `an effect of at most ${+room.down.toPrecision(4)} down, the room a ${type} outcome leaves in every period (${words[type][1]}; least in the panel's period ${labels[room.downAt]})`,
        found: `a largest mean effect of −${+down.toPrecision(4)}${at}`,
      });
    if (out.length > 0) break;
  }
  return out;
}
