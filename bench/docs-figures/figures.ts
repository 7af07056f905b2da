/**
 * Every figure the README and scenarios/README.md quote, with the command that produces it. Each
 * figure runs its command(s) and renders the Markdown that sits between its markers
 * (bench/docs-figures/blocks.ts), so the command shown is the command that was run and the numbers are
 * its output. Timings are machine-dependent and never part of a block (they are quoted outside, with
 * their date, from `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedTable, seedTableMarkdown } from '../seed-table.js';

export interface FigureContext {
  root: string;
  workers: number;
  log: (line: string) => void;
}

export interface Figure {
  id: string;
  /** File (relative to the repository root) holding the block. */
  file: string;
  /** Roughly how long it takes on 2 cores, for the listing. */
  cost: string;
  produce: (ctx: FigureContext) => Promise<string>;
}

/** Runs `stagger ARGS` from the repository root as a user would, returning its standard output. */
export function stagger(ctx: FigureContext, args: string[]): string {
  // The CLI built beside this script (dist/ or a copy of it), so a long run survives a rebuild of dist/.
  const r = spawnSync(process.execPath, ['--single-threaded', fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)), ...args], {
    cwd: ctx.root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`stagger ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/** Removes a figure's earlier output, so that every figure is a fresh run (never a resumed one). */
function fresh(ctx: FigureContext, path: string): string {
  rmSync(join(ctx.root, path), { recursive: true, force: true });
  return path;
}

/** A shell line as the README shows it (arguments with spaces or brackets quoted). */
export function shellLine(args: readonly string[], width = 100): string {
  const words = ['stagger', ...args.map((a) => (/^[\w./:,=@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))];
  // Wrapped before an option (never between an option and its value) once a line passes `width`.
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const value = i + 1 < words.length && w.startsWith('--') && !words[i + 1].startsWith('--') ? ` ${words[++i]}` : '';
    const piece = w + value;
    if (line && w.startsWith('--') && line.length + 1 + piece.length > width) {
      lines.push(`${line} \\`);
      line = `  ${piece}`;
    } else line = line ? `${line} ${piece}` : piece;
  }
  return [...lines, line].join('\n');
}

/** The command as the README shows it, then its output without timings (both in code blocks). */
function commandAndOutput(args: readonly string[], output: string): string {
  return ['```sh', shellLine(args.filter((a) => a !== '--quiet')), '```', '```', withoutTimings(output).trimEnd(), '```'].join('\n');
}

/** Replaces durations ("15.4 s", "in 0.1 s") by "…" so a block does not depend on the machine. */
export function withoutTimings(text: string): string {
  return text.replace(/\b\d+(\.\d+)?\s?(ms|s|min)\b/g, '… s');
}

interface Row {
  point: number;
  outcome: string;
  estimator: string;
  estimand: string;
  target: string | null;
  diagnosand: string;
  value: number | null;
  mc_se: number | null;
}

function diagnosis(dir: string): Row[] {
  return JSON.parse(readFileSync(join(dir, 'diagnosis.json'), 'utf8')).rows as Row[];
}

const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? 'NA' : Number(x.toPrecision(digits)).toString();
const withSe = (r: Row | undefined): string => (r ? `${num(r.value)} (${num(r.mc_se, 2)})` : '—');

/** A table of the diagnosands a teaching text discusses, per estimator, for one estimand. */
function teachingTable(rows: Row[], estimand: string, estimators: string[]): string {
  const get = (est: string, d: string, target: string | null) =>
    rows.find((r) => r.point === 0 && r.estimator === est && r.estimand === estimand && r.diagnosand === d && r.target === target);
  const head = '| estimator | true value | mean estimate | bias | coverage | power | mean SE | SD of estimates |';
  const lines = [head, '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const e of estimators) {
    lines.push(
      `| \`${e.replaceAll('|', '\\|')}\` | ${withSe(get(e, 'mean_truth', 'population'))} | ${withSe(get(e, 'mean_estimate', null))} | ${withSe(get(e, 'bias', 'population'))} | ` +
        `${withSe(get(e, 'coverage', 'population'))} | ${withSe(get(e, 'power', null))} | ${withSe(get(e, 'mean_se', null))} | ${withSe(get(e, 'sd_estimate', null))} |`,
    );
  }
  return lines.join('\n');
}

/** A fresh 200-draw run (seed 1) of the bundled scenario `id`: the command as shown, and its diagnosis. */
function bundledRun(ctx: FigureContext, id: string): { cmd: string; rows: Row[] } {
  const out = fresh(ctx, `out/docs-figures/${id}`);
  const args = ['run', `scenarios/${id}.yaml`, '--draws', '200', '--seed', '1', '--out', out, '--quiet'];
  stagger(ctx, args);
  return { cmd: shellLine(args.filter((a) => a !== '--quiet')), rows: diagnosis(join(ctx.root, out)) };
}

function teaching(id: string, estimand: string, estimators: string[], extra?: (rows: Row[]) => string): Figure {
  return {
    id,
    file: 'scenarios/README.md',
    cost: '~10 s',
    async produce(ctx) {
      const { cmd, rows } = bundledRun(ctx, id);
      return [
        '```sh',
        cmd,
        '```',
        `\`${estimand}\` against the population truth (200 draws, seed 1; Monte Carlo SEs in brackets):`,
        '',
        teachingTable(rows, estimand, estimators),
        ...(extra ? ['', extra(rows)] : []),
      ].join('\n');
    },
  };
}

/**
 * The methodologist's question (issue 14): each estimator's usual interval for `estimand` and, for
 * those with an event-study covariance, HonestDiD's robust intervals at each bound, side by side.
 */
function methodsFigure(id: string, estimand: string, estimators: string[], robust: string[]): Figure {
  return {
    id,
    file: 'scenarios/README.md',
    cost: '~25 s',
    async produce(ctx) {
      const { cmd, rows } = bundledRun(ctx, id);
      const get = (est: string, e: string, d: string, target: string | null) =>
        rows.find((r) => r.point === 0 && r.estimator === est && r.estimand === e && r.diagnosand === d && r.target === target);
      const lines = ['| estimator | interval | bias | coverage | power | not identified |', '| --- | --- | --- | --- | --- | --- |'];
      for (const est of estimators)
        for (const e of [estimand, ...robust]) {
          const ni = get(est, e, 'not_identified', null);
          const interval = e === estimand ? 'usual (Wald)' : `robust, ${e.replace(/^robust:relative_magnitudes:mbar=/, 'M̄ = ')}`;
          if (ni?.value === 1) {
            lines.push(`| \`${est}\` | ${interval} | — | — | — | all draws |`);
            continue;
          }
          lines.push(
            `| \`${est}\` | ${interval} | ${e === estimand ? withSe(get(est, e, 'bias', 'population')) : 'as above'} | ${withSe(get(est, e, 'coverage', 'population'))} | ${withSe(get(est, e, 'power', null))} | ${withSe(ni)} |`,
          );
        }
      return [
        '```sh',
        cmd,
        '```',
        `\`${estimand}\` against the population truth, and the robust intervals of the same estimate (200 draws, seed 1; Monte Carlo SEs in brackets):`,
        '',
        ...lines,
      ].join('\n');
    },
  };
}

// ---- the stepped-wedge planner (issue 15): README.md, "Cluster rollouts" ----
const SW = 'scenarios/sw-clinics.yaml';
/** Where the planner's figures live. */
const PLANNER_FILE = 'README.md';

/** A figure's scenario must exist: a missing one fails the figure by name, never skips it. */
function needScenario(ctx: FigureContext, id: string, path: string): void {
  if (!existsSync(join(ctx.root, path)))
    throw new Error(
      `figure ${id}: ${path} is missing (the bundled stepped-wedge scenario of issue 15); the figure cannot be produced without it`,
    );
}

/** Power and coverage of the overall ATT per design point and estimator, with the analytic power where the run has it. */
function plannerTable(rows: Row[], points: { index: number; settings: Record<string, number | string> }[]): string {
  const get = (p: number, e: string, k: string, d: string, target: string | null) =>
    rows.find((r) => r.point === p && r.estimator === e && r.estimand === k && r.diagnosand === d && r.target === target);
  const estimators = [...new Set(rows.filter((r) => r.diagnosand === 'power' && r.estimand === 'simple').map((r) => r.estimator))];
  const axes = Object.keys(points[0]?.settings ?? {});
  const analytic = rows.some((r) => r.diagnosand === 'analytic_power');
  const head = [...axes, 'estimator', 'estimand', 'power', ...(analytic ? ['analytic power'] : []), 'coverage', 'bias'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  // The overall ATT and, where the estimator gives it, the effect from the lag on (dynamic_avg over its window).
  for (const p of points)
    for (const e of estimators)
      for (const k of ['simple', 'dynamic_avg']) {
        const power = get(p.index, e, k, 'power', null);
        if (!power || (k !== 'simple' && get(p.index, e, k, 'not_identified', null)?.value === 1)) continue;
        const ap = get(p.index, e, k, 'analytic_power', null);
        const a = analytic ? [ap ? num(ap.value) : '—'] : [];
        lines.push(
          `| ${[...axes.map((x) => String(p.settings[x])), `\`${e}\``, `\`${k}\``, withSe(power), ...a, withSe(get(p.index, e, k, 'coverage', 'sample')), withSe(get(p.index, e, k, 'bias', 'sample'))].join(' | ')} |`,
        );
      }
  return lines.join('\n');
}

function plannerRun(id: string, set: string[], caption: string, draws: number): Figure {
  return {
    id,
    file: PLANNER_FILE,
    cost: '~1 min',
    async produce(ctx) {
      needScenario(ctx, id, SW);
      const out = fresh(ctx, `out/docs-figures/${id}`);
      const args = ['run', SW, ...set.flatMap((x) => ['--set', x]), '--draws', String(draws), '--seed', '1', '--out', out, '--quiet'];
      stagger(ctx, args);
      const file = JSON.parse(readFileSync(join(ctx.root, out, 'diagnosis.json'), 'utf8')) as {
        rows: Row[];
        points: { index: number; settings: Record<string, number | string> }[];
      };
      return ['```sh', shellLine(args.filter((a) => a !== '--quiet')), '```', caption, '', plannerTable(file.rows, file.points)].join('\n');
    },
  };
}

function plannerMde(id: string, over: string, values: string, estimator: string, estimand: string, draws: number): Figure {
  return {
    id,
    file: PLANNER_FILE,
    cost: '~3 min',
    async produce(ctx) {
      needScenario(ctx, id, SW);
      const args = [
        'mde',
        SW,
        '--over',
        over,
        // --values=… keeps a leading minus from reading as an option.
        `--values=${values}`,
        '--estimator',
        estimator,
        '--estimand',
        estimand,
        '--draws',
        String(draws),
        '--seed',
        '1',
        '--out',
        fresh(ctx, `out/docs-figures/${id}`),
        '--quiet',
      ];
      return commandAndOutput(args, stagger(ctx, args));
    },
  };
}

const PLANNER_FIGURES: Figure[] = [
  plannerRun(
    'sw-power',
    [],
    "The overall ATT (`simple`) and the effect from month 3 on (`dynamic_avg`) at the scenario as written (500 draws, seed 1; Monte Carlo SEs in brackets; coverage and bias against each draw's sample ATT):",
    500,
  ),
  plannerMde('sw-clusters', 'design.clusters', '16,24,32,48', 'cs', 'dynamic_avg', 300),
  plannerRun(
    'sw-waves',
    ['design.waves=[6,12]'],
    '6 against 12 waves, one grid, common random numbers (300 draws, seed 1; Monte Carlo SEs in brackets):',
    300,
  ),
  plannerMde('sw-mde', 'effect.size', '-0.016,-0.012,-0.008,-0.004', 'cs', 'dynamic_avg', 300),
];

export const FIGURES: Figure[] = [
  ...PLANNER_FIGURES,
  teaching('teach-twfe-bias', 'simple', ['cs', 'twfe']),
  teaching('teach-pretest', 'simple', ['cs', 'cs|passed'], (rows) => {
    const pass = rows.find((r) => r.estimator === 'cs|pretest' && r.estimand === 'pass' && r.diagnosand === 'power');
    return `The Wald pre-test passes in ${withSe(pass ?? undefined)} of the draws (\`cs|pretest\`, estimand \`pass\`); \`cs|passed\` is \`cs\` among the draws that pass it.`;
  }),
  teaching('teach-stepped-wedge', 'simple', ['hh', 'cs', 'twfe']),
  teaching('teach-efficient', 'simple', ['cs', 'efficient'], (rows) => {
    const se = (e: string) =>
      rows.find((r) => r.point === 0 && r.estimator === e && r.estimand === 'simple' && r.diagnosand === 'mean_se' && r.target === null)
        ?.value;
    const a = se('efficient');
    const b = se('cs');
    return a && b
      ? `\`efficient\`'s intervals are ${Math.round((1 - a / b) * 100)} % shorter than \`cs\`'s (mean SE ${num(a)} against ${num(b)}).`
      : '';
  }),
  methodsFigure(
    'methods-trend-violation',
    'dynamic:0',
    ['cs', 'twfe', 'sunab', 'bjs', 'efficient'],
    ['robust:relative_magnitudes:mbar=0.5', 'robust:relative_magnitudes:mbar=1', 'robust:relative_magnitudes:mbar=2'],
  ),
  {
    id: 'r1-mde',
    file: 'README.md',
    cost: '~4 min',
    async produce(ctx) {
      const args = [
        'mde',
        'scenarios/r1-isf-waitlist.yaml',
        '--seed',
        '1',
        '--draws',
        '300',
        '--set',
        'analysis.subgroups=[]',
        '--over',
        'effect.target.value',
        '--values',
        '0,400,800,1200',
        '--refine',
        '2',
        '--estimand',
        'group_avg',
        '--out',
        fresh(ctx, 'out/r1-mde'),
        '--quiet',
      ];
      const text = withoutTimings(stagger(ctx, args)).trimEnd();
      const m = /for 80 % power: (\S+) \(MC SE (\S+), 95 % MC interval (\S+)\)/.exec(text);
      if (!m) throw new Error(`stagger mde printed no answer line:\n${text}`);
      return [
        `R1 as designed detects **${m[1]} kr/month with 80 % power** on \`group_avg\` (95 % Monte Carlo interval ${m[3]}; MC SE ${m[2]}):`,
        '',
        commandAndOutput(args, text),
      ].join('\n');
    },
  },
  {
    id: 'seed-table',
    file: 'README.md',
    cost: '~5 min',
    async produce(ctx) {
      const rows = await seedTable({ root: ctx.root, draws: 200, r2Draws: 40, workers: ctx.workers, log: ctx.log });
      return [
        'Output of `npm run validate -- --only seed-table --draws 200 --r2-draws 40` (seed 1; the context rows, without a mark, are shown but not checked):',
        '',
        seedTableMarkdown(rows),
      ].join('\n');
    },
  },
  {
    id: 'r1-effect-target',
    file: 'README.md',
    cost: '~5 s',
    async produce(ctx) {
      const args = ['simulate', 'scenarios/r1-isf-waitlist.yaml', '--seed', '1', '--out', fresh(ctx, 'out/docs-figures/panel.csv')];
      const line = stagger(ctx, args)
        .split('\n')
        .find((l) => l.includes('effect.target'));
      if (!line) throw new Error('stagger simulate printed no effect.target line');
      return ['```', `$ ${shellLine(args)}`, '…', line, '```'].join('\n');
    },
  },
  {
    id: 'calibrate-data',
    file: 'README.md',
    cost: '~20 s',
    async produce(ctx) {
      const args = [
        'calibrate',
        '--data',
        'scenarios/data/example-history.csv',
        '--id',
        'id',
        '--time',
        'period',
        '--outcome',
        'y',
        '--type',
        'earnings',
        '--covariates',
        'woman,age',
        '--draws',
        '10',
        '--seed',
        '1',
        '--out',
        fresh(ctx, 'out/world.yaml'),
      ];
      return commandAndOutput(args, stagger(ctx, args));
    },
  },
  {
    id: 'calibrate-target',
    file: 'README.md',
    cost: '~30 s',
    async produce(ctx) {
      const args = [
        'calibrate',
        'scenarios/r1-isf-waitlist.yaml',
        '--target',
        'group_avg.se=267.5',
        '--free',
        'outcome.sdlog',
        '--draws',
        '100',
        '--seed',
        '1',
        '--out',
        fresh(ctx, 'out/r1-calibrated.yaml'),
      ];
      return commandAndOutput(args, stagger(ctx, args));
    },
  },
];
