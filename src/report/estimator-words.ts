/**
 * One analysis.estimators entry in words, for the report: the family's own description (the
 * registry's one line, so --help, the README and the report say the same) and the options the entry
 * sets, with the family's defaults where a reader needs them (the comparison group of did).
 */
import { ESTIMATORS } from '../estimators/registry.js';

type Obj = Record<string, unknown>;

const show = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v));

/** The family's options as they read in words; keys not listed are shown as `key value`. */
const OPTION_WORDS: Record<string, (v: unknown) => string> = {
  control: (v) => (v === 'never' ? 'never-treated comparisons' : v === 'notyet' ? 'not-yet-treated comparisons' : `control ${show(v)}`),
  method: (v) =>
    v === 'dr' ? 'doubly robust' : v === 'ipw' ? 'inverse probability weighting' : v === 'reg' ? 'outcome regression' : `method ${show(v)}`,
  base_period: (v) => `${show(v)} base period`,
  anticipation: (v) => `anticipation ${show(v)} period${v === 1 ? '' : 's'}`,
  covariates: (v) => (Array.isArray(v) && v.length ? `covariates ${show(v)}` : 'no covariates'),
  horizon: (v) => `wait-list horizon h = ${show(v)}`,
  se: (v) => (v === 'neyman' ? 'Neyman SE' : 'refined design-based SE'),
  bootstrap: (v) => (v === 0 ? 'analytic SEs' : `multiplier bootstrap, ${show(v)} draws`),
  bootstrap_weights: (v) => `${show(v)} multipliers`,
  vcov: (v) => `${String(v).toUpperCase()} variance`,
  df: (v) => (v === 'cluster' ? 't(G − 1) critical values' : v === 'satterthwaite' ? 'Satterthwaite t' : 'normal critical values'),
  wild: (v) => (v === 0 ? 'no wild bootstrap' : `wild cluster bootstrap, ${show(v)} draws`),
  wild_weights: (v) => `${show(v)} wild weights`,
  panel: (v) => (v === false ? 'repeated cross-sections' : 'panel'),
  permutations: (v) => (v === 0 ? 'no Fisher test' : `Fisher randomisation test, ${show(v)} re-randomisations`),
  correlation: (v) =>
    v === 'exchangeable'
      ? 'exchangeable correlation (cluster random intercept)'
      : v === 'block'
        ? 'block-exchangeable correlation (cluster and cluster-period effects)'
        : v === 'decay'
          ? 'decaying cluster-period correlation (Kasza 2019)'
          : `correlation ${show(v)}`,
  data: (v) => (v === 'individual' ? 'individual-level model (from cell means, sizes and sums of squares)' : 'cluster-period means'),
  inference: (v) => (v === 't' ? 't(G − 1) critical values' : 'normal critical values'),
};

/** Options every did entry has, shown even when the file leaves them to their defaults. */
const DID_DEFAULTS: Obj = { method: 'dr', control: 'notyet' };

/** "Callaway & Sant'Anna (2021) … (R did 2.5.1): doubly robust, not-yet-treated comparisons, no covariates" */
export function estimatorWords(e: Obj): string {
  const type = typeof e.type === 'string' ? e.type : 'did';
  const family = (ESTIMATORS as Record<string, { describe: string }>)[type];
  if (!family) return `estimator type ${type} (not one Stagger knows)`;
  const opts: Obj = { ...(type === 'did' ? DID_DEFAULTS : {}), ...e };
  const words = Object.entries(opts)
    .filter(
      ([k, v]) =>
        k !== 'name' &&
        k !== 'type' &&
        v !== undefined &&
        v !== null &&
        !(k === 'covariates' && Array.isArray(v) && v.length === 0 && type !== 'did'),
    )
    .map(([k, v]) => (OPTION_WORDS[k] ?? ((x: unknown) => `${k} ${show(x)}`))(v));
  if (!('covariates' in opts) && type === 'did') words.push('no covariates');
  return `${family.describe}${words.length ? `: ${words.join(', ')}` : ''}`;
}
