/**
 * What a clean pre-trend plot is worth in the user's own event study (Roth 2022): Callaway &
 * Sant'Anna's event-study coefficients e = −K … −1 with their covariance Σ = Ψ'Ψ/n² from the influence
 * functions (the same Ψ as their SEs), and the linear pre-trend slope the pre-test detects with 50 % and
 * 80 % power (power.ts), with the bias that slope would put into each post-period coefficient.
 *
 * A linear violation adds γ per period to the treated-minus-comparison gap. With a varying base period
 * every pre-period coefficient compares t with t − 1 (v_e = 1); with a universal base (reference
 * e = −1) it adds γ(e + 1). Post-period coefficients compare g + e with g − 1 either way: bias γ(e + 1).
 */
import type { Panel } from '../../panel/panel.js';
import { seeded } from '../../random/stream.js';
import { estimateDidDetailed, type DidOptions } from '../did/index.js';
import { EstimatorInputError } from '../errors.js';
import { slopeForPower, type PretestKind } from './power.js';

export interface PretestPowerReport {
  test: PretestKind;
  alpha: number;
  /** Event times tested and their estimates and SEs. */
  pre: { e: number; att: number; se: number }[];
  /** Slope (outcome units per period) detected with 50 % and 80 % power. */
  slope50: number;
  slope80: number;
  /** Bias of each post-period coefficient in the window under those slopes. */
  bias: { e: number; at50: number; at80: number }[];
}

export function pretestPowerReport(
  panel: Panel,
  options: Partial<DidOptions>,
  cfg: { test: PretestKind; alpha: number; periods: number; seed: number | string },
): PretestPowerReport {
  const K = cfg.periods;
  if (!(Number.isInteger(K) && K >= 1))
    throw new EstimatorInputError(`pretest power: --pretest-periods must be a whole number ≥ 1, got ${K}`);
  const r = estimateDidDetailed(panel, { ...options, minE: -K, aggregations: ['dynamic'], pretest: false, bootstrap: 0 });
  const dyn = r.aggregates.dynamic;
  if (!dyn) throw new EstimatorInputError('pretest power: the event study is not identified');
  const rows = (dyn.estimate.detail ?? []).map((d, j) => ({ d, inf: dyn.detailInf[j] }));
  const universal = options.basePeriod === 'universal';
  const pre = rows.filter(({ d, inf }) => d.key < 0 && d.key >= -K && d.att !== null && d.se !== null && inf);
  if (pre.length === 0) {
    throw new EstimatorInputError(
      `pretest power: no pre-period event-study coefficient in e = −${K} … −1 has a standard error${universal ? ' (with a universal base, e = −1 is the reference)' : ''}`,
    );
  }
  const q = pre.length,
    n = r.prepared.n;
  const sigma = new Float64Array(q * q);
  for (let a = 0; a < q; a++)
    for (let b = 0; b <= a; b++) {
      const x = pre[a].inf!,
        y = pre[b].inf!;
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i] * y[i];
      sigma[a * q + b] = sigma[b * q + a] = s / (n * n);
    }
  const v = Float64Array.from(pre, ({ d }) => (universal ? d.key + 1 : 1));
  const design = { sigma, v, alpha: cfg.alpha, kind: cfg.test };
  const slope50 = slopeForPower(seeded(`pretest-power\0${cfg.seed}`), design, 0.5);
  const slope80 = slopeForPower(seeded(`pretest-power\0${cfg.seed}`), design, 0.8);
  const post = rows.filter(({ d }) => d.key >= 0 && d.key <= (options.maxE ?? Infinity)).map(({ d }) => d.key);
  return {
    test: cfg.test,
    alpha: cfg.alpha,
    pre: pre.map(({ d }) => ({ e: d.key, att: d.att!, se: d.se! })),
    slope50,
    slope80,
    bias: post.map((e) => ({ e, at50: slope50 * (e + 1), at80: slope80 * (e + 1) })),
  };
}

/** The report as text for `stagger estimate --pretest-power`. */
export function pretestPowerText(r: PretestPowerReport): string {
  const f = (x: number) => x.toPrecision(4);
  const lines = [
    '',
    `Pre-test power (Roth 2022): ${r.test === 'wald' ? 'Wald test of' : 'no significant coefficient among'} the pre-period coefficients e = ${r.pre.map((p) => p.e).join(', ')} at α = ${r.alpha}`,
    `  a linear pre-trend of ${f(r.slope50)} per period is detected half the time, ${f(r.slope80)} with 80 % power;`,
    '  a trend that size, undetected, would bias the event study by:',
    `  ${'e'.padStart(4)} ${'bias (50 %)'.padStart(12)} ${'bias (80 %)'.padStart(12)}`,
    ...r.bias.map((b) => `  ${String(b.e).padStart(4)} ${f(b.at50).padStart(12)} ${f(b.at80).padStart(12)}`),
  ];
  return `${lines.join('\n')}\n`;
}
