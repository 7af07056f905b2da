/**
 * One draw of a clusters design (design.type: clusters): the design's clusters and wave starts
 * (design/clusters.ts), the people's outcomes inside them as cluster × period cells
 * (world/cluster-outcomes.ts), and the Panel every estimator sees: units = clusters (ids and cluster
 * codes their numbers 1..G), y = cell means, cellSize/cellSS for individual-level models, group = the
 * cluster's wave start (0 = never), covariates = the cluster covariates. No weights: each cluster
 * counts once, so the truths are cluster averages, which is what every estimator on cell means targets.
 */
import { clusterSample, type ClusterSample, type ClustersSpec } from './design/clusters.js';
import type { TruthOptions } from './estimands/sample-truth.js';
import { drawTruth } from './estimands/draw-truth.js';
import type { Draw, DrawOutcome, Truth } from './generate.js';
import { makePanel } from './panel/panel.js';
import { drawOf } from './draw-of.js';
import type { Rng } from './random/stream.js';
import type { ResolvedScenario } from './scenario/grid.js';
import { clusterOutcomes } from './world/cluster-outcomes.js';
import { checkFiniteOutcomes } from './world/finite-outcomes.js';
import { panelCovariates, subgroupMasks } from './world/subgroups.js';

/** The world's cluster outcomes (a parameter so tests can stand in for it). */
export type ClusterWorld = typeof clusterOutcomes;

/** The design part of a clusters draw (its streams: population, assignment, dropout). */
export function clusterDesign(s: ResolvedScenario, stream: (step: string) => Rng): ClusterSample {
  const d = s.design as ClustersSpec;
  return clusterSample(s, d, { population: stream('population'), assignment: stream('assignment'), dropout: stream('dropout') });
}

/**
 * A clusters draw of the outcome views of a design point (generate.ts targetedViews): the first view is
 * the top-level outcome. Further outcomes draw from world streams keyed by their name, so adding an
 * outcome leaves the others' numbers as they were.
 */
export function clusterDraw(
  views: readonly ResolvedScenario[],
  stream: (step: string) => Rng,
  options: TruthOptions,
  world: ClusterWorld = clusterOutcomes,
): Draw {
  const s = views[0];
  const sample = clusterDesign(s, stream);
  const periods = Float64Array.from({ length: s.periods.count }, (_, t) => s.periods.first + t);
  const covariates = panelCovariates(s.population, sample.people.covariates);
  const subgroups = subgroupMasks(s.population, sample.people.covariates, sample.people.n);
  const cluster = Float64Array.from(sample.number);
  const ids = Array.from(sample.number, String);
  const outcomes = views.map((v, j): DrawOutcome => {
    const key = (step: string) => stream(j === 0 ? step : `${step}:${v.outcome.name}`);
    const o = world({ cluster: key('cluster'), people: key('people') }, v, sample.frame, periods);
    checkFiniteOutcomes(v.outcome.name ?? '', o.y0, o.y1);
    const panel = makePanel({ periods, ids, group: sample.group, y: o.y, covariates, cluster, cellSize: o.cellSize, cellSS: o.cellSS });
    const truth: Truth = drawTruth(s.analysis.subgroups, panel, o.y0, o.y1, options, subgroups);
    return { name: v.outcome.name, panel, y0: o.y0, y1: o.y1, truth };
  });
  return drawOf(outcomes, subgroups, sample.start, sample.summary);
}
