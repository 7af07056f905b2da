/**
 * `stagger sensitivity --coefficients coef.json`: HonestDiD's sensitivity analysis (Rambachan & Roth
 * 2023) of an event study to violations of parallel trends — the original interval, a robust set per
 * bound (M̄ for relative magnitudes, M for smoothness) and the breakdown value.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { seeded } from '../random/stream.js';
import { coefficientsFrom } from '../sensitivity/coefficients.js';
import { defaultBounds } from '../sensitivity/default-bounds.js';
import { RESTRICTIONS, resolveCi, restrictionFor, SensitivityOptionError, sensitivity } from '../sensitivity/index.js';
import { defaultTVec, pretestPower } from '../sensitivity/pretest-power.js';
import {
  BIAS_DIRECTIONS,
  type BiasDirection,
  MONOTONICITY_DIRECTIONS,
  type MonotonicityDirection,
  type Shape,
  shapeText,
} from '../sensitivity/shape-rows.js';
import { CI_TYPES, type CiType, RESTRICTION_METHODS, type RestrictionMethod, type SensitivityResult } from '../sensitivity/types.js';
import { didYouMean, InputError, UsageError } from './errors.js';
import { checkEstimatorFlags, estimateFromArgs, type EstimateArgs } from './estimate.js';
import { eventStudyFromDynamic } from '../sensitivity/from-dynamic.js';
import { ESTIMATOR_TYPES, type EstimatorType } from '../estimators/registry.js';
import type { EventStudyCoefficients } from '../sensitivity/types.js';
import { LEVEL, numberOption } from './options.js';
import { readableFile } from './preflight.js';
import { dataOptions, type DataArgs, type DataFlag, type OptionWords } from './data-options.js';

/** Panel mode: the `stagger estimate` data and estimator options (data-options.ts). */
interface SensitivityArgs extends DataArgs {
  coefficients?: string;
  data?: string;
  estimator: string;
  e: number;
  method: string;
  mbar?: string;
  m?: string;
  ci?: string;
  'bias-direction'?: string;
  'monotonicity-direction'?: string;
  alpha: number;
  'l-vec'?: string;
  seed: string;
  json?: boolean;
  'pretest-power'?: string;
  't-vec'?: string;
  'reference-period': number;
}

/** The flag that gives a method's bounds: --mbar for the relative-magnitudes bounds, --m for smoothness. */
export function boundFlag(method: string): 'mbar' | 'm' {
  return method === 'smoothness' ? 'm' : 'mbar';
}

/** The sign or monotonicity restriction of the flags (at most one, as HonestDiD). */
export function shapeOf(a: { 'bias-direction'?: string; 'monotonicity-direction'?: string }): Shape | undefined {
  if (a['bias-direction'] !== undefined) return { bias: a['bias-direction'] as BiasDirection };
  if (a['monotonicity-direction'] !== undefined) return { monotonicity: a['monotonicity-direction'] as MonotonicityDirection };
  return undefined;
}

/** Panel mode's words for the shared data flags (the flags themselves: data-options.ts). */
const inPanelMode = (describe: string) => ({ describe, group: 'Panel mode:' });
const PANEL_WORDS: Record<DataFlag, OptionWords> = {
  id: inPanelMode('Panel mode: unit id column'),
  time: inPanelMode('Panel mode: period column'),
  group: inPanelMode('Panel mode: first treated period (0 never; default first_treat)'),
  outcome: inPanelMode('Panel mode: outcome column'),
  covariates: inPanelMode('Panel mode: covariate columns, as stagger estimate'),
  control: inPanelMode('Panel mode, did: comparison units'),
  'base-period': inPanelMode('Panel mode, did: must be universal (the default here), as HonestDiD requires'),
  anticipation: inPanelMode('Panel mode: anticipation δ (the reference period is −1 − δ)'),
  cluster: inPanelMode('Panel mode: cluster column of the SEs and covariance'),
  'min-e': inPanelMode('Panel mode: first event time of the event study'),
  'max-e': inPanelMode('Panel mode: last event time of the event study'),
};

/** A comma-separated list of numbers ≥ 0 (a bound) or of any finite numbers (weights). */
export function numberList(flag: string, raw: string, nonNegative: boolean): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  return parts.map((p) => {
    const x = p === '' ? Number.NaN : Number(p);
    if (!Number.isFinite(x) || (nonNegative && x < 0))
      throw new InputError(
        `--${flag}: expected comma-separated ${nonNegative ? 'numbers ≥ 0' : 'numbers'}, e.g. ${nonNegative ? '0.5,1,2' : '0,1'}, found "${p}" in "${raw}"`,
      );
    return x;
  });
}

const fmt = (x: number | null): string => (x === null ? '—' : x.toPrecision(4));

/** The readable table. */
export function sensitivityText(method: RestrictionMethod, r: SensitivityResult & { breakdown_reason?: string }, alpha: number): string {
  const boundName = method === 'smoothness' ? 'M' : 'Mbar';
  const rr = r.restriction;
  const shape = rr?.bias_direction
    ? `, bias_direction ${rr.bias_direction}`
    : rr?.monotonicity_direction
      ? `, monotonicity_direction ${rr.monotonicity_direction}`
      : '';
  const lines = [
    `${(1 - alpha) * 100}% confidence sets for theta = l'tau_post (HonestDiD, ${method}${shape}${rr ? `: ${rr.delta}` : ''})`,
    '',
  ];
  lines.push(`${'set'.padEnd(14)}${boundName.padStart(8)}  ${'lb'.padStart(11)}  ${'ub'.padStart(11)}`);
  lines.push(`${'original'.padEnd(14)}${''.padStart(8)}  ${fmt(r.original.lb).padStart(11)}  ${fmt(r.original.ub).padStart(11)}`);
  for (const s of r.robust) {
    const b = s.mbar ?? s.m ?? 0;
    lines.push(
      `${s.ci.padEnd(14)}${String(Number(b.toPrecision(4))).padStart(8)}  ${fmt(s.lb).padStart(11)}  ${fmt(s.ub).padStart(11)}${s.reason ? `  (${s.reason})` : ''}`,
    );
  }
  lines.push('');
  if (r.breakdown !== null)
    lines.push(`breakdown ${boundName}: ${fmt(r.breakdown)} (the smallest ${boundName} whose robust set includes 0)`);
  else if (r.breakdown_reason) lines.push(`breakdown ${boundName}: none found (${r.breakdown_reason})`);
  else lines.push(`breakdown ${boundName}: none (the original interval already includes 0)`);
  for (const q of r.pretest_power ?? [])
    lines.push(`pre-test power ${q.power}: detects a linear pre-trend of slope ${fmt(q.slope)} (Roth 2022)`);
  return lines.join('\n');
}

export const sensitivityCommand: CommandModule<object, SensitivityArgs> = {
  command: 'sensitivity',
  describe: 'Sensitivity of an event study to violations of parallel trends (Rambachan & Roth, as R HonestDiD)',
  builder: (y: Argv) =>
    y
      .option('data', {
        type: 'string',
        describe:
          "Panel mode: a long CSV panel; the event study is --estimator's dynamic aggregate and its covariance (as HonestDiD's honest_did takes R did's aggte)",
        group: 'Input:',
      })
      .option('estimator', {
        choices: ESTIMATOR_TYPES,
        default: 'did' as EstimatorType,
        describe: 'Panel mode: the estimator whose event study is analysed (any that exports aggregates.dynamic.vcov)',
        group: 'Panel mode:',
      })
      .options(dataOptions(PANEL_WORDS))
      .option('e', {
        type: 'number',
        default: 0,
        describe: "Panel mode: the event time theta is (HonestDiD's honest_did e; --l-vec overrides)",
        group: 'Panel mode:',
      })
      .option('coefficients', {
        type: 'string',
        describe:
          'coef.json: {"betahat": [...], "sigma": [[...]], "num_pre": k, "num_post": m, "l_vec"?: [...]} (pre-periods first, reference left out)',
        group: 'Input:',
      })
      .option('method', {
        type: 'string',
        default: 'relative_magnitudes',
        describe:
          'Restriction: relative_magnitudes (Delta^RM(Mbar)), smoothness (Delta^SD(M)) or smoothness_relative_magnitudes (Delta^SDRM(Mbar), HonestDiD\'s bound = "deviation from linear trend")',
        group: 'Restriction:',
      })
      .option('mbar', {
        type: 'string',
        describe:
          "relative_magnitudes, smoothness_relative_magnitudes: bounds Mbar, comma-separated (default HonestDiD's: 10 points from 0 to 2)",
        group: 'Restriction:',
      })
      .option('m', {
        type: 'string',
        describe:
          "smoothness: bounds M, comma-separated (default HonestDiD's: 10 points from 0 to DeltaSD_upperBound_Mpre, or to sd of the first coefficient with one pre-period)",
        group: 'Restriction:',
      })
      .option('bias-direction', {
        type: 'string',
        describe: 'Sign restriction on the post-period violations: positive or negative (Delta^SDB, Delta^RMB, Delta^SDRMB)',
        group: 'Restriction:',
      })
      .option('monotonicity-direction', {
        type: 'string',
        describe: 'Monotonicity restriction on the violations: increasing or decreasing (Delta^SDM, Delta^RMM, Delta^SDRMM)',
        group: 'Restriction:',
      })
      .option('ci', {
        type: 'string',
        describe:
          "Confidence set: c-lf (RM, SDRM default), conditional, flci (SD default), c-f (SD with a sign or monotonicity restriction: default), c-lf, or hybrid (the restriction's hybrid)",
        group: 'Restriction:',
      })
      .option('alpha', numberOption('alpha', LEVEL, { default: 0.05, describe: 'Level of the sets (1 − alpha)', group: 'Inference:' }))
      .option('l-vec', {
        type: 'string',
        describe: "Weights of the post-period coefficients in theta = l'tau (default: the first post-period)",
        group: 'Inference:',
      })
      .option('seed', {
        type: 'string',
        default: '1',
        describe: "Seed of the least-favourable critical value's simulation",
        group: 'Inference:',
      })
      .option('pretest-power', {
        type: 'string',
        describe:
          'Roth (2022): powers (e.g. 0.5,0.8) for which to report the linear pre-trend slope the "no pre-period coefficient significant at 5 %" pre-test detects',
        group: 'Pre-test power:',
      })
      .option('t-vec', {
        type: 'string',
        describe:
          'with --pretest-power: event time of each coefficient, comma-separated, as --t-vec=-4,-3,-2,0,1 (default: r − num_pre … r − 1, then r + 1 … r + num_post)',
        group: 'Pre-test power:',
      })
      .option('reference-period', {
        type: 'number',
        default: -1,
        describe: 'with --pretest-power: the omitted period r; the trend is slope·(t − r)',
        group: 'Pre-test power:',
      })
      .option('json', { type: 'boolean', describe: 'Print one JSON object on stdout', group: 'Output:' })
      .check((a) => {
        if ((a.coefficients === undefined) === (a.data === undefined))
          throw new UsageError('give either --coefficients coef.json or --data PANEL.csv (with the stagger estimate options), not both');
        if ((a['t-vec'] !== undefined || a['reference-period'] !== -1) && a['pretest-power'] === undefined)
          throw new UsageError('--t-vec and --reference-period describe the pre-test power: give --pretest-power too');
        const methods = Object.keys(RESTRICTIONS);
        const known: readonly string[] = RESTRICTION_METHODS;
        if (!known.includes(a.method))
          throw new UsageError(`--method: expected one of ${known.join(', ')}, found "${a.method}"${didYouMean(a.method, known)}`);
        const own = boundFlag(a.method);
        const other = own === 'm' ? 'mbar' : 'm';
        if (a[other] !== undefined)
          throw new UsageError(
            other === 'mbar'
              ? '--mbar bounds relative magnitudes; with --method smoothness give --m'
              : `--m bounds smoothness; with --method ${a.method} give --mbar`,
          );
        if (!methods.includes(a.method))
          throw new UsageError(`--method ${a.method} is not implemented in this build (implemented: ${methods.join(', ')})`);
        if (a['bias-direction'] !== undefined && a['monotonicity-direction'] !== undefined)
          throw new UsageError(
            '--bias-direction and --monotonicity-direction: give one or the other, not both (HonestDiD: "Please select either a shape restriction or sign restriction (not both)")',
          );
        const bd = a['bias-direction'];
        if (bd !== undefined && !(BIAS_DIRECTIONS as readonly string[]).includes(bd))
          throw new UsageError(
            `--bias-direction: expected one of ${BIAS_DIRECTIONS.join(', ')}, found "${bd}"${didYouMean(bd, BIAS_DIRECTIONS)}`,
          );
        const md = a['monotonicity-direction'];
        if (md !== undefined && !(MONOTONICITY_DIRECTIONS as readonly string[]).includes(md))
          throw new UsageError(
            `--monotonicity-direction: expected one of ${MONOTONICITY_DIRECTIONS.join(', ')}, found "${md}"${didYouMean(md, MONOTONICITY_DIRECTIONS)}`,
          );
        if (a.ci !== undefined && !(CI_TYPES as readonly string[]).includes(a.ci))
          throw new UsageError(`--ci: expected one of ${CI_TYPES.join(', ')}, found "${a.ci}"${didYouMean(a.ci, CI_TYPES)}`);
        const shape = shapeOf(a);
        try {
          const r = restrictionFor(a.method, shape);
          if (a.ci !== undefined) resolveCi(r, a.ci as CiType);
        } catch (err) {
          if (!(err instanceof SensitivityOptionError)) throw err;
          const msg = err.message;
          throw new UsageError(msg.startsWith('ci:') ? `--${msg}` : shape ? `--${shapeText(shape).replace('_', '-')}: ${msg}` : msg);
        }
        return true;
      })
      .example('$0 sensitivity --coefficients coef.json', 'relative magnitudes at Mbar = 0.5, 1, 1.5, 2 (c-lf), the first post-period')
      .example('$0 sensitivity --coefficients coef.json --mbar 0,1 --ci conditional --json', 'the conditional (ARP) sets, JSON out')
      .example('$0 sensitivity --coefficients coef.json --method smoothness --m 0,0.01,0.02', 'smoothness restriction (FLCI)')
      .example(
        '$0 sensitivity --coefficients coef.json --method smoothness --m 0.1 --bias-direction positive',
        'smoothness with positive post-period violations (Delta^SDPB, c-f)',
      )
      .example(
        '$0 sensitivity --coefficients coef.json --method smoothness_relative_magnitudes --mbar 1',
        'relative magnitudes of the deviation from a linear trend (Delta^SDRM, c-lf)',
      ),
  handler: (a) => {
    const lVec = a['l-vec'] !== undefined ? numberList('l-vec', a['l-vec'], false) : undefined;
    const coef = a.data !== undefined ? coefficientsFromPanel(a, lVec) : coefficientsFromFile(a.coefficients!, lVec);
    const method = a.method as RestrictionMethod;
    // HonestDiD stops here too ("not enough pre-periods for 'deviation from linear trend'").
    if (method === 'smoothness_relative_magnitudes' && coef.numPre < 2)
      throw new InputError(
        `--method smoothness_relative_magnitudes needs at least two pre-periods (the bound is relative to the largest pre-period second difference); the event study has ${coef.numPre}`,
      );
    const flag = boundFlag(method);
    const given = a[flag];
    let bounds: number[];
    try {
      bounds = given !== undefined ? numberList(flag, given, true) : defaultBounds(method, coef);
    } catch (err) {
      if (err instanceof RangeError)
        throw new InputError(`--${flag} omitted: HonestDiD's default bounds could not be formed (${err.message})`);
      throw err;
    }
    const shape = shapeOf(a);
    const result: SensitivityResult & { breakdown_reason?: string } = sensitivity(seeded(a.seed), coef, {
      method,
      bounds,
      ci: a.ci as CiType | undefined,
      alpha: a.alpha,
      ...(shape ? { shape } : {}),
    });
    if (a['pretest-power'] !== undefined) {
      const powers = numberList('pretest-power', a['pretest-power'], true);
      const ref = a['reference-period'];
      const tVec = a['t-vec'] !== undefined ? numberList('t-vec', a['t-vec'], false) : defaultTVec(coef, ref);
      try {
        result.pretest_power = pretestPower(coef, tVec, ref, powers);
      } catch (err) {
        if (err instanceof RangeError) throw new InputError(`--${err.message.replace(/^pretest power: /, 'pretest-power: ')}`);
        throw err;
      }
    }
    if (a.json) {
      const { breakdown_reason, ...json } = result;
      const out: Record<string, unknown> = { ...json };
      if (breakdown_reason) out.breakdown_reason = breakdown_reason;
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      process.stdout.write(`${sensitivityText(method, result, a.alpha)}\n`);
    }
  },
};

function coefficientsFromFile(file: string, lVec: number[] | undefined): EventStudyCoefficients {
  readableFile(`--coefficients ${file}`, file, 'a coef.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`--coefficients ${file}: expected JSON, found a parse error (${(err as Error).message})`);
  }
  return coefficientsFrom(file, raw, lVec);
}

/** Why a family's event study has no pre-period rows, where that is by design. */
const NO_PRE_WHY: Partial<Record<EstimatorType, string>> = {
  etwfe:
    ' (etwfe\'s not-yet-treated model, cgroup = "notyet", has coefficients only for treated cells t ≥ g, so its event study has no pre-period rows; cgroup = "never" is not implemented)',
  bjs: " (BJS's imputation event study has effects only for treated cells t ≥ g; its pre-trend test, --pretrends K, is a separate regression on the untreated cells with no joint covariance with the effects, so it cannot supply HonestDiD's pre-period coefficients)",
};

/**
 * Panel mode: the estimator's event study as `stagger estimate --json` gives it (aggregates.dynamic with
 * its vcov), turned into HonestDiD's inputs as honest_did does for R did's aggte (from-dynamic.ts).
 */
function coefficientsFromPanel(a: SensitivityArgs, lVec: number[] | undefined): EventStudyCoefficients {
  const family = a.estimator as EstimatorType;
  // did: HonestDiD needs every pre-period coefficient against one reference (a universal base period).
  if (family === 'did' && a['base-period'] === 'varying')
    throw new UsageError(
      '--base-period varying gives short differences before treatment; HonestDiD (and stagger sensitivity) need --base-period universal',
    );
  const given: Partial<DataArgs> = {
    control: a.control,
    'base-period': family === 'did' ? (a['base-period'] ?? 'universal') : a['base-period'],
    anticipation: a.anticipation,
    covariates: a.covariates,
    cluster: a.cluster,
    'min-e': a['min-e'],
    'max-e': a['max-e'],
  };
  checkEstimatorFlags(family, given);
  const args: EstimateArgs = {
    ...given,
    estimator: family,
    data: a.data!,
    id: a.id,
    time: a.time,
    group: a.group,
    outcome: a.outcome,
    alpha: a.alpha,
    seed: a.seed,
    'bootstrap-weights': 'rademacher',
    pretest: false,
  };
  const { est } = estimateFromArgs(args);
  const es = eventStudyFromDynamic(est.aggregates.dynamic, {
    ...(lVec ? { lVec } : { e: a.e }),
    reference: -1 - (a.anticipation ?? 0),
  });
  if ('reason' in es) throw new InputError(`--data ${a.data} with --estimator ${family}: ${es.reason}${NO_PRE_WHY[family] ?? ''}`);
  return es.coef;
}
