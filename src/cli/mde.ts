/** `stagger mde`: the value of a numeric axis where power reaches a target. Wiring and printing only. */
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { fmt } from '../diagnosis/summary.js';
import { csvField } from '../diagnosis/tidy.js';
import { mdeSearch } from '../engine/mde.js';
import { writeAtomic } from '../engine/outputs.js';
import { makeProgress } from '../engine/progress.js';
import { reportAfterRun } from '../report/report.js';
import { checkCounts, commonRunOptions, preflightRun, printReport, resolveRun, runCounts, type CommonRunArgs } from './run.js';
import { MAX_REDRAWS } from '../estimators/family-options.js';
import { numberOption, parseNumber, WHOLE_AT_LEAST_0 } from './options.js';
import { checkMdeQuery, checkOverPath, checkOverValues, scenarioFile } from './preflight.js';
import { scenarioWithSettings, parseSetting } from '../engine/settings.js';
import type { MdeResult } from '../diagnosis/power-curve.js';

interface MdeArgs extends CommonRunArgs {
  power: number;
  over: string;
  values?: string;
  estimator?: string;
  estimand: string;
  outcome?: string;
  replicates: number;
  refine: number;
}

const R1 = 'scenarios/r1-isf-waitlist.yaml';

/** Axis values as people read them: whole numbers from 100 up (kr/month, months), else 3 significant digits. */
const val = (x: number): string => (Math.abs(x) >= 100 ? String(Math.round(x)) : fmt(x));

/**
 * The answer on a whole-number axis: the whole number a planner can use, then the interpolated
 * crossing and its MC uncertainty for information.
 */
export function wholeLines(axis: string, target: number, result: MdeResult): string[] {
  const w = result.whole!;
  const side = w.direction === 1 ? 'smallest' : 'largest';
  const at = w.power
    ? `simulated power there ${fmt(w.power.power)} ± ${fmt(w.power.mcSe)}${w.bracketed ? `, and ${fmt(result.curve.find((c) => c.value === w.value - w.direction)!.power)} at ${w.value - w.direction}` : ''}`
    : 'interpolated, not simulated itself; a larger --refine adds it';
  // One decimal: a crossing at 564.4 must not read as the whole number 564 beside the answer 565.
  const d1 = (x: number) => x.toFixed(1);
  const iv = result.interval ? `, 95 % MC interval ${d1(result.interval[0])}–${d1(result.interval[1])}` : '';
  const wiv =
    w.interval && w.interval[0] !== w.interval[1]
      ? `; the whole-number answer lies in ${w.interval[0]}–${w.interval[1]} by that interval`
      : '';
  const nr = result.notReached > 0 ? ` (${(100 * result.notReached).toFixed(1)} % of bootstrap curves do not reach it)` : '';
  return [
    `  ${axis} for ${target * 100} % power: ${w.value}, the ${side} whole number with power ≥ ${target} (${at})\n`,
    `  interpolated crossing ${d1(result.value!)} (MC SE ${fmt(result.mcSe ?? NaN)}${iv})${wiv}${nr}\n`,
  ];
}

export const mdeCommand: CommandModule<object, MdeArgs> = {
  command: 'mde [scenario]',
  describe:
    'Find where power reaches a target along a numeric axis: the minimum detectable effect, the months of recruitment needed, … ' +
    'Runs the axis with common random numbers (every value sees the same people and noise), interpolates the power curve on the probit ' +
    'scale, adds design points at the crossing (--refine), and reports the answer with its Monte Carlo uncertainty (bootstrap over draws).',
  builder: (y) =>
    commonRunOptions(y)
      .option('over', {
        type: 'string',
        demandOption: true,
        describe:
          'Dotted path of the numeric setting to scan, e.g. effect.target.value (where the effect is stated on an estimand, as in R1), effect.size (elsewhere) or design.recruitment.to',
      })
      .option('values', { type: 'string', describe: "Comma-separated values of the axis (default: the scenario's own list at that path)" })
      .option(
        'power',
        numberOption('power', { expected: 'a power in (0, 1), e.g. 0.8', above: 0, below: 1 }, { default: 0.8, describe: 'Target power' }),
      )
      .option('estimator', { type: 'string', describe: 'Estimator name (default: the first in the scenario)' })
      .option('outcome', { type: 'string', describe: 'Outcome name (default: the first in the scenario)' })
      .option('estimand', {
        type: 'string',
        default: 'simple',
        describe: 'Estimand id: simple, dynamic_avg, group_avg, group:7, dynamic:3, simple@women, …',
      })
      .option(
        'refine',
        numberOption('refine', WHOLE_AT_LEAST_0, {
          default: 3,
          describe: 'Extra design points at the interpolated crossing (0 = the grid alone; whole-number axes stop at neighbouring values)',
        }),
      )
      .option(
        'replicates',
        numberOption(
          'replicates',
          { expected: `a whole number from 1 to ${MAX_REDRAWS}`, integer: true, min: 1, max: MAX_REDRAWS },
          { default: 1000, describe: 'Bootstrap replicates over draws for the MC uncertainty of the answer' },
        ),
      )
      .example(
        `$0 mde ${R1} --over effect.target.value --values 0,250,500,750 --estimand group_avg --draws 500 --seed 1`,
        'Minimum detectable group_avg effect (kr/month) at 80 % power',
      )
      .example(
        `$0 mde ${R1} --set design.recruitment.referrals=36.7 --set effect.target.estimand=dynamic_avg --set effect.target.value=1000 --set design.recruitment.target=null --set design.recruitment.target_cut=null --set periods.count=150 --set design.start_groups.count=20 --over design.recruitment.to --values 80,95,110 --estimand dynamic_avg --seed 1`,
        'Months of recruitment needed with referrals a third lower (README: Design search)',
      )
      .example(
        `$0 mde ${R1} --over design.treatment_share --values 0.4,0.5,0.6,0.7 --power 0.9`,
        'Treatment share for 90 % power (no crossing is said plainly)',
      )
      .epilogue(
        'Outputs in --out (default out/<scenario>-mde-<axis>): mde.json, power-curve.csv, and the usual diagnosis.csv, draws, run.json, report.html; refinement runs in refine-K/.',
      ) as Argv<MdeArgs>,
  handler: async (a: ArgumentsCamelCase<MdeArgs>) => {
    checkCounts(a);
    const values = a.values
      ?.split(',')
      .map((v) => parseNumber('values', v.trim(), { expected: 'comma-separated numbers, e.g. 0,250,500' }));
    // A whole-number axis (clusters, waves, people: the schema says so) refuses fractional --values
    // before the scenario is resolved at them.
    const early = a.simulation || !a.scenario ? undefined : scenarioWithSettings(scenarioFile(a.scenario), (a.set ?? []).map(parseSetting));
    if (early) checkOverPath(early, a.over);
    const integer = early ? checkOverValues(early, a.over, values) : undefined;
    const specFor = (vs: number[] | undefined) => resolveRun(a, vs ? { over: { path: a.over, values: vs } } : {});
    const name = specFor(values).name;
    const outDir = a.out ?? join('out', `${name}-mde-${a.over}`);
    // The axis, estimator, estimand and outcome the search reads: checked before any draw runs.
    const scenario = preflightRun(a, outDir);
    if (scenario) {
      checkOverPath(scenario, a.over);
      checkMdeQuery(scenario, { estimator: a.estimator, estimand: a.estimand, outcome: a.outcome });
    }
    const { draws, seed } = runCounts(a);
    const progress = makeProgress({ quiet: a.quiet });
    const res = await mdeSearch({
      specFor,
      values,
      seed,
      draws,
      workers: a.workers,
      outDir,
      resume: a.resume,
      refine: a.refine,
      ...(integer !== undefined ? { integer } : {}),
      query: {
        axis: a.over,
        target: a.power,
        estimator: a.estimator,
        estimand: a.estimand,
        ...(a.outcome ? { outcome: a.outcome } : {}),
        replicates: a.replicates,
      },
      onStart: (i) => progress.start(i.totalUnits, i.doneUnits),
      onProgress: (done) => progress.update(done),
    });
    progress.stop();
    const { curves, refined, estimator } = res;
    const axis = res.axis;
    writeAtomic(
      join(outDir, 'mde.json'),
      `${JSON.stringify({ axis, ...(a.outcome ? { outcome: a.outcome } : {}), estimator, estimand: a.estimand, draws, seed, integer: res.integer, refined, curves }, null, 1)}\n`,
    );
    const others = Object.keys(curves[0].group.fixed);
    const lines = [[...others, axis, 'power', 'mc_se'].map(csvField).join(',')];
    for (const { group, result } of curves) {
      for (const c of result.curve)
        lines.push([...others.map((k) => csvField(String(group.fixed[k]))), c.value, c.power, c.mcSe].join(','));
    }
    writeAtomic(join(outDir, 'power-curve.csv'), `${lines.join('\n')}\n`);
    for (const { group, result } of curves) {
      const fixed = Object.entries(group.fixed)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      process.stdout.write(
        `${fixed ? `[${fixed}] ` : ''}power of ${estimator} on ${a.estimand}${a.outcome ? ` of ${a.outcome}` : ''} along ${axis} (${draws} draws, common random numbers):\n`,
      );
      for (const c of result.curve) {
        const mark = refined.includes(c.value) ? '  (refinement)' : '';
        process.stdout.write(`  ${String(c.value).padStart(10)}  ${fmt(c.power).padStart(6)} ± ${fmt(c.mcSe)}${mark}\n`);
      }
      if (result.value === null) {
        process.stdout.write(`  power ${a.power} is not reached: the curve is ${result.status}; widen --values\n`);
      } else if (result.whole) {
        process.stdout.write(wholeLines(axis, a.power, result).join(''));
      } else {
        const iv = result.interval ? `, 95 % MC interval ${val(result.interval[0])}–${val(result.interval[1])}` : '';
        const nr = result.notReached > 0 ? ` (${(100 * result.notReached).toFixed(1)} % of bootstrap curves do not reach it)` : '';
        process.stdout.write(`  ${axis} for ${a.power * 100} % power: ${val(result.value)} (MC SE ${fmt(result.mcSe ?? NaN)}${iv})${nr}\n`);
      }
    }
    process.stdout.write(
      `${outDir}/: mde.json, power-curve.csv, diagnosis.csv, draws, run.json${refined.length ? `, refine-1…${refined.length}/` : ''}\n`,
    );
    printReport(await reportAfterRun(outDir), a.quiet);
  },
};
