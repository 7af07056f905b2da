/**
 * A run as the explorer page sees it: draws arrive from its Web Workers in any order, and are taken in
 * draw order into the same accumulators `stagger run` feeds (diagnosis/diagnosis.ts for power, bias,
 * RMSE and coverage with their Monte Carlo SEs; report/draws-summarizer.ts for the event study, the
 * sampling distribution and recruitment). So after N draws the page's figures are `stagger run`'s for
 * the same scenario, seed and N, bit for bit. No DOM, no workers: tested in Node.
 */
import type { AnalyticSpec } from '../diagnosis/analytic-rows.js';
import { Diagnosis, type DesignPointInfo, type DiagnosisRow } from '../diagnosis/diagnosis.js';
import type { DrawOutput } from '../engine/simulation.js';
import { unitOf } from '../engine/unit.js';
import { DrawsSummarizer, type DrawsSummary } from '../report/draws-summarizer.js';

/** What a worker says of its Simulation once it has built it (all plain data, posted across threads). */
export interface RunMeta {
  points: DesignPointInfo[];
  estimators: string[];
  outcomes: string[];
  alpha: number;
  analytic: AnalyticSpec[];
}

export class LiveRun {
  private readonly diagnosis: Diagnosis;
  private readonly summarizer: DrawsSummarizer;
  private readonly waiting = new Map<number, DrawOutput>();
  /** Units taken in order so far (unit u = draw ⌊u / points⌋ of point u mod points, engine/unit.ts). */
  private taken = 0;

  /** @param maxDraws draws kept for distributions (the report's own limit) */
  constructor(
    readonly meta: RunMeta,
    maxDraws = 2000,
  ) {
    this.diagnosis = new Diagnosis(meta.alpha, meta.estimators, meta.outcomes, meta.analytic);
    // The first outcome's charts (the report shows the first outcome's too).
    this.summarizer = new DrawsSummarizer([0], maxDraws, meta.outcomes.length > 1 ? meta.outcomes[0] : undefined);
  }

  /** One unit's output, in any order; those now contiguous from the start are taken. Returns how many were taken. */
  add(unit: number, out: DrawOutput): number {
    if (unit < this.taken || this.waiting.has(unit)) throw new Error(`unit ${unit} arrived twice`);
    this.waiting.set(unit, out);
    let n = 0;
    for (let o = this.waiting.get(this.taken); o !== undefined; o = this.waiting.get(this.taken)) {
      this.waiting.delete(this.taken);
      const { point, draw } = unitOf(this.taken, this.meta.points.length);
      this.diagnosis.pushDraw(point, o.records);
      this.summarizer.add({ point, draw, records: o.records, recruitment: o.recruitment });
      this.taken += 1;
      n += 1;
    }
    return n;
  }

  /** Units taken (in order); with one design point, the draws. */
  get units(): number {
    return this.taken;
  }

  /** Draws of every point complete. */
  get draws(): number {
    return Math.floor(this.taken / this.meta.points.length);
  }

  rows(): DiagnosisRow[] {
    return this.diagnosis.rows();
  }

  summary(): DrawsSummary {
    return this.summarizer.summary(this.meta.estimators);
  }
}
