/**
 * The fuzz suite: case i of seed S is generated from its own stream (rng.ts), run in child processes
 * (at most two at a time), classified by the oracle, and every failing check written to
 * <out>/<class>/<id>.* with the commands that reproduce it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandLine, pool, ROOT, run, type ChildResult } from './child.js';
import { malformedPanel } from './gen-csv.js';
import { FAULTS, planFault, type Fault } from './gen-fault.js';
import { mutateScenario } from './gen-scenario.js';
import { runFault } from './faults.js';
import { classify, isFailure, type CaseClass, type Verdict } from './oracle.js';
import { caseRng, chance, pick, type Rng } from './rng.js';
import { scanCsv, scanJsonText, scanText } from './scan-output.js';

export type Family = 'scenario' | 'csv' | 'fault';

/** One judged command of a case. */
export interface Check {
  id: string;
  index: number;
  family: Family;
  /** "scenario/tag", "csv/crlf", "fault/kill-run" … */
  kind: string;
  /** The stagger command judged: validate, run, simulate, estimate:<estimator>, or the fault. */
  command: string;
  verdict: Verdict;
  /** Shell command reproducing the check directly (from the repository root). */
  repro: string;
  ms: number;
}

export interface SuiteOptions {
  seed: string;
  cases: number;
  minutes: number;
  /** Where failing cases are written (out/fuzz by default); its work/ subfolder is scratch. */
  out: string;
  families?: Family[];
  /** Fault kinds to draw from (all by default). */
  faults?: Fault[];
  /** Run only these case indices. */
  only?: number[];
  /** Chance that a valid mutated scenario is also run (--draws 3) and simulated. */
  runShare?: number;
  width?: number;
  /** Called after each case (progress). */
  onCase?: (checks: Check[], done: number) => void;
}

const BUNDLED = readdirSync(path.join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
/** Bundled scenarios cheap enough to run with --draws 3 in a fuzz case (r2 takes ~25 s for 3 draws). */
const RUNNABLE = new Set(BUNDLED.filter((f) => !f.startsWith('r2-')));

/** The family of case i: mostly scenarios (cheap), then panels, a few faults (several runs each). */
export function familyOf(rng: Rng, allowed: Family[]): Family {
  const f = pick(rng, ['scenario', 'scenario', 'scenario', 'scenario', 'scenario', 'csv', 'csv', 'csv', 'csv', 'fault'] as Family[]);
  return allowed.includes(f) ? f : allowed[Math.floor(rng() * allowed.length)];
}

function outputsProblems(r: ChildResult, files: string[]): string[] {
  if (r.code !== 0) return [];
  const found = [...scanText(r.stdout, 'stdout')];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    // a truth has no standard error by nature (simulate --truth writes se: null on every cell)
    const name = path.basename(f).replace(/^.*-(truth|sim|out)\./, '$1.');
    found.push(...(f.endsWith('.json') ? scanJsonText(text, name, name.startsWith('truth') ? /^se$/ : undefined) : scanCsv(text, name)));
  }
  if (r.stdout.trimStart().startsWith('{')) found.push(...scanJsonText(r.stdout, 'stdout'));
  return found;
}

/** Generate and run case `index`; returns its checks. */
export async function runCase(o: SuiteOptions, index: number): Promise<Check[]> {
  const rng = caseRng(o.seed, index);
  const family = familyOf(rng, o.families ?? ['scenario', 'csv', 'fault']);
  const id = `${family}-${o.seed}-${index}`;
  const work = path.join(o.out, 'work');
  const cases = path.join(work, 'cases');
  const checks: Check[] = [];
  const record = (kind: string, command: string, r: ChildResult, verdict: Verdict, input?: { ext: string; text: string }) => {
    const check: Check = {
      id: command === 'validate' || family !== 'scenario' ? id : `${id}-${command}`,
      index,
      family,
      kind,
      command,
      verdict,
      repro: commandLine(r.args),
      ms: r.ms,
    };
    checks.push(check);
    if (isFailure(verdict.cls)) writeCase(o, check, r, input, path.join(cases, `${id}.${input?.ext}`));
  };
  if (family === 'scenario') {
    const base = pick(rng, BUNDLED);
    const c = mutateScenario(rng, readFileSync(path.join(ROOT, 'scenarios', base), 'utf8'));
    const kind = `scenario/${c.mutation}`;
    const file = path.join(cases, `${id}.yaml`);
    writeFileSync(file, c.text);
    const input = { ext: 'yaml', text: c.text };
    const v = await run(['validate', file], 30_000);
    record(kind, 'validate', v, classify(v, 'validate', [], c.mustRefuse && c.mutation), input);
    const more = o.runShare ?? 0.03;
    if (v.code === 0 && RUNNABLE.has(base) && chance(rng, more)) {
      const dir = path.join(cases, `${id}-run`);
      const r = await run(['run', file, '--draws', '3', '--seed', '1', '--workers', '0', '--quiet', '--out', dir], 180_000);
      record(
        kind,
        'run',
        r,
        classify(r, 'run', outputsProblems(r, [path.join(dir, 'diagnosis.json'), path.join(dir, 'diagnosis.csv')])),
        input,
      );
    }
    if (v.code === 0 && chance(rng, more)) {
      const csv = path.join(cases, `${id}-sim.csv`),
        truth = path.join(cases, `${id}-truth.json`);
      const r = await run(['simulate', file, '--out', csv, '--truth', truth, '--seed', '1'], 120_000);
      record(kind, 'simulate', r, classify(r, 'simulate', outputsProblems(r, [csv, truth])), input);
    }
  } else if (family === 'csv') {
    const c = malformedPanel(rng);
    const file = path.join(cases, `${id}.csv`);
    writeFileSync(file, c.text);
    const outCsv = path.join(cases, `${id}-out.csv`);
    const args = ['estimate', '--data', file, ...c.args.map((a) => (a === 'OUTCSV' ? outCsv : a))];
    const est = c.args.includes('--estimator') ? c.args[c.args.indexOf('--estimator') + 1] : 'did';
    const r = await run(args, 60_000);
    record(
      `csv/${c.mutation}`,
      `estimate:${est}`,
      r,
      classify(r, 'estimate', outputsProblems(r, c.args.includes('OUTCSV') ? [outCsv] : []), c.mustRefuse && c.mutation),
      { ext: 'csv', text: c.text },
    );
  } else {
    const plan = planFault(rng, pick(rng, o.faults ?? FAULTS));
    const res = await runFault(plan, path.join(work, 'faults', id), work);
    const last = res.steps[res.steps.length - 1];
    const check: Check = {
      id,
      index,
      family,
      kind: `fault/${plan.fault}`,
      command: plan.fault,
      verdict: res.verdict,
      repro: res.steps.map((s) => commandLine(s.args)).join(' && '),
      ms: res.steps.reduce((s, x) => s + x.ms, 0),
    };
    checks.push(check);
    if (isFailure(res.verdict.cls))
      writeCase(o, check, last, { ext: 'plan.json', text: `${JSON.stringify({ ...plan, detail: res.detail }, null, 1)}\n` }, '');
  }
  o.onCase?.(checks, index);
  return checks;
}

/** The flags that make `npm run fuzz -- --case I` draw the same case as this suite did. */
export function reproFlags(o: SuiteOptions): string {
  return `${o.families ? ` --only ${o.families.join(',')}` : ''}${o.faults ? ` --faults ${o.faults.join(',')}` : ''}${o.runShare !== undefined ? ` --run-share ${o.runShare}` : ''}`;
}

/** <out>/<class>/<id>.<ext> (the input) and <id>.txt (how to reproduce, what happened). */
function writeCase(
  o: SuiteOptions,
  c: Check,
  r: ChildResult | undefined,
  input: { ext: string; text: string } | undefined,
  inputPath: string,
): void {
  const dir = path.join(o.out, c.verdict.cls);
  mkdirSync(dir, { recursive: true });
  const data = path.join(dir, 'data');
  if (!existsSync(data))
    try {
      symlinkSync(path.join(ROOT, 'scenarios', 'data'), data);
    } catch {
      /* exists */
    }
  let repro = c.repro;
  if (input) {
    const saved = path.join(dir, `${c.id}.${input.ext}`);
    writeFileSync(saved, input.text);
    if (inputPath) repro = repro.split(inputPath).join(path.relative(ROOT, saved));
  }
  c.repro = repro;
  const lines = [
    `class:      ${c.verdict.cls}`,
    `signature:  ${c.verdict.signature}`,
    `input kind: ${c.kind}`,
    `command:    ${c.command}`,
    `why:        ${c.verdict.why}`,
    `reproduce:  npm run fuzz -- --seed ${o.seed} --case ${c.index}${reproFlags(o)}`,
    `directly:   ${repro}`,
    `exit ${r?.code ?? '-'} signal ${r?.signal ?? '-'} after ${r?.ms ?? 0} ms`,
    '--- stderr (first 40 lines)',
    ...(r?.stderr ?? '').split('\n').slice(0, 40),
  ];
  writeFileSync(path.join(dir, `${c.id}.txt`), `${lines.join('\n')}\n`);
}

export interface Summary {
  checks: Check[];
  cases: number;
  seconds: number;
  /** count[family or kind][class] */
  byFamily: Record<string, Partial<Record<CaseClass, number>>>;
  byKind: Record<string, Partial<Record<CaseClass, number>>>;
  /** Distinct failures: signature → one reproducing check. */
  failures: Map<string, { check: Check; count: number }>;
}

export function summarise(checks: Check[], cases: number, seconds: number): Summary {
  const byFamily: Summary['byFamily'] = {},
    byKind: Summary['byKind'] = {};
  const failures: Summary['failures'] = new Map();
  const bump = (t: Summary['byFamily'], k: string, c: CaseClass) => {
    (t[k] ??= {})[c] = ((t[k] as Record<string, number>)[c] ?? 0) + 1;
  };
  for (const c of checks) {
    bump(byFamily, c.family === 'scenario' ? `scenario ${c.command}` : c.family === 'csv' ? 'csv estimate' : 'fault', c.verdict.cls);
    bump(byKind, c.kind, c.verdict.cls);
    if (!isFailure(c.verdict.cls)) continue;
    const f = failures.get(c.verdict.signature);
    if (f) f.count++;
    else failures.set(c.verdict.signature, { check: c, count: 1 });
  }
  return { checks, cases, seconds, byFamily, byKind, failures };
}

/** Run cases 0 … cases−1 (or `only`) until done or out of time. */
export async function runSuite(o: SuiteOptions): Promise<Summary> {
  const t0 = Date.now();
  const work = path.join(o.out, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'cases'), { recursive: true });
  try {
    symlinkSync(path.join(ROOT, 'scenarios', 'data'), path.join(work, 'cases', 'data'));
  } catch {
    /* exists */
  }
  const indices = o.only ?? Array.from({ length: o.cases }, (_, i) => i);
  const guarded = (i: number) =>
    runCase(o, i).catch((err: Error) => {
      // the harness's own bug: say so and go on (not a Stagger failure)
      process.stderr.write(`fuzz: case ${i} (seed ${o.seed}): harness error: ${err.stack}\n`);
      return [] as Check[];
    });
  const results = await pool(
    indices.map((i) => () => guarded(i)),
    o.width ?? 2,
    t0 + o.minutes * 60_000,
  );
  return summarise(results.flat(), results.length, (Date.now() - t0) / 1000);
}
