/**
 * The analysis' narrowed averages (estimands/averages.ts: analysis.dynamic_avg_window,
 * dynamic_pre_avg_window, group_avg_exclude) as the external protocol's request `options`, and the
 * answer's `honoured` list checked against them.
 *
 * Why the process must compute them and Stagger cannot: dynamic_avg and group_avg are linear
 * combinations of the answer's rows, so their estimates would follow from the rows, but their SEs need
 * the rows' covariance, which the protocol does not carry. So the request says what to average, and
 * the answer says which of these options it applied (`"honoured": [...]`): a narrowed figure from a
 * process that does not say so is not identified, with that reason, rather than a default-rows figure
 * scored against a narrowed truth (engine/records.ts).
 */
import { averagesLabel, labelsAtRanks, type AverageOptions } from '../../estimands/averages.js';
import type { Panel } from '../../panel/panel.js';
import type { Estimate, RowInference } from '../types.js';

type Figure = { att: number | null; se: number | null; reason?: string; averages?: string } & RowInference;

/** The request's `options`: only the keys the analysis sets (none: no `options` in the request). */
export interface RequestOptions {
  dynamic_avg_window?: [number, number];
  dynamic_pre_avg_window?: [number, number];
  /** The start groups' first_treat labels left out of group_avg (the analysis names them by position). */
  group_avg_exclude?: number[];
}
export type OptionName = keyof RequestOptions;

/** The options of one draw's request: positions of group_avg_exclude become this panel's labels. */
export function requestOptions(a: AverageOptions | undefined, panel: Panel): RequestOptions {
  const out: RequestOptions = {};
  if (a?.dynamicAvg) out.dynamic_avg_window = [a.dynamicAvg[0], a.dynamicAvg[1]];
  if (a?.dynamicPreAvg) out.dynamic_pre_avg_window = [a.dynamicPreAvg[0], a.dynamicPreAvg[1]];
  if (a?.excludeGroups?.length) {
    // As the truth finds them (estimands/sample-truth.ts): positions among the panel's own start groups.
    out.group_avg_exclude = [...labelsAtRanks(panel.group, a.excludeGroups)].sort((x, y) => x - y);
  }
  return out;
}

/** The figure each option narrows. */
const NARROWS: Record<OptionName, { type: 'dynamic' | 'group'; part: 'overall' | 'pre'; estimand: string }> = {
  dynamic_avg_window: { type: 'dynamic', part: 'overall', estimand: 'dynamic_avg' },
  dynamic_pre_avg_window: { type: 'dynamic', part: 'pre', estimand: 'dynamic_pre_avg' },
  group_avg_exclude: { type: 'group', part: 'overall', estimand: 'group_avg' },
};

/**
 * Check the answer's `honoured` against the request's options and label the narrowed figures.
 * Mutates `est`. A figure whose option the answer does not list becomes not identified with the reason.
 * @returns a protocol message when `honoured` is malformed or names an option the request did not send.
 */
export function applyHonoured(est: Estimate, honoured: unknown, sent: RequestOptions, averages: AverageOptions | undefined): string | null {
  const names = Object.keys(sent) as OptionName[];
  let listed: string[] = [];
  if (honoured !== undefined) {
    if (!Array.isArray(honoured) || honoured.some((h) => typeof h !== 'string'))
      return `answer.honoured: expected a list of the request's option names, found ${JSON.stringify(honoured)}`;
    listed = honoured as string[];
    const stray = listed.find((h) => !names.includes(h as OptionName));
    if (stray !== undefined)
      return `answer.honoured: "${stray}" is not an option of the request (it has: ${names.length ? names.join(', ') : 'none'})`;
  }
  for (const name of names) {
    const { type, part, estimand } = NARROWS[name];
    const agg = est.aggregates[type];
    if (!agg) continue;
    const fig: Figure | undefined = part === 'pre' ? agg.pre : agg;
    if (!fig) continue;
    // The label the truth carries (estimands/plan.ts), so records compare like with like.
    const label = part === 'pre' ? undefined : averagesLabel(type, averages);
    if (label) fig.averages = label;
    if (listed.includes(name) || (fig.att === null && fig.reason)) continue;
    const asked = JSON.stringify(sent[name]);
    fig.att = null;
    fig.se = null;
    fig.reason = `the analysis asks ${estimand} with ${name} = ${asked} (sent as options.${name}) and the external estimator's answer does not list "${name}" in "honoured"`;
    delete fig.p;
    delete fig.ci;
    delete fig.inference;
  }
  return null;
}
