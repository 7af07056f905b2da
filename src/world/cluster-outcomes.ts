/**
 * Outcomes of the people inside clusters (design.type: clusters): the contract between the cluster
 * design (design/clusters.ts) and the cluster world. The design decides which clusters there are,
 * when each starts and how many people each measures per period; this module draws the people's
 * potential outcomes and returns them as cluster × period cells, which is the panel every estimator
 * sees (units = clusters).
 *
 * CONTRACT (issue 15; implementation pending in the cl-world branch):
 *   clusterOutcomes(rngs, s, frame, periods) → ClusterOutcomes
 */
import type { Rng } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';

/** What the cluster design hands the world. */
export interface ClusterFrame {
  /** Number of clusters in the panel (the Panel's units), G. */
  G: number;
  /** Each cluster's own start period (Infinity: never starts). */
  start: Float64Array;
  /** Start-group rank per cluster (0 = earliest wave, −1 = never), for effect.by_group. */
  rank: Int32Array;
  /** People measured per cluster and period (≥ 1), G values. */
  size: Int32Array;
  /** Cluster-level covariates (population.covariates drawn once per cluster), G values each. */
  covariates: Record<string, Float64Array>;
  /** The same people followed (cohort) or new people each period (cross_section). */
  sampling: 'cohort' | 'cross_section';
  /** cohort: share of a cluster's people replaced by newcomers each period (0: nobody leaves). */
  churn: number;
}

/** Cluster × period cells, each periods × G row-major like Panel.y (y[t * G + j]). */
export interface ClusterOutcomes {
  /** Cell means of Y(0), Y(1) and the observed Y over the people measured in the cell. */
  y0: Float64Array;
  y1: Float64Array;
  y: Float64Array;
  /** People measured in the cell. */
  cellSize: Float64Array;
  /** Within-cell sum of squared deviations of the observed Y from the cell mean (individual-level models). */
  cellSS: Float64Array;
}

export interface ClusterStreams {
  /** Cluster-level draws (cluster and cluster-period random effects, effect heterogeneity). */
  cluster: Rng;
  /** People: per-cluster sub-streams seeded in cluster order from it (common random numbers as G grows). */
  people: Rng;
}

export function clusterOutcomes(
  _rngs: ClusterStreams,
  _s: ResolvedScenario,
  _frame: ClusterFrame,
  _periods: Float64Array,
): ClusterOutcomes {
  throw new Error('clusterOutcomes: not implemented yet (issue 15, cl-world branch)');
}
