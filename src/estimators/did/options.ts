/** Options of the Callaway & Sant'Anna estimator, named and defaulted as R `did`'s att_gt/aggte. */
import type { AverageOptions } from '../../estimands/averages.js';
import { BOOTSTRAP_WEIGHTS, type BootstrapWeights } from './bootstrap.js';

export type Method = 'dr' | 'ipw' | 'reg';
export type Control = 'never' | 'notyet';
export type BasePeriod = 'varying' | 'universal';

export interface DidOptions {
  /** Estimation method of each 2×2: doubly robust (default), normalised IPW, outcome regression. */
  method: Method;
  /** Comparison units: never treated (default) or not yet treated. */
  control: Control;
  basePeriod: BasePeriod;
  /** Periods δ ≥ 0 before treatment in which units may already react. */
  anticipation: number;
  /** Covariate names (unit-level or time-varying panel columns). */
  covariates: string[];
  /** Level of the confidence intervals (α), default 0.05. */
  alpha: number;
  /** Event-time window and balancing of the dynamic aggregation (aggte's min_e, max_e, balance_e). */
  minE: number;
  maxE: number;
  balanceE: number | null;
  /** Multiplier-bootstrap draws; 0 = analytic standard errors (default). */
  bootstrap: number;
  /** Seed of the bootstrap's weights when the caller passes no stream of its own. */
  seed: number | string;
  /** Compute the Wald pre-test of the pre-period ATT(g,t) (a q × q Gram matrix of the influence functions). */
  pretest: boolean;
  /** Which aggregations to compute. */
  aggregations: Array<'simple' | 'group' | 'dynamic' | 'calendar'>;
  /** Narrowed overall figures: dynamic_avg's window, dynamic_pre_avg, group_avg without some groups. */
  averages: AverageOptions;
  /** Multiplier distribution of the bootstrap: Rademacher (R did 2.5.1's, default) or Mammen. */
  bootstrapWeights: BootstrapWeights;
  /**
   * false: repeated cross-sections, each row its own unit (R did's panel = FALSE; DRDID's *_rc
   * estimators). Needs the long data (estimateDidLong) or reads a balanced panel's cells as rows.
   */
  panel: boolean;
  /** Unbalanced panel (R did's allow_unbalanced_panel = TRUE): the *_rc estimators, ψ summed by unit. */
  unbalanced: boolean;
}

export const DEFAULT_OPTIONS: DidOptions = {
  method: 'dr',
  control: 'never',
  basePeriod: 'varying',
  anticipation: 0,
  covariates: [],
  alpha: 0.05,
  minE: -Infinity,
  maxE: Infinity,
  balanceE: null,
  bootstrap: 0,
  seed: 1,
  pretest: true,
  aggregations: ['simple', 'group', 'dynamic', 'calendar'],
  averages: {},
  bootstrapWeights: 'rademacher',
  panel: true,
  unbalanced: false,
};

export function withDefaults(o: Partial<DidOptions> = {}): DidOptions {
  const out = { ...DEFAULT_OPTIONS, ...o };
  if (!['dr', 'ipw', 'reg'].includes(out.method)) throw new Error(`method must be dr, ipw or reg, got "${out.method}"`);
  if (!['never', 'notyet'].includes(out.control)) throw new Error(`control must be never or notyet, got "${out.control}"`);
  if (!['varying', 'universal'].includes(out.basePeriod))
    throw new Error(`base period must be varying or universal, got "${out.basePeriod}"`);
  if (!(Number.isInteger(out.anticipation) && out.anticipation >= 0))
    throw new Error(`anticipation must be a whole number ≥ 0, got ${out.anticipation}`);
  if (!(out.alpha > 0 && out.alpha < 1)) throw new Error(`alpha must lie in (0, 1), got ${out.alpha}`);
  if (!(Number.isInteger(out.bootstrap) && out.bootstrap >= 0))
    throw new Error(`bootstrap draws must be a whole number ≥ 0, got ${out.bootstrap}`);
  if (out.balanceE !== null && !(Number.isInteger(out.balanceE) && out.balanceE >= 0))
    throw new Error(`balance_e must be a whole number ≥ 0, got ${out.balanceE}`);
  if (!BOOTSTRAP_WEIGHTS.includes(out.bootstrapWeights))
    throw new Error(`bootstrap weights must be ${BOOTSTRAP_WEIGHTS.join(' or ')}, got "${out.bootstrapWeights}"`);
  if (!out.panel && out.unbalanced)
    throw new Error('unbalanced applies to panels; with panel = false (repeated cross-sections) every row is its own unit already');
  return out;
}
