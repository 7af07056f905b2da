/**
 * The few-cluster warning: an estimator whose interval covers the truth clearly less often than its
 * nominal 1 − α, in a design with few clusters, should use few-cluster inference. Cluster-robust and
 * model-based SEs are biased down and normal critical values too small when clusters are few; there is
 * no sharp line, but "depending on the situation 'few' may range from less than 20 to less than 50
 * clusters in the balanced case" (Cameron & Miller 2015, J. Human Resources 50(2), sec. VI), and
 * with unequal cluster sizes over-rejection persists at 50 (MacKinnon & Webb 2017, J. Applied
 * Econometrics 32(2)). Hence FEW_CLUSTERS = 50: below it a coverage shortfall is said to be the
 * few-cluster problem, with the remedies this package has. Pure functions on diagnosis rows.
 */
import type { DesignPointInfo } from './diagnosis.js';
import { fmt } from './summary.js';

/** Fewer clusters than this count as few (Cameron & Miller 2015; MacKinnon & Webb 2017). */
export const FEW_CLUSTERS = 50;
/** Coverage is below its band when nominal − coverage exceeds this many Monte Carlo SEs. */
export const BAND_SES = 3;

/** What the design clusters on, from the scenario (as written or parsed) and a design point's settings. */
export interface ClusterCount {
  count: number;
  /** The clusters in words, e.g. clinics, municipalities. */
  noun: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * The number of clusters the estimators cluster on at a design point: `design.clusters` in a
 * clusters design (the panel's units are the clusters); `population.size` in an adoption design (its
 * units are aggregates, municipalities, and the estimators cluster on the unit); null otherwise (the
 * units are people, by the hundred). A grid axis takes the point's own value.
 */
export function clusterCount(scenario: unknown, settings: Record<string, number | string>): ClusterCount | null {
  if (!isObj(scenario) || !isObj(scenario.design)) return null;
  const pop = isObj(scenario.population) ? scenario.population : {};
  const unit = isObj(pop.unit) && typeof pop.unit.many === 'string' ? pop.unit.many : null;
  const pick = (path: string, v: unknown): number | null => {
    const x = settings[path] ?? v;
    return typeof x === 'number' && Number.isFinite(x) ? x : null;
  };
  if (scenario.design.type === 'clusters') {
    const n = pick('design.clusters', scenario.design.clusters);
    return n === null ? null : { count: n, noun: unit ?? 'clusters' };
  }
  if (scenario.design.type === 'adoption') {
    const n = pick('population.size', pop.size);
    return n === null ? null : { count: n, noun: unit ?? 'units' };
  }
  return null;
}

/** The few-cluster remedies of an estimator family, as its options read in a scenario. */
export function fewClusterRemedy(type: string | undefined): string {
  switch (type) {
    case 'hh':
      return 'hh inference: t, for t(G − 1) critical values, or wild: B, the wild cluster bootstrap';
    case 'twfe':
      return 'twfe vcov: cr2 with Satterthwaite df, or the wild cluster bootstrap';
    case 'did':
      return 'did: the wild cluster bootstrap with Webb weights';
    default:
      return 'CR2 with Satterthwaite df, t(G − 1) critical values, or the wild cluster bootstrap';
  }
}

export interface FewClusterNote {
  point: number;
  outcome: string;
  estimator: string;
  estimand: string;
  coverage: number;
  mcSe: number;
  nominal: number;
  clusters: number;
  message: string;
}

/** What a note reads of a diagnosis row (diagnosis.ts DiagnosisRow, or diagnosis.json's with mc_se renamed). */
export interface CoverageRow {
  point: number;
  outcome?: string;
  estimator: string;
  estimand: string;
  target: string | null;
  diagnosand: string;
  value: number | null;
  mcSe: number | null;
  n: number;
}

export interface FewClusterQuery {
  alpha: number;
  /** The scenario (parsed or as written): design type, clusters, population.unit. */
  scenario: unknown;
  /** Estimator name → family (hh, twfe, did, …), for the remedy. */
  types: Record<string, string>;
  /** Which estimand's coverage (default simple, the overall ATT). */
  estimand?: string;
  threshold?: number;
}

/**
 * One note per design point × outcome × estimator whose coverage of `estimand` (against the draw's
 * sample truth) is below 1 − α by more than BAND_SES Monte Carlo SEs while the design has fewer than
 * `threshold` clusters. The SE of the band is the larger of the row's own √(c(1 − c)/n) and the
 * nominal's √((1 − α)α/n), so a coverage of exactly 0 or 1 in a short run does not fire on nothing.
 */
export function fewClusterNotes(rows: readonly CoverageRow[], points: readonly DesignPointInfo[], q: FewClusterQuery): FewClusterNote[] {
  const estimand = q.estimand ?? 'simple';
  const threshold = q.threshold ?? FEW_CLUSTERS;
  const nominal = 1 - q.alpha;
  const byPoint = new Map(points.map((p) => [p.index, p]));
  const several = points.length > 1;
  const out: FewClusterNote[] = [];
  for (const r of rows) {
    if (r.diagnosand !== 'coverage' || r.target !== 'sample' || r.estimand !== estimand || r.n <= 0) continue;
    if (r.value === null || r.mcSe === null) continue;
    const value = r.value;
    const mcSe = r.mcSe;
    const p = byPoint.get(r.point);
    const g = clusterCount(q.scenario, p?.settings ?? {});
    if (!g || g.count >= threshold) continue;
    const se = Math.max(mcSe, Math.sqrt((nominal * (1 - nominal)) / r.n));
    if (nominal - value <= BAND_SES * se) continue;
    const where =
      several && p
        ? ` at ${
            Object.entries(p.settings)
              .map(([k, v]) => `${k} = ${v}`)
              .join(', ') || `point ${r.point}`
          }`
        : '';
    const of = r.outcome ? ` of ${r.outcome}` : '';
    out.push({
      point: r.point,
      outcome: r.outcome ?? '',
      estimator: r.estimator,
      estimand,
      coverage: value,
      mcSe,
      nominal,
      clusters: g.count,
      message:
        `${r.estimator}${of}${where}: coverage ${fmt(value)} (MC SE ${fmt(mcSe)}) below ${fmt(nominal)} with ${g.count} ${g.noun}: ` +
        `use few-cluster inference (${fewClusterRemedy(q.types[r.estimator])})`,
    });
  }
  return out;
}

/** Estimator name → family, from a scenario's analysis block (as written or parsed). */
export function estimatorTypes(scenario: unknown): Record<string, string> {
  const a = isObj(scenario) && isObj(scenario.analysis) ? scenario.analysis : {};
  const list = Array.isArray(a.estimators) ? a.estimators.filter(isObj) : [];
  return Object.fromEntries(list.filter((e) => typeof e.name === 'string').map((e) => [String(e.name), String(e.type ?? '')]));
}
