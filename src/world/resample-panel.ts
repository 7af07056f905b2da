/**
 * A world resampled from a real panel (population.from_panel), as Burlig, Preonas & Woerman's pcpanel
 * does (power calculations from pre-period panel data): each drawn person is a whole source unit of the
 * planner's own history panel, drawn uniformly with replacement — its outcome path is Y(0) and its
 * covariates come along. This module loads the panel once per process and draws the people; Y(0) and
 * Y(1) are resample-outcomes.ts.
 *
 * People.level, which consent, attrition and selection read as "the unit's outcome level", is the
 * source unit's mean outcome over all the panel's periods, standardised across the panel's units.
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { readHistoryCsv, type HistoryPanel } from '../panel/history-csv.js';
import type { CovariateSpec, People } from './covariates.js';

export type FromPanelSpec = NonNullable<ResolvedScenario['population']['from_panel']>;
export type OutcomeType = ResolvedScenario['outcome']['type'];

export interface PanelWorld {
  spec: FromPanelSpec;
  history: HistoryPanel;
  /** Source units' standardised mean outcome (People.level). */
  level: Float64Array;
}

const worlds = new Map<string, PanelWorld>();

/**
 * The panel world of a from_panel block, read once per process (every design point and draw of a
 * scenario, and the scenario check, share it).
 * @throws {PanelCsvError} as `stagger estimate`'s reader does, naming the file, row and column
 */
export function panelWorld(spec: FromPanelSpec): PanelWorld {
  const key = JSON.stringify([spec.file, spec.id, spec.time, spec.outcome, spec.covariates]);
  let w = worlds.get(key);
  if (w) return w;
  const history = readHistoryCsv(spec.file, { id: spec.id, time: spec.time, outcome: spec.outcome, covariates: spec.covariates });
  const { y, nUnits: N, nPeriods: T } = history.panel;
  const mean = new Float64Array(N);
  for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) mean[i] += y[t * N + i] / T;
  let m = 0;
  for (let i = 0; i < N; i++) m += mean[i] / N;
  let v = 0;
  for (let i = 0; i < N; i++) v += (mean[i] - m) ** 2 / N;
  const sd = Math.sqrt(v);
  const level = Float64Array.from(mean, (x) => (sd > 0 ? (x - m) / sd : 0));
  w = { spec, history, level };
  worlds.set(key, w);
  return w;
}

/**
 * The covariate marginals the panel implies, in the scenario's covariate form (the scenario check
 * puts them under population.covariates, so subgroups, quotas, matching and effect centring read the
 * data's own shares and means): text → categorical (levels sorted), numbers all 0/1 → binary, else normal.
 */
export function impliedCovariates(w: PanelWorld): Record<string, CovariateSpec> {
  const out: Record<string, CovariateSpec> = {};
  const N = w.history.panel.nUnits;
  for (const name of w.spec.covariates) {
    const x = w.history.panel.covariates[name];
    const lv = w.history.levels[name];
    if (lv) {
      const p = new Array<number>(lv.length).fill(0);
      for (let i = 0; i < N; i++) p[x[i]] += 1 / N;
      out[name] = { type: 'categorical', levels: lv, p };
      continue;
    }
    let s = 0;
    let binary = true;
    for (let i = 0; i < N; i++) {
      s += x[i];
      if (x[i] !== 0 && x[i] !== 1) binary = false;
    }
    const mean = s / N;
    if (binary) {
      out[name] = { type: 'binary', p: mean };
      continue;
    }
    let v = 0;
    for (let i = 0; i < N; i++) v += (x[i] - mean) ** 2;
    out[name] = { type: 'normal', mean, sd: Math.sqrt(v / Math.max(1, N - 1)) };
  }
  return out;
}

/**
 * Sampling weights of the source units that give the overridden marginals (R4's reference pool: the
 * references' covariates differ) by raking (iterative proportional fitting, Deming & Stephan 1940):
 * each binary or categorical override in turn rescales its levels' weights to the stated shares, until
 * all hold; the joint distribution of everything else stays as close to the panel's as the overrides
 * allow (minimum Kullback–Leibler divergence). Normal overrides are not supported (an error).
 * @returns cumulative weights (last = 1), or null when nothing is overridden
 * @throws {Error} for a normal override, a level the panel lacks, or shares the panel cannot reach
 */
export function rakedWeights(w: PanelWorld, overrides: Record<string, CovariateSpec>): Float64Array | null {
  const names = Object.keys(overrides);
  if (names.length === 0) return null;
  const N = w.history.panel.nUnits;
  const implied = impliedCovariates(w);
  const margins = names.map((name) => {
    const o = overrides[name];
    const c = implied[name];
    if (!c) throw new Error(`covariate ${name} is not a covariate of the panel (${Object.keys(implied).join(', ') || 'none'})`);
    if (o.type === 'normal' || c.type === 'normal')
      throw new Error(
        `${name}: a different distribution of a normal covariate is not supported with population.from_panel (only binary and categorical ones, by reweighting the panel's units)`,
      );
    if (o.type !== c.type) throw new Error(`${name}: the panel's ${name} is ${c.type}, the override ${o.type}`);
    const x = w.history.panel.covariates[name];
    let target: number[];
    if (o.type === 'binary') target = [1 - o.p, o.p];
    else {
      const cl = (c as Extract<CovariateSpec, { type: 'categorical' }>).levels;
      target = cl.map(() => 0);
      o.levels.forEach((l, k) => {
        const at = cl.indexOf(l);
        if (at < 0) throw new Error(`${name}: level ${l} is not in the panel (its levels: ${cl.join(', ')})`);
        target[at] = o.p[k];
      });
    }
    const count = target.map(() => 0);
    for (let i = 0; i < N; i++) count[x[i]]++;
    target.forEach((p, l) => {
      if (p > 0 && count[l] === 0)
        throw new Error(
          `${name}: share ${p} for ${o.type === 'binary' ? `value ${l}` : `level ${(c as { levels: string[] }).levels[l]}`}, but no unit of the panel has it`,
        );
    });
    return { x, target };
  });
  const wt = new Float64Array(N).fill(1 / N);
  for (let it = 0; it < 200; it++) {
    let worst = 0;
    for (const { x, target } of margins) {
      const sum = target.map(() => 0);
      for (let i = 0; i < N; i++) sum[x[i]] += wt[i];
      const f = target.map((p, l) => (sum[l] > 0 ? p / sum[l] : 0));
      target.forEach((p, l) => (worst = Math.max(worst, Math.abs(sum[l] - p))));
      for (let i = 0; i < N; i++) wt[i] *= f[x[i]];
    }
    if (worst < 1e-12) break;
    if (it === 199 && worst > 1e-6)
      throw new Error(
        `${names.join(', ')}: the panel's units cannot be reweighted to these shares together (off by ${worst.toExponential(1)})`,
      );
  }
  const cum = new Float64Array(N);
  let s = 0;
  for (let i = 0; i < N; i++) cum[i] = s += wt[i];
  for (let i = 0; i < N; i++) cum[i] /= s;
  cum[N - 1] = 1;
  return cum;
}

const raked = new WeakMap<object, Float64Array | null>();

/**
 * Draw n people from the panel: one uniform a person from `rng` (the population stream), in person
 * order, picks the source unit (uniform over the panel's units, or by the raked weights of the
 * overrides), so person k is the same unit whatever n is (common random numbers across design points).
 */
export function drawResampledPeople(
  rng: Rng,
  pop: ResolvedScenario['population'],
  n: number,
  overrides: Record<string, CovariateSpec> = {},
): People {
  const w = panelWorld(pop.from_panel!);
  const N = w.history.panel.nUnits;
  let cum = raked.get(overrides);
  if (cum === undefined) {
    cum = rakedWeights(w, overrides);
    raked.set(overrides, cum);
  }
  const source = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng();
    if (!cum) {
      source[i] = Math.floor(u * N);
      continue;
    }
    let lo = 0;
    let hi = N - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    source[i] = lo;
  }
  const covariates: Record<string, Float64Array> = {};
  for (const name of w.spec.covariates) {
    const x = w.history.panel.covariates[name];
    covariates[name] = Float64Array.from(source, (s) => x[s]);
  }
  return { n, covariates, level: Float64Array.from(source, (s) => w.level[s]), source };
}

/**
 * Per-period moments of the panel's outcome that the effect needs (resample-outcomes.ts), over the
 * panel's units: share with a positive value (binary: share of ones), mean, mean given positive, and
 * the positive values sorted (the amounts a person the effect brings in draws from).
 */
export interface PeriodMoments {
  share: Float64Array;
  mean: Float64Array;
  meanPositive: Float64Array;
  positive: Float64Array[];
}

const moments = new WeakMap<PanelWorld, PeriodMoments>();

export function periodMoments(w: PanelWorld): PeriodMoments {
  let m = moments.get(w);
  if (m) return m;
  const { y, nUnits: N, nPeriods: T } = w.history.panel;
  m = { share: new Float64Array(T), mean: new Float64Array(T), meanPositive: new Float64Array(T), positive: [] };
  for (let t = 0; t < T; t++) {
    const row = y.subarray(t * N, (t + 1) * N);
    const pos: number[] = [];
    let s = 0;
    for (let i = 0; i < N; i++) {
      s += row[i];
      if (row[i] > 0) pos.push(row[i]);
    }
    m.share[t] = pos.length / N;
    m.mean[t] = s / N;
    m.meanPositive[t] = pos.length > 0 ? pos.reduce((a, b) => a + b, 0) / pos.length : 0;
    m.positive.push(Float64Array.from(pos).sort());
  }
  moments.set(w, m);
  return m;
}

/** The first panel value that is not a valid value of the outcome type, as words (null: all valid). */
export function invalidOutcome(w: PanelWorld, type: OutcomeType): string | null {
  const { y, nUnits: N, periods, ids } = w.history.panel;
  const ok: Partial<Record<OutcomeType, (v: number) => boolean>> = {
    binary: (v) => v === 0 || v === 1,
    earnings: (v) => v >= 0,
    count: (v) => v >= 0 && Number.isInteger(v),
    share: (v) => v >= 0 && v <= 1,
  };
  const what: Partial<Record<OutcomeType, string>> = {
    binary: '0 or 1',
    earnings: 'an amount ≥ 0',
    count: 'a whole number ≥ 0',
    share: 'a share in [0, 1]',
  };
  const f = ok[type];
  if (!f) return null;
  for (let k = 0; k < y.length; k++)
    if (!f(y[k])) return `${y[k]} for unit ${ids[k % N]} in period ${periods[Math.floor(k / N)]} (a ${type} outcome is ${what[type]})`;
  return null;
}

/**
 * The largest effect (outcome scale) each panel period leaves room for, up and down, so that Y(1)
 * stays a valid value of the type and E[Y(1) − Y(0)] = τ (resample-outcomes.ts): binary 1 − p and p;
 * earnings/count (1 − p)·E[y | y > 0] and E[y]; share 1 − E[y] and E[y]; continuous unbounded.
 */
export function effectRoom(w: PanelWorld, type: OutcomeType, t: number): { up: number; down: number } {
  if (type === 'continuous') return { up: Infinity, down: Infinity };
  const m = periodMoments(w);
  if (type === 'binary') return { up: 1 - m.share[t], down: m.share[t] };
  if (type === 'share') return { up: 1 - m.mean[t], down: m.mean[t] };
  return { up: (1 - m.share[t]) * m.meanPositive[t], down: m.mean[t] };
}
