/**
 * CR2 + Satterthwaite against clubSandwich 0.5.8, CR1 with t(G − 1), and the restricted wild cluster
 * bootstrap by full enumeration against a hand-written R enumeration (test/fixtures/few-cluster/
 * make-reference.R → reference.json; R and package versions recorded there).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { makePanel } from '../../../src/panel/panel.js';
import { seeded } from '../../../src/random/stream.js';
import { contrastInference, DEFAULT_FEW_CLUSTER } from '../../../src/estimators/few-cluster/inference.js';
import { twoWayDesign } from '../../../src/estimators/few-cluster/two-way-design.js';
import { wildClusterBootstrap } from '../../../src/estimators/few-cluster/wild-cluster.js';

interface Row {
  id: number;
  period: number;
  first_treat: number;
  cluster: number;
  x: number;
  y: number;
}
interface Case {
  name: string;
  n: number;
  T: number;
  clusters: number;
  panel: Row[];
  cr2: { coef: string; beta: number; se: number; df: number; p: number }[];
  cr1: { beta: number; se: number; df: number; p: number };
  wild?: { p0: number; p_half: number; enumerated: number; ci95?: [number, number] };
}
const ref = JSON.parse(readFileSync(new URL('../../../../test/fixtures/few-cluster/reference.json', import.meta.url), 'utf8')) as {
  cases: Record<string, Case>;
};

function design(c: Case) {
  const n = c.n,
    T = c.T;
  const y = new Float64Array(n * T),
    x = new Float64Array(n * T),
    group = new Float64Array(n),
    cl = new Int32Array(n);
  for (const r of c.panel) {
    y[(r.period - 1) * n + r.id - 1] = r.y;
    x[(r.period - 1) * n + r.id - 1] = r.x;
    group[r.id - 1] = r.first_treat;
    cl[r.id - 1] = r.cluster;
  }
  const panel = makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y });
  const cols: ((i: number, t: number) => number)[] = [(i, t) => (group[i] > 0 && t + 1 >= group[i] ? 1 : 0)];
  if (c.cr2.length > 1) cols.push((i, t) => x[t * n + i]);
  const units = Array.from({ length: n }, (_, i) => i);
  return twoWayDesign(panel, cols, units, cl)!;
}

const rel = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `${what}: got ${got}, R gives ${want}`);

describe('few-cluster parity with R', () => {
  for (const c of Object.values(ref.cases)) {
    it(`${c.name}: CR2 SE (1e-6 relative) and Satterthwaite df (1e-4) as clubSandwich, CR1 with G − 1`, () => {
      const fit = design(c);
      const k = fit.k;
      c.cr2.forEach((r, j) => {
        const e = Float64Array.from({ length: k }, (_, a) => (a === j ? 1 : 0));
        const [got] = contrastInference(seeded('x'), fit, [e], { ...DEFAULT_FEW_CLUSTER, vcov: 'cr2', df: 'satterthwaite' });
        rel(fit.beta[j], r.beta, 1e-9, `${r.coef} beta`);
        rel(got.se!, r.se, 1e-6, `${r.coef} CR2 se`);
        assert.ok(Math.abs(got.df - r.df) < 1e-4, `${r.coef} df: got ${got.df}, clubSandwich ${r.df}`);
        rel(got.p!, r.p, 1e-5, `${r.coef} p`);
      });
      const [g1] = contrastInference(seeded('x'), fit, [Float64Array.of(1, ...Array(k - 1).fill(0))], {
        ...DEFAULT_FEW_CLUSTER,
        df: 'cluster',
      });
      rel(g1.se!, c.cr1.se, 1e-9, 'CR1 se');
      assert.equal(g1.df, c.cr1.df);
      rel(g1.p!, c.cr1.p, 1e-8, 'CR1 t(G-1) p');
    });
    if (c.wild) {
      const w = c.wild;
      it(`${c.name}: WCR full enumeration (${w.enumerated} sign vectors) p-values${w.ci95 ? ' and interval' : ''} as the R enumeration`, () => {
        const fit = design(c);
        const o = { j: 0, draws: w.enumerated, weights: 'rademacher' as const, kFit: fit.kFit };
        const r0 = wildClusterBootstrap(seeded('unused'), fit, { ...o, beta0: 0 });
        assert.ok(r0.enumerated);
        assert.equal(r0.draws, w.enumerated);
        assert.equal(r0.p, w.p0);
        const rh = wildClusterBootstrap(seeded('unused'), fit, { ...o, beta0: 0.5 * c.cr1.beta });
        assert.equal(rh.p, w.p_half);
        if (w.ci95) {
          rel(r0.ci![0], w.ci95[0], 1e-7, 'ci low');
          rel(r0.ci![1], w.ci95[1], 1e-7, 'ci high');
        }
      });
    }
  }
});
