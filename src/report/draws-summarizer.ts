/**
 * The draws' distributions for the report's charts, accumulated draw by draw: the sampling
 * distribution of each estimator's overall estimate, the event study (truth against the mean estimate
 * and its spread) and the recruitment bands. Fed by the report from the draws file (draws-summary.ts)
 * and by the explorer page as draws stream in from its Web Workers: one code for both, so the page's
 * charts are the report's. No file system.
 */
import { quantileSorted } from 'simple-statistics';
import type { DrawRecord, DrawRecruitment } from '../engine/simulation.js';
import { parseEstimandId } from '../diagnosis/estimand-id.js';

export interface Band {
  lo: number;
  mid: number;
  hi: number;
}

export interface SamplingDistribution {
  point: number;
  estimator: string;
  /** Identified overall estimates, ascending. */
  estimates: number[];
  /** Mean over draws of the sample ATT, and of the population ATT (null when the run has none). */
  truth: number;
  population: number | null;
  notIdentified: number;
}

export interface EventStudy {
  point: number;
  estimator: string;
  events: number[];
  truth: (number | null)[];
  population: (number | null)[];
  /** Mean estimate and its 5 %–95 % spread across draws, per event time. */
  estimate: (Band | null)[];
}

export interface RecruitmentStats {
  point: number;
  design: string;
  draws: number;
  periods: number[];
  /** Cumulative enrolled by the end of each period: median and 90 % band over draws. */
  enrolled: Band[];
  referred: Band[];
  /** Totals over the recruitment (referred, consented, excluded, analysed, …): median and 90 % band. */
  totals: { name: string; band: Band }[];
  /** Start groups by rank (1st, 2nd, …; "never" last): size and start period, median and 90 % band. */
  groups: { label: string; size: Band; start: Band | null }[];
  /** Why recruitment stopped: reason → share of draws. */
  stops: { reason: string; share: number }[];
}

export interface DrawsSummary {
  points: number[];
  draws: number;
  sampling: SamplingDistribution[];
  eventStudies: EventStudy[];
  recruitment: RecruitmentStats[];
}

/** Up to `max` design points to show in detail: all when few, else spread evenly (first and last kept). */
export function pickPoints(indices: readonly number[], max: number): number[] {
  if (indices.length <= max) return [...indices];
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(indices[Math.round((k * (indices.length - 1)) / (max - 1))]);
  return [...out];
}

const band = (sorted: number[]): Band => ({
  lo: quantileSorted(sorted, 0.05),
  mid: quantileSorted(sorted, 0.5),
  hi: quantileSorted(sorted, 0.95),
});
const asc = (a: number, b: number) => a - b;

class Mean {
  sum = 0;
  n = 0;
  add(x: number | null): void {
    if (x === null) return;
    this.sum += x;
    this.n += 1;
  }
  get value(): number | null {
    return this.n ? this.sum / this.n : null;
  }
}

interface Cell {
  values: number[];
  sum: number;
  n: number;
  truth: Mean;
  pop: Mean;
  missing: number;
}

const newCell = (): Cell => ({ values: [], sum: 0, n: 0, truth: new Mean(), pop: new Mean(), missing: 0 });

function ordinal(k: number): string {
  const s = k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${s}`;
}

function recruitmentStats(point: number, rs: DrawRecruitment[]): RecruitmentStats | null {
  if (rs.length === 0) return null;
  const all = rs.flatMap((r) => r.periods);
  const from = Math.min(...all);
  const to = Math.max(...all);
  const periods = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const cum = (r: DrawRecruitment, col: number[]): number[] => {
    const out = new Array<number>(periods.length).fill(0);
    r.periods.forEach((p, i) => (out[p - from] += col[i]));
    for (let i = 1; i < out.length; i++) out[i] += out[i - 1];
    return out;
  };
  const across = (rows: number[][]): Band[] => periods.map((_, i) => band(rows.map((r) => r[i]).sort(asc)));
  const names = [...new Set(rs.flatMap((r) => Object.keys(r.totals)))];
  const totals = names.map((name) => ({ name, band: band(rs.map((r) => r.totals[name] ?? 0).sort(asc)) }));
  const ranks = Math.max(...rs.map((r) => r.groups.filter(([g]) => g !== 0).length));
  const groups: RecruitmentStats['groups'] = [];
  for (let k = 0; k < ranks; k++) {
    const sizes = rs.map((r) => r.groups.filter(([g]) => g !== 0)[k]?.[1] ?? 0).sort(asc);
    const starts = rs
      .map((r) => r.groups.filter(([g]) => g !== 0)[k]?.[0])
      .filter((g): g is number => g !== undefined)
      .sort(asc);
    groups.push({ label: ordinal(k + 1), size: band(sizes), start: starts.length ? band(starts) : null });
  }
  if (rs.some((r) => r.groups.some(([g]) => g === 0))) {
    groups.push({ label: 'never', size: band(rs.map((r) => r.groups.find(([g]) => g === 0)?.[1] ?? 0).sort(asc)), start: null });
  }
  const stopCounts = new Map<string, number>();
  for (const r of rs) {
    const s = r.notes.stop;
    if (s !== undefined) stopCounts.set(String(s), (stopCounts.get(String(s)) ?? 0) + 1);
  }
  return {
    point,
    design: rs[0].design,
    draws: rs.length,
    periods,
    enrolled: across(rs.map((r) => cum(r, r.enrolled))),
    referred: across(rs.map((r) => cum(r, r.referred))),
    totals,
    groups,
    stops: [...stopCounts].map(([reason, c]) => ({ reason, share: c / rs.length })).sort((a, b) => b.share - a.share),
  };
}

/** One draw as the summarizer takes it (a line of the draws file, or a worker's answer). */
export interface SummarizedDraw {
  point: number;
  draw: number;
  records: readonly Pick<DrawRecord, 'estimator' | 'estimand' | 'estimate' | 'truth' | 'popTruth' | 'outcome'>[];
  recruitment?: DrawRecruitment;
}

/**
 * @param points design point indices to summarise
 * @param maxDraws draws per point kept for distributions and recruitment bands
 * @param outcome only this outcome's records (undefined: every record, for single-outcome runs)
 */
export class DrawsSummarizer {
  private readonly want: Set<number>;
  private readonly simple = new Map<string, Cell>();
  private readonly dynamic = new Map<string, Map<number, Cell>>();
  private readonly recruitment: Map<number, DrawRecruitment[]>;
  draws = 0;

  constructor(
    private readonly points: readonly number[],
    private readonly maxDraws = 2000,
    private readonly outcome?: string,
  ) {
    this.want = new Set(points);
    this.recruitment = new Map(points.map((p) => [p, []]));
  }

  add(d: SummarizedDraw): void {
    if (!this.want.has(d.point)) return;
    if (d.point === this.points[0]) this.draws += 1;
    const keep = d.draw < this.maxDraws;
    if (d.recruitment && keep) this.recruitment.get(d.point)!.push(d.recruitment);
    for (const r of d.records) {
      if (this.outcome !== undefined && r.outcome !== this.outcome) continue;
      const id = parseEstimandId(r.estimand);
      if (id.subgroup) continue;
      let cell: Cell | undefined;
      const key = `${d.point}\0${r.estimator}`;
      if (id.type === 'simple') {
        cell = this.simple.get(key) ?? this.simple.set(key, newCell()).get(key)!;
      } else if (id.type === 'dynamic') {
        const byE = this.dynamic.get(key) ?? this.dynamic.set(key, new Map()).get(key)!;
        const e = Number(id.key);
        cell = byE.get(e) ?? byE.set(e, newCell()).get(e)!;
      } else continue;
      cell.truth.add(r.truth);
      cell.pop.add(r.popTruth);
      if (r.estimate === null) {
        cell.missing += 1;
        continue;
      }
      cell.sum += r.estimate;
      cell.n += 1;
      if (keep) cell.values.push(r.estimate);
    }
  }

  /** The summary of the draws added so far, estimators in the given order. */
  summary(estimators: readonly string[]): DrawsSummary {
    const { points } = this;
    const sampling: SamplingDistribution[] = [];
    const eventStudies: EventStudy[] = [];
    for (const p of points) {
      for (const e of estimators) {
        const key = `${p}\0${e}`;
        const s = this.simple.get(key);
        if (s) {
          sampling.push({
            point: p,
            estimator: e,
            estimates: [...s.values].sort(asc),
            truth: s.truth.value ?? NaN,
            population: s.pop.value,
            notIdentified: s.missing,
          });
        }
        const byE = this.dynamic.get(key);
        if (byE) {
          const events = [...byE.keys()].sort(asc);
          const cells = events.map((x) => byE.get(x)!);
          eventStudies.push({
            point: p,
            estimator: e,
            events,
            truth: cells.map((c) => c.truth.value),
            population: cells.map((c) => c.pop.value),
            estimate: cells.map((c) => {
              if (c.n === 0) return null;
              const v = [...c.values].sort(asc);
              return { lo: quantileSorted(v, 0.05), mid: c.sum / c.n, hi: quantileSorted(v, 0.95) };
            }),
          });
        }
      }
    }
    return {
      points: [...points],
      draws: this.draws,
      sampling,
      eventStudies,
      recruitment: points.map((p) => recruitmentStats(p, this.recruitment.get(p)!)).filter((x): x is RecruitmentStats => x !== null),
    };
  }
}
