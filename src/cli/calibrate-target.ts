/**
 * `stagger calibrate SCENARIO --target … --free …`: calibrate a scenario to a published table's
 * standard errors. Wiring and printing only; the search is src/calibrate/. The yargs command
 * (src/cli/calibrate.ts) dispatches here when a positional SCENARIO is given.
 */
import type { Argv } from 'yargs';
import { writeAtomic } from '../engine/outputs.js';
import { parseSetting } from '../engine/settings.js';
import { pickSeed } from '../engine/spec.js';
import { calibrateTarget, type CalibrationResult } from '../calibrate/run-target.js';
import { fmtNum } from '../calibrate/target.js';
import { CalibrateInputError, parseFree, parseTarget, type Statistic } from '../calibrate/target-spec.js';
import { calibratedYaml, written } from '../calibrate/write-calibrated.js';
import { availableCpus } from '../engine/available-cpus.js';
import { numberOption, WORKERS } from './options.js';

export interface TargetArgs {
  scenario?: string;
  target?: string | string[];
  free?: string | string[];
  draws: number;
  seed?: string;
  estimator?: string;
  statistic?: Statistic;
  set?: string | string[];
  out?: string;
  json?: boolean;
  workers?: number;
  tol?: number;
  'max-evals'?: number;
  quiet?: boolean;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const R1 = 'scenarios/r1-isf-waitlist.yaml';

/**
 * The options of the SCENARIO mode: `targetOptions` all of them; `targetOnlyOptions` those a
 * `--data` mode does not define too (it has its own scenario positional, --draws, --seed, --out, --json).
 */
export function targetOptions<T>(y: Argv<T>) {
  return targetOnlyOptions(
    y
      .positional('scenario', { type: 'string', describe: 'Scenario file (YAML) to calibrate to a published table' })
      .option(
        'draws',
        numberOption(
          'draws',
          { expected: 'a whole number ≥ 2', integer: true, min: 2 },
          { default: 200, describe: 'Draws per evaluation (the same seed and draws every time: common random numbers)' },
        ),
      )
      .option('seed', { type: 'string', describe: 'Seed (picked and printed when absent)' })
      .option('out', { type: 'string', describe: 'Write the calibrated scenario (YAML, comments kept) to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' }),
  );
}

export function targetOnlyOptions<T>(y: Argv<T>) {
  return y
    .option('target', {
      type: 'string',
      array: true,
      describe: "A published figure: [OUTCOME/]ESTIMAND[.se|.sd]=V, e.g. 'group_avg.se=267.5', 'group_avg@women.se=305.5' (repeatable)",
    })
    .option('free', {
      type: 'string',
      array: true,
      describe: 'Numeric settings the search moves (dotted paths, comma-separated or repeated), e.g. outcome.sdlog,outcome.unit_sd',
    })
    .option('estimator', { type: 'string', describe: "Estimator whose SE is matched (default: the scenario's first)" })
    .option('statistic', {
      choices: ['se', 'sd'] as const,
      default: 'se' as Statistic,
      describe: 'For targets without .se/.sd: se = mean estimated SE over draws (what one study reports); sd = SD of the estimates',
    })
    .option('set', { type: 'string', array: true, describe: 'Change a setting before calibrating, PATH=VALUE (repeatable)' })
    .option(
      'workers',
      numberOption('workers', WORKERS, {
        default: availableCpus(),
        describe: 'Worker threads (0 = run in this thread); results are identical for any number',
      }),
    )
    .option(
      'tol',
      numberOption(
        'tol',
        { expected: 'a relative tolerance in (0, 1), e.g. 0.001', above: 0, below: 1 },
        { default: 1e-3, describe: 'Relative tolerance on each target: stop when |S − T| ≤ tol·T' },
      ),
    )
    .option(
      'max-evals',
      numberOption(
        'max-evals',
        { expected: 'a whole number ≥ 2', integer: true, min: 2 },
        { default: 30, describe: 'Evaluations at most (each runs --draws draws)' },
      ),
    )
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines' })
    .example(
      `$0 calibrate ${R1} --target 'group_avg.se=267.5' --free outcome.sdlog --draws 200 --seed 1`,
      "The amount spread that gives R1's published SE of 267.5",
    )
    .example(
      `$0 calibrate ${R1} --target 'group_avg@women.se=305.5' --target 'group_avg@men.se=466.1' --free outcome.sdlog,outcome.unit_sd --seed 1 --out r1-calibrated.yaml`,
      'Two targets, two free settings (Broyden); writes the calibrated scenario (or says the pair is out of reach together)',
    );
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** The handler of `stagger calibrate SCENARIO …`. */
export async function calibrateTargetCommand(a: TargetArgs): Promise<void> {
  if (!a.scenario)
    throw new CalibrateInputError(`name a scenario file, e.g. stagger calibrate ${R1} --target 'group_avg.se=267.5' --free outcome.sdlog`);
  // Defaults here too, for a command that defines fewer of these options (the merged `calibrate`).
  const workers = a.workers ?? availableCpus();
  const tol = a.tol ?? 1e-3;
  const maxEvals = a['max-evals'] ?? 30;
  if (list(a.target).length === 0)
    throw new CalibrateInputError("--target: name at least one published figure, e.g. --target 'group_avg.se=267.5'");
  if (list(a.free).length === 0) throw new CalibrateInputError('--free: name the settings to move, e.g. --free outcome.sdlog');
  if (!Number.isInteger(a.draws) || a.draws < 2) throw new CalibrateInputError(`--draws must be a whole number ≥ 2, got ${a.draws}`);
  if (!Number.isInteger(workers) || workers < 0) throw new CalibrateInputError(`--workers must be 0 or more, got ${workers}`);
  if (!(tol > 0 && tol < 1)) throw new CalibrateInputError(`--tol must be in (0, 1), got ${tol}`);
  if (!Number.isInteger(maxEvals) || maxEvals < 2) throw new CalibrateInputError(`--max-evals must be a whole number ≥ 2, got ${maxEvals}`);
  const targets = list(a.target).map((t) => parseTarget(t, a.statistic ?? 'se'));
  const free = parseFree(list(a.free));
  const set = list(a.set).map(parseSetting);
  const seed = a.seed ?? pickSeed();
  if (a.seed === undefined) process.stderr.write(`stagger: no --seed given; using --seed ${seed}\n`);
  const talk = !a.quiet && !a.json;
  const t0 = performance.now();
  if (talk)
    process.stderr.write(
      `calibrating ${a.scenario}: ${targets.map((t) => t.text).join(', ')} by ${free.join(', ')} (${a.draws} draws, seed ${seed}, common random numbers)\n`,
    );
  const r = await calibrateTarget({
    scenarioFile: a.scenario,
    set,
    targets,
    free,
    estimator: a.estimator,
    seed,
    draws: a.draws,
    workers,
    search: { tol, maxEvals },
    onEvaluation: (k, x, stats, reason) => {
      if (!talk) return;
      const at = free.map((p, i) => `${p}=${fmtNum(x[i])}`).join(', ');
      const what = stats
        ? targets
            .map(
              (t, j) =>
                `${t.estimand} ${t.statistic} ${fmtNum(t.statistic === 'se' ? stats[j].meanSe : stats[j].sd)} ± ${fmtNum(t.statistic === 'se' ? stats[j].meanSeMcSe : stats[j].sdMcSe)}`,
            )
            .join(', ')
        : `not a valid scenario (${reason})`;
      process.stderr.write(`  evaluation ${String(k).padStart(2)}: ${at}  →  ${what}\n`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (a.out) writeAtomic(a.out, calibratedYaml(a.scenario, set, r, `stagger ${process.argv.slice(2).map(shellQuote).join(' ')}`));
  if (a.json) process.stdout.write(`${JSON.stringify({ ...r, seconds }, null, 1)}\n`);
  else process.stdout.write(summary(r, seconds, a.out));
  if (r.status !== 'found') process.exitCode = 1;
}

/** The text answer: found values with their MC interval, the statistic at the solution, the search. */
export function summary(r: CalibrationResult, seconds: number, out?: string): string {
  const lines: string[] = [];
  if (r.status === 'found') {
    for (const f of r.free) {
      const iv = f.interval
        ? `  (95 % MC interval ${written(f.interval[0])}–${written(f.interval[1])})`
        : '  (no MC interval: the statistic does not move locally)';
      lines.push(`${f.path} = ${written(f.found)}${iv}, was ${f.start}`);
    }
  } else {
    lines.push(`not calibrated (${r.status}): ${r.message}`);
    for (const f of r.free) lines.push(`  closest: ${f.path} = ${written(f.found)} (was ${f.start})`);
  }
  for (const t of r.targets) {
    const word = t.statistic === 'se' ? 'mean estimated SE' : 'SD of the estimates';
    lines.push(
      `  ${t.target}: ${word} ${fmtNum(t.value)} ± ${fmtNum(t.mc_se)} (MC SE); ` +
        (t.statistic === 'se'
          ? `SD of the estimates ${fmtNum(t.sd_estimate)} ± ${fmtNum(t.sd_estimate_mc_se)}`
          : `mean estimated SE ${fmtNum(t.mean_se)} ± ${fmtNum(t.mean_se_mc_se)}`) +
        `; ${t.identified} of ${t.draws} draws identified; reached ${fmtNum(t.range[0])}–${fmtNum(t.range[1])} over the evaluations`,
    );
  }
  if (r.mode === 'common multiplier')
    lines.push(`  the free settings moved together by one multiplier (${fmtNum(r.free[0].found / r.free[0].start)} × their start values)`);
  if (r.elasticity && r.targets.length === 1)
    lines.push(
      `  local elasticity d log ${r.targets[0].statistic} / d log ${r.mode === 'one setting' ? r.free[0].path : 'multiplier'}: ${fmtNum(r.elasticity[0][0])}`,
    );
  if (r.monotone === false)
    lines.push('  note: the statistic was not monotone in the free value over the tried values; another root may exist');
  lines.push(
    `${r.evaluations.length} evaluations × ${r.draws} draws (estimator ${r.estimator}, seed ${r.seed}), ${seconds.toFixed(1)} s${out ? `; calibrated scenario in ${out}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
