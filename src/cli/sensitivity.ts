/**
 * `stagger sensitivity --coefficients coef.json`: HonestDiD's sensitivity analysis (Rambachan & Roth
 * 2023) of an event study to violations of parallel trends — the original interval, a robust set per
 * bound (M̄ for relative magnitudes, M for smoothness) and the breakdown value.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { seeded } from '../random/stream.js';
import { coefficientsFrom } from '../sensitivity/coefficients.js';
import { RESTRICTIONS, resolveCi, restrictionFor, sensitivity } from '../sensitivity/index.js';
import { CI_TYPES, type CiType, type RestrictionMethod, type SensitivityResult } from '../sensitivity/types.js';
import { didYouMean, InputError, UsageError } from './errors.js';
import { LEVEL, numberOption } from './options.js';
import { readableFile } from './preflight.js';

interface SensitivityArgs {
  coefficients: string;
  method: string;
  mbar?: string;
  m?: string;
  ci?: string;
  alpha: number;
  'l-vec'?: string;
  seed: string;
  json?: boolean;
}

/** The M̄ HonestDiD's README uses (createSensitivityResults_relativeMagnitudes, Mbarvec = seq(0.5, 2, by = 0.5)). */
export const DEFAULT_MBAR = [0.5, 1, 1.5, 2];

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
  const boundName = method === 'relative_magnitudes' ? 'Mbar' : 'M';
  const lines = [`${(1 - alpha) * 100}% confidence sets for theta = l'tau_post (HonestDiD, ${method})`, ''];
  lines.push(`${'set'.padEnd(14)}${boundName.padStart(8)}  ${'lb'.padStart(11)}  ${'ub'.padStart(11)}`);
  lines.push(`${'original'.padEnd(14)}${''.padStart(8)}  ${fmt(r.original.lb).padStart(11)}  ${fmt(r.original.ub).padStart(11)}`);
  for (const s of r.robust) {
    const b = s.mbar ?? s.m ?? 0;
    lines.push(
      `${s.ci.padEnd(14)}${String(b).padStart(8)}  ${fmt(s.lb).padStart(11)}  ${fmt(s.ub).padStart(11)}${s.reason ? `  (${s.reason})` : ''}`,
    );
  }
  lines.push('');
  if (r.breakdown !== null)
    lines.push(`breakdown ${boundName}: ${fmt(r.breakdown)} (the smallest ${boundName} whose robust set includes 0)`);
  else if (r.breakdown_reason) lines.push(`breakdown ${boundName}: none found (${r.breakdown_reason})`);
  else lines.push(`breakdown ${boundName}: none (the original interval already includes 0)`);
  return lines.join('\n');
}

export const sensitivityCommand: CommandModule<object, SensitivityArgs> = {
  command: 'sensitivity',
  describe: 'Sensitivity of an event study to violations of parallel trends (Rambachan & Roth, as R HonestDiD)',
  builder: (y: Argv) =>
    y
      .option('coefficients', {
        type: 'string',
        demandOption: true,
        describe:
          'coef.json: {"betahat": [...], "sigma": [[...]], "num_pre": k, "num_post": m, "l_vec"?: [...]} (pre-periods first, reference left out)',
        group: 'Input:',
      })
      .option('method', {
        type: 'string',
        default: 'relative_magnitudes',
        describe: 'Restriction: relative_magnitudes (Delta^RM(Mbar)) or smoothness (Delta^SD(M))',
        group: 'Restriction:',
      })
      .option('mbar', {
        type: 'string',
        describe: `relative_magnitudes: bounds Mbar, comma-separated (default ${DEFAULT_MBAR.join(',')})`,
        group: 'Restriction:',
      })
      .option('m', { type: 'string', describe: 'smoothness: bounds M, comma-separated (required)', group: 'Restriction:' })
      .option('ci', {
        type: 'string',
        describe: "Confidence set: c-lf (RM default), conditional, flci (SD default), c-f, or hybrid (the restriction's hybrid)",
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
      .option('json', { type: 'boolean', describe: 'Print one JSON object on stdout', group: 'Output:' })
      .check((a) => {
        const methods = Object.keys(RESTRICTIONS);
        const known: string[] = ['relative_magnitudes', 'smoothness'];
        if (!known.includes(a.method))
          throw new UsageError(`--method: expected one of ${known.join(', ')}, found "${a.method}"${didYouMean(a.method, known)}`);
        if (a.method === 'smoothness' && a.mbar !== undefined)
          throw new UsageError('--mbar bounds relative magnitudes; with --method smoothness give --m');
        if (a.method === 'relative_magnitudes' && a.m !== undefined)
          throw new UsageError('--m bounds smoothness; with --method relative_magnitudes give --mbar');
        if (a.method === 'smoothness' && a.m === undefined) throw new UsageError('--method smoothness needs --m (e.g. --m 0,0.01,0.02)');
        if (!methods.includes(a.method))
          throw new UsageError(`--method ${a.method} is not implemented in this build (implemented: ${methods.join(', ')})`);
        if (a.ci !== undefined && !(CI_TYPES as readonly string[]).includes(a.ci))
          throw new UsageError(`--ci: expected one of ${CI_TYPES.join(', ')}, found "${a.ci}"${didYouMean(a.ci, CI_TYPES)}`);
        if (a.ci !== undefined) {
          try {
            resolveCi(restrictionFor(a.method), a.ci as CiType);
          } catch (err) {
            throw new UsageError(`--${(err as Error).message}`);
          }
        }
        return true;
      })
      .example('$0 sensitivity --coefficients coef.json', 'relative magnitudes at Mbar = 0.5, 1, 1.5, 2 (c-lf), the first post-period')
      .example('$0 sensitivity --coefficients coef.json --mbar 0,1 --ci conditional --json', 'the conditional (ARP) sets, JSON out')
      .example('$0 sensitivity --coefficients coef.json --method smoothness --m 0,0.01,0.02', 'smoothness restriction (FLCI)'),
  handler: (a) => {
    readableFile(`--coefficients ${a.coefficients}`, a.coefficients, 'a coef.json');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(a.coefficients, 'utf8'));
    } catch (err) {
      throw new InputError(`--coefficients ${a.coefficients}: expected JSON, found a parse error (${(err as Error).message})`);
    }
    const lVec = a['l-vec'] !== undefined ? numberList('l-vec', a['l-vec'], false) : undefined;
    const coef = coefficientsFrom(a.coefficients, raw, lVec);
    const method = a.method as RestrictionMethod;
    const bounds =
      method === 'relative_magnitudes'
        ? a.mbar !== undefined
          ? numberList('mbar', a.mbar, true)
          : DEFAULT_MBAR
        : numberList('m', a.m ?? '', true);
    const result = sensitivity(seeded(a.seed), coef, { method, bounds, ci: a.ci as CiType | undefined, alpha: a.alpha });
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
