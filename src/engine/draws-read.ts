/**
 * Reading a run's stored draws back without re-simulating (DeclareDesign's habit): every record as a
 * flat row with the design point's settings, the draws' recruitment totals, and the diagnosis again
 * from the stored draws (e.g. at another α). Streams the draws file: memory flat in the number of draws.
 */
import { join } from 'node:path';
import { Diagnosis, type DiagnosisRow } from '../diagnosis/diagnosis.js';
import { parseEstimandId } from '../diagnosis/estimand-id.js';
import { criticalValue } from '../diagnosis/normal.js';
import { pnorm } from '../stats/normal.js';
import { axisNames, csvField, csvNumber } from '../diagnosis/tidy.js';
import { scanDrawsFile, type DecodedDraw, type DrawsMeta } from './draws-file.js';
import type { KeptEventStudy } from './simulation.js';
import { FILES } from './outputs.js';
import { checkStore } from './store-check.js';
import { StoreError } from './store-errors.js';

/** The draws file of a run directory (or the file itself). */
export function drawsPath(dirOrFile: string): string {
  return dirOrFile.endsWith(FILES.draws) ? dirOrFile : join(dirOrFile, FILES.draws);
}

/**
 * Every draw of a run, in file order, once the store is checked whole (store-check.ts): a damaged or
 * incomplete draws file is an error saying which draws and how to recover, never a smaller run.
 * @throws StoreError when the store is missing, damaged, incomplete or foreign
 */
export function eachDraw(dir: string, onDraw: (d: DecodedDraw, meta: DrawsMeta) => void): DrawsMeta {
  const { path, meta } = checkStore(dir);
  const scan = scanDrawsFile(path, (d) => onDraw(d, meta));
  if (scan.truncatedTail)
    throw new StoreError(`${path}: the file changed while it was read (bytes from ${scan.validBytes} on); is a run still writing it?`);
  return meta;
}

/** Mean of each recruitment total (analysed, referred, …) per design point, over the draws that record one. */
export function recruitmentMeans(dir: string): Map<number, Record<string, number>> {
  const sums = new Map<number, { n: number; s: Record<string, number> }>();
  eachDraw(dir, (d) => {
    if (!d.recruitment) return;
    const a = sums.get(d.point) ?? sums.set(d.point, { n: 0, s: {} }).get(d.point)!;
    a.n += 1;
    for (const [k, v] of Object.entries(d.recruitment.totals)) a.s[k] = (a.s[k] ?? 0) + v;
  });
  return new Map([...sums].map(([p, a]) => [p, Object.fromEntries(Object.entries(a.s).map(([k, v]) => [k, v / a.n]))]));
}

/**
 * The diagnosis recomputed from stored draws, at the run's α or another one (power, coverage and the
 * diagnosands among significant draws depend on it; bias, RMSE and the SDs do not).
 */
export function rediagnose(dir: string, alpha?: number): { meta: DrawsMeta; rows: DiagnosisRow[]; draws: number } {
  let diag: Diagnosis | null = null;
  let draws = 0;
  const meta = eachDraw(dir, (d, m) => {
    diag ??= new Diagnosis(alpha ?? m.alpha, m.estimators, m.outcomes, m.analytic);
    if (d.point === m.points[0].index) draws += 1;
    diag.pushDraw(d.point, d.records);
  });
  return { meta: { ...meta, alpha: alpha ?? meta.alpha }, rows: (diag as Diagnosis | null)?.rows() ?? [], draws };
}

/**
 * Mean and MC SE (sd/√S) of estimate(a) − estimate(b) over the draws of one point where both are
 * identified: two estimators on the same panels, so the difference is far more precise than the two
 * biases' SEs suggest.
 */
export function pairedDifference(
  dir: string,
  point: number,
  estimand: string,
  a: string,
  b: string,
): { mean: number; mcSe: number; n: number } {
  let n = 0;
  let s = 0;
  let s2 = 0;
  eachDraw(dir, (d) => {
    if (d.point !== point) return;
    const ea = d.records.find((r) => r.estimator === a && r.estimand === estimand)?.estimate;
    const eb = d.records.find((r) => r.estimator === b && r.estimand === estimand)?.estimate;
    if (ea === null || ea === undefined || eb === null || eb === undefined) return;
    const x = ea - eb;
    n += 1;
    s += x;
    s2 += x * x;
  });
  const mean = s / n;
  return { mean, mcSe: Math.sqrt(Math.max(0, s2 / n - mean * mean) / n), n };
}

/** Columns of `stagger draws --csv`: one row per draw × outcome × estimator × estimand. */
export function drawsCsvHeader(meta: DrawsMeta): string[] {
  return [
    'point',
    ...axisNames(meta.points),
    'draw',
    'outcome',
    'estimator',
    'estimand',
    'key',
    'subgroup',
    'estimate',
    'se',
    'truth',
    'pop_truth',
    'p',
    'ci_low',
    'ci_high',
    'inference',
    'reason',
  ];
}

/**
 * A run's draws as tidy CSV lines (header first), written through `write` a draw at a time, so any
 * number of draws streams in flat memory. Not identified estimates are NA with their reason. p and the
 * interval are the estimator's own where the record has them (inference `own`), else the Wald test and
 * interval at the run's α (inference `wald`), as diagnosis uses them.
 */
export function writeDrawsCsv(dir: string, write: (chunk: string) => void): { draws: number; rows: number } {
  let rows = 0;
  let draws = 0;
  let head: { axes: string[]; byIndex: Map<number, Record<string, number | string>>; z: number } | null = null;
  eachDraw(dir, (d, meta) => {
    if (!head) {
      head = {
        axes: axisNames(meta.points),
        byIndex: new Map(meta.points.map((p) => [p.index, p.settings])),
        z: criticalValue(meta.alpha),
      };
      write(`${drawsCsvHeader(meta).join(',')}\n`);
    }
    const s = head.byIndex.get(d.point) ?? {};
    const lead = [String(d.point), ...head.axes.map((a) => (a in s ? csvField(String(s[a])) : 'NA')), String(d.draw)].join(',');
    let out = '';
    for (const r of d.records) {
      const e = parseEstimandId(r.estimand);
      const ok = r.estimate !== null && r.se !== null;
      const own = ok && ((r.p ?? null) !== null || (r.ciLow ?? null) !== null);
      const wald = ok && !own;
      const p = !ok ? null : own ? (r.p ?? null) : r.se! > 0 ? 2 * pnorm(-Math.abs(r.estimate! / r.se!)) : null;
      const lo = !ok ? null : wald ? r.estimate! - head.z * r.se! : (r.ciLow ?? null);
      const hi = !ok ? null : wald ? r.estimate! + head.z * r.se! : (r.ciHigh ?? null);
      out += `${lead},${csvField(r.outcome ?? '')},${csvField(r.estimator)},${csvField(e.type)},${csvField(e.key)},${csvField(e.subgroup)},${num(r.estimate)},${num(r.se)},${num(r.truth)},${num(r.popTruth)},${num(p)},${num(lo)},${num(hi)},${ok ? (own ? 'own' : 'wald') : 'NA'},${csvField(r.reason ?? '')}\n`;
    }
    rows += d.records.length;
    draws += 1;
    write(out);
  });
  return { draws, rows };
}

/** Each draw's recruitment totals as CSV (point, settings, draw, then one column per total). */
export function writeRecruitmentCsv(dir: string, write: (chunk: string) => void): number {
  let cols: string[] | null = null;
  let axes: string[] = [];
  let byIndex = new Map<number, Record<string, number | string>>();
  let n = 0;
  eachDraw(dir, (d, meta) => {
    if (!d.recruitment) return;
    if (!cols) {
      cols = Object.keys(d.recruitment.totals);
      axes = axisNames(meta.points);
      byIndex = new Map(meta.points.map((p) => [p.index, p.settings]));
      write(`${['point', ...axes, 'draw', ...cols].map(csvField).join(',')}\n`);
    }
    const s = byIndex.get(d.point) ?? {};
    const t = d.recruitment.totals;
    write(
      `${[String(d.point), ...axes.map((a) => (a in s ? csvField(String(s[a])) : 'NA')), String(d.draw), ...cols.map((c) => num(t[c] ?? null))].join(',')}\n`,
    );
    n += 1;
  });
  return n;
}

const num = (x: number | null): string => (x === null ? 'NA' : csvNumber(x));

/**
 * The power a design point would have if its estimation errors were those of `point`'s draws scaled
 * by k (e.g. k = se1/se0 for a smaller sample) around a truth θ1: the share of draws with
 * |θ1 + k·(θ̂ − θ)| > z·k·se. The empirical errors keep their skew and the SEs their spread, which the
 * normal formula (predictedPower) ignores; MC SE √(p(1 − p)/S).
 */
export function rescaledPower(
  dir: string,
  q: { point: number; estimator: string; estimand: string; theta: number; k: number; z: number },
): { value: number; mcSe: number; n: number } {
  let n = 0;
  let hits = 0;
  eachDraw(dir, (d) => {
    if (d.point !== q.point) return;
    const r = d.records.find((x) => x.estimator === q.estimator && x.estimand === q.estimand);
    if (!r) return;
    n += 1;
    if (r.estimate === null || r.se === null || r.truth === null) return;
    if (Math.abs(q.theta + q.k * (r.estimate - r.truth)) > q.z * q.k * r.se) hits += 1;
  });
  const p = hits / n;
  return { value: p, mcSe: Math.sqrt((p * (1 - p)) / n), n };
}

/**
 * The event studies a run kept (analysis.keep: covariance), draw by draw in file order: what
 * post-hoc methods read (e.g. eventStudyFromDynamic's inputs: keys, betahat, se, vcov).
 */
export function keptEventStudies(dir: string): { point: number; draw: number; event_studies: KeptEventStudy[] }[] {
  const out: { point: number; draw: number; event_studies: KeptEventStudy[] }[] = [];
  scanDrawsFile(join(dir, 'draws'), (d) => {
    if (d.recruitment?.event_studies) out.push({ point: d.point, draw: d.draw, event_studies: d.recruitment.event_studies });
  });
  return out;
}
