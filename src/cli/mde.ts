/** `stagger mde`: the value of a numeric axis where power reaches a target. Wiring and printing only. */
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { fmt } from '../diagnosis/summary.js';
import { csvField } from '../diagnosis/tidy.js';
import { mdeFromRun } from '../engine/mde.js';
import { writeAtomic } from '../engine/outputs.js';
import { makeProgress } from '../engine/progress.js';
import { runEngine } from '../engine/run.js';
import { pickSeed } from '../engine/spec.js';
import { reportAfterRun } from '../report/report.js';
import { checkCounts, commonRunOptions, printReport, resolveRun, type CommonRunArgs } from './run.js';

interface MdeArgs extends CommonRunArgs {
  power: number;
  over: string;
  values?: string;
  estimator?: string;
  estimand: string;
  replicates: number;
}

export const mdeCommand: CommandModule<object, MdeArgs> = {
  command: 'mde [scenario]',
  describe: 'Find where power reaches a target along a numeric axis (minimum detectable effect, months needed, …)',
  builder: (y) =>
    commonRunOptions(y)
      .option('power', { type: 'number', default: 0.8, describe: 'Target power' })
      .option('over', { type: 'string', demandOption: true, describe: 'Dotted path of the numeric setting to scan, e.g. effect.size' })
      .option('values', { type: 'string', describe: 'Comma-separated values of the axis (default: the scenario\'s own list)' })
      .option('estimator', { type: 'string', describe: 'Estimator name (default: the first in the scenario)' })
      .option('estimand', { type: 'string', default: 'simple', describe: 'Estimand id: simple, group:7, dynamic:3, simple@women, …' })
      .option('replicates', { type: 'number', default: 1000, describe: 'Bootstrap replicates over draws for the MC uncertainty' })
      .example('$0 mde scenarios/r1-isf-waitlist.yaml --over effect.size --values 0,250,500,750,1000,1500 --draws 500', 'Minimum detectable effect (kr/month) at 80 % power')
      .example('$0 mde scenarios/r1-isf-waitlist.yaml --over design.recruitment.to --values 66,72,78,84,90', 'Months of recruitment needed') as Argv<MdeArgs>,
  handler: async (a: ArgumentsCamelCase<MdeArgs>) => {
    checkCounts(a);
    if (!(a.power > 0 && a.power < 1)) throw new Error(`--power must be in (0, 1), got ${a.power}`);
    const values = a.values?.split(',').map((v) => {
      const x = Number(v);
      if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`--values: "${v}" is not a number`);
      return x;
    });
    const r = resolveRun(a, values ? { over: { path: a.over, values } } : {});
    const seed = a.seed ?? pickSeed();
    if (a.seed === undefined) process.stderr.write(`stagger: no --seed given; using --seed ${seed}\n`);
    const outDir = a.out ?? join('out', `${r.name}-mde-${a.over}`);
    const progress = makeProgress({ quiet: a.quiet });
    const res = await runEngine({
      spec: r.spec, scenario: r.scenario, seed, draws: a.draws, workers: a.workers, outDir, resume: a.resume,
      onStart: (i) => progress.start(i.totalUnits, i.doneUnits),
      onProgress: (done) => progress.update(done),
    });
    progress.stop();
    const estimator = a.estimator ?? res.meta.estimators[0];
    const curves = mdeFromRun(outDir, res.meta, a.draws, { axis: a.over, target: a.power, estimator, estimand: a.estimand, replicates: a.replicates });
    writeAtomic(join(outDir, 'mde.json'), JSON.stringify({ axis: a.over, estimator, estimand: a.estimand, draws: a.draws, seed, curves }, null, 1) + '\n');
    const others = Object.keys(curves[0].group.fixed);
    const lines = [[...others, a.over, 'power', 'mc_se'].map(csvField).join(',')];
    for (const { group, result } of curves) {
      for (const c of result.curve) lines.push([...others.map((k) => csvField(String(group.fixed[k]))), c.value, c.power, c.mcSe].join(','));
    }
    writeAtomic(join(outDir, 'power-curve.csv'), lines.join('\n') + '\n');
    for (const { group, result } of curves) {
      const fixed = Object.entries(group.fixed).map(([k, v]) => `${k}=${v}`).join(', ');
      process.stdout.write(`${fixed ? `[${fixed}] ` : ''}power of ${estimator} on ${a.estimand} along ${a.over} (${a.draws} draws, common random numbers):\n`);
      for (const c of result.curve) process.stdout.write(`  ${String(c.value).padStart(10)}  ${fmt(c.power).padStart(6)} ± ${fmt(c.mcSe)}\n`);
      if (result.value === null) {
        process.stdout.write(`  power ${a.power} is not reached: the curve is ${result.status}; widen --values\n`);
      } else {
        const iv = result.interval ? `, 95 % MC interval ${fmt(result.interval[0])}–${fmt(result.interval[1])}` : '';
        const nr = result.notReached > 0 ? ` (${(100 * result.notReached).toFixed(1)} % of bootstrap curves do not reach it)` : '';
        process.stdout.write(`  ${a.over} for ${a.power * 100} % power: ${fmt(result.value)} (MC SE ${fmt(result.mcSe ?? NaN)}${iv})${nr}\n`);
      }
    }
    process.stdout.write(`${outDir}/: mde.json, power-curve.csv, diagnosis.csv, draws, run.json\n`);
    printReport(await reportAfterRun(outDir), a.quiet);
  },
};
