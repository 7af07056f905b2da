/**
 * The draws file summarised for the report's charts (report/draws-summarizer.ts does the summing; the
 * explorer page feeds the same summarizer as its draws stream in).
 */
import type { DrawsMeta } from '../engine/draws-file.js';
import { scanDrawsFile } from '../engine/draws-file.js';
import { DrawsSummarizer, type DrawsSummary } from './draws-summarizer.js';

export {
  pickPoints,
  type Band,
  type DrawsSummary,
  type EventStudy,
  type RecruitmentStats,
  type SamplingDistribution,
} from './draws-summarizer.js';

/**
 * One pass over the draws file for the points shown in detail.
 * @param points design point indices to summarise
 * @param maxDraws draws per point kept for distributions and recruitment bands
 * @param outcome only this outcome's records (undefined: every record, for single-outcome runs)
 */
export function summarizeDraws(path: string, meta: DrawsMeta, points: readonly number[], maxDraws = 2000, outcome?: string): DrawsSummary {
  const s = new DrawsSummarizer(points, maxDraws, outcome);
  scanDrawsFile(path, (d) => s.add(d));
  return s.summary(meta.estimators);
}
