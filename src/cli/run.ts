/** `stagger run`: diagnose every design point of a scenario by Monte Carlo. Wiring and printing only. */
import { basename, extname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { summaryTable } from '../diagnosis/summary.js';
import { estimatorTypes, fewClusterNotes } from '../diagnosis/few-clusters.js';
import { makeProgress } from '../engine/progress.js';
import { runEngine } from '../engine/run.js';
import { parseShard } from '../engine/shard.js';
import { parseSetting, settingsApplied } from '../engine/settings.js';
import { parse } from 'yaml';
import { moduleSpec, pickSeed, scenarioSpec, type ResolvedSpec } from '../engine/spec.js';
import { reportAfterRun } from '../report/report.js';
import { availableCpus } from '../engine/available-cpus.js';
import { keepResolvedScenario, settingsRecord } from '../report/resolved-scenario.js';
import { resolveScenarioFile } from '../scenario/resolve-scenario.js';
import { InputError, UsageError } from './errors.js';
import { scenarioFile, writableDir } from './preflight.js';
import { scenarioWithSettings } from '../engine/settings.js';
import type { Scenario } from '../scenario/schema.js';
import { numberOption, parseNumber, WHOLE_AT_LEAST_1, WORKERS } from './options.js';

export interface CommonRunArgs {
  scenario?: string;
  draws?: number;
  seed?: string;
  workers: number;
  out?: string;
  resume: boolean;
  quiet: boolean;
  set?: string[];
  simulation?: string;
  'simulation-args'?: string;
}

/** Options shared by `run` and `mde`. */
export function commonRunOptions<T>(y: Argv<T>) {
  return y
    .positional('scenario', {
      type: 'string',
      describe: "Scenario file (YAML), or a bundled scenario's name, e.g. r1-isf-waitlist (stagger scenarios lists them)",
    })
    .option(
      'draws',
      numberOption('draws', WHOLE_AT_LEAST_1, {
        describe: "Draws per design point (a whole number ≥ 1; default: the scenario's draws:, else 1000)",
      }),
    )
    .option('seed', {
      type: 'string',
      describe: "Seed of the run (default: the scenario's seed: when the file states one, else picked and printed)",
    })
    .option(
      'workers',
      numberOption('workers', WORKERS, {
        default: availableCpus(),
        describe:
          'Worker threads (0 = run in this thread; default: the CPUs this process may use: affinity, cgroup quota, SLURM_CPUS_PER_TASK)',
      }),
    )
    .option('out', { type: 'string', describe: 'Output directory (default out/<scenario name>)' })
    .option('resume', { type: 'boolean', default: false, describe: 'Continue a run killed or stopped in --out; finished draws are kept' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar or summary' })
    .option('set', {
      type: 'string',
      array: true,
      describe:
        'Change a setting of the scenario for this run, PATH=VALUE (YAML value; a list makes an axis, null removes the key); repeatable',
    })
    .option('simulation', { type: 'string', hidden: true, describe: 'Custom simulation module exporting createSimulation(args)' })
    .option('simulation-args', { type: 'string', hidden: true, describe: 'JSON arguments of --simulation' });
}

export function resolveRun(a: CommonRunArgs, extra: Record<string, unknown> = {}): ResolvedSpec & { name: string } {
  if (a.simulation) {
    let args: unknown = {};
    try {
      if (a['simulation-args']) args = JSON.parse(a['simulation-args']);
    } catch (err) {
      throw new InputError(`--simulation-args: expected JSON, found ${JSON.stringify(a['simulation-args'])} (${(err as Error).message})`);
    }
    return { ...moduleSpec(a.simulation, args), name: basename(a.simulation, extname(a.simulation)) };
  }
  if (!a.scenario) throw new UsageError('name a scenario file, e.g. stagger run scenarios/r1-isf-waitlist.yaml');
  const set = (a.set ?? []).map(parseSetting);
  const file = scenarioFile(a.scenario);
  const r = scenarioSpec(file, set.length ? { ...extra, set } : extra);
  // run.json records the settings and the file's own hash: the report then describes what ran.
  return {
    ...r,
    scenario: set.length ? { ...r.scenario, ...settingsRecord(file, set) } : r.scenario,
    name: basename(a.scenario, extname(a.scenario)),
  };
}

/**
 * Everything a run needs, checked before it starts: the scenario with its --set changes valid, the
 * output directory writable. Returns the scenario (undefined for a custom --simulation).
 */
export function preflightRun(a: CommonRunArgs, outDir: string): Scenario | undefined {
  writableDir(`--out ${outDir}`, outDir);
  if (a.simulation || !a.scenario) return undefined;
  return scenarioWithSettings(scenarioFile(a.scenario), (a.set ?? []).map(parseSetting));
}

/** The report's lines: the first (where it is) unless quiet, the rest (what went wrong) always. */
export function printReport(lines: string[], quiet: boolean): void {
  lines.forEach((l, i) => {
    if (i > 0 || !quiet) (l.startsWith('stagger:') || i > 0 ? process.stderr : process.stdout).write(`${l}\n`);
  });
}

/** The counts again, for callers that build the arguments without yargs (tests, scripts). */
export function checkCounts(a: { draws?: number; workers: number }): void {
  if (a.draws !== undefined) parseNumber('draws', a.draws, WHOLE_AT_LEAST_1);
  parseNumber('workers', a.workers, WORKERS);
}

/**
 * The run's draws and seed: the flags, else what the scenario file states (`draws:`, `seed:`, after
 * --set), else 1000 draws and a fresh seed, printed so the run can be repeated. A scenario written by
 * the explorer's "Download scenario" states both, so `stagger run FILE` reproduces the page's figures.
 */
export function runCounts(a: Pick<CommonRunArgs, 'draws' | 'seed' | 'scenario' | 'set' | 'simulation'>): { draws: number; seed: string } {
  let stated: Record<string, unknown> = {};
  if (!a.simulation && a.scenario && (a.draws === undefined || a.seed === undefined)) {
    const raw: unknown = parse(settingsApplied(scenarioFile(a.scenario), (a.set ?? []).map(parseSetting)));
    if (raw !== null && typeof raw === 'object') stated = raw as Record<string, unknown>;
  }
  const draws = a.draws ?? (typeof stated.draws === 'number' ? stated.draws : 1000);
  let seed = a.seed;
  if (seed === undefined && (typeof stated.seed === 'number' || typeof stated.seed === 'string')) seed = String(stated.seed);
  if (seed === undefined) {
    seed = pickSeed();
    process.stderr.write(`stagger: no --seed given; using --seed ${seed}\n`);
  }
  return { draws, seed };
}

interface RunArgs extends CommonRunArgs {
  shard?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe:
    "Diagnose a design by Monte Carlo: for every design point of the scenario's grid and every draw, generate, estimate with every " +
    'estimator in its analysis block, and score against the truth: power, bias, RMSE, coverage, SE/SD, type S, exaggeration, not identified, each with its MC SE.',
  builder: (y) =>
    commonRunOptions(y)
      .option('shard', { type: 'string', describe: 'Run one slice i/N of the draws (combine the slices with stagger merge)' })
      .example(
        '$0 run scenarios/r1-isf-waitlist.yaml --draws 1000 --seed 1',
        'Diagnose R1 with 1,000 draws per design point (out/r1-isf-waitlist/)',
      )
      .example('$0 run scenarios/r1-isf-waitlist.yaml --seed 1 --resume', 'Continue a run that was killed; finished draws are kept')
      .example(
        "$0 run scenarios/r1-isf-waitlist.yaml --seed 1 --set 'design.treatment_share=[0.5, 0.6, 0.7]' --set effect.target.value=0",
        'A grid over the treatment share, under the null, without editing the file',
      )
      .example(
        '$0 run scenarios/r2-malmo-quota.yaml --seed 1 --shard 3/10 --out out/r2/shard-3',
        'One tenth of the draws (a Slurm array task; then stagger merge out/r2/shard-* --out out/r2)',
      )
      .epilogue(
        'Outputs in --out (default out/<scenario>): diagnosis.csv (tidy: one row per point × estimator × estimand × target × diagnosand), ' +
          'diagnosis.json, draws (every draw; read it with stagger draws / stagger diagnose), run.json, report.html. ' +
          'Results are byte-identical for any --workers, any --shard split and after --resume.',
      ) as Argv<RunArgs>,
  handler: async (a: ArgumentsCamelCase<RunArgs>) => {
    checkCounts(a);
    const shard = a.shard ? parseShard(a.shard) : undefined;
    const r = resolveRun(a);
    const outDir = a.out ?? join('out', r.name);
    const scenario = preflightRun(a, outDir);
    const { draws, seed } = runCounts(a);
    const progress = makeProgress({ quiet: a.quiet });
    try {
      const res = await runEngine({
        spec: r.spec,
        scenario: r.scenario,
        seed,
        draws,
        workers: a.workers,
        outDir,
        resume: a.resume,
        shard,
        onStart: (i) => {
          if (i.doneUnits > 0) process.stderr.write(`stagger: resuming: ${i.doneUnits} of ${i.totalUnits} draws already done\n`);
          progress.start(i.totalUnits, i.doneUnits);
        },
        onProgress: (done) => progress.update(done),
      });
      progress.stop();
      if (a.set?.length && a.scenario) keepResolvedScenario(outDir, resolveScenarioFile(a.scenario), a.set.map(parseSetting));
      if (!a.quiet) {
        process.stdout.write(summaryTable(res.rows, res.meta.points));
        const few = fewClusterNotes(res.rows, res.meta.points, { alpha: res.meta.alpha, scenario, types: estimatorTypes(scenario) });
        for (const n of few) process.stdout.write(`warning: ${n.message}\n`);
        const t = res.record.timings;
        process.stdout.write(
          `\n${outDir}/: diagnosis.csv, diagnosis.json, draws, run.json (seed ${seed}, ${t.seconds?.toFixed(1)} s, ${t.draws_per_second?.toFixed(1)} draws/s)\n`,
        );
      }
      printReport(await reportAfterRun(outDir), a.quiet);
    } finally {
      progress.stop();
    }
  },
};
