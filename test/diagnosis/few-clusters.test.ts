/**
 * The few-cluster warning: fires when coverage is below 1 − α by more than 3 MC SEs and the design has
 * fewer than 50 clusters (Cameron & Miller 2015), and not when coverage is inside its band or the
 * clusters are many. Hand-built diagnosis rows; the MC SEs are √(c(1 − c)/S) as diagnosis computes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterCount, estimatorTypes, FEW_CLUSTERS, fewClusterNotes, type CoverageRow } from '../../src/diagnosis/few-clusters.js';

const S = 1000;
const cov = (point: number, estimator: string, c: number): CoverageRow => ({
  point,
  outcome: '',
  estimator,
  estimand: 'simple',
  target: 'sample',
  diagnosand: 'coverage',
  value: c,
  mcSe: Math.sqrt((c * (1 - c)) / S),
  n: S,
});
const scenario = {
  population: { unit: { one: 'clinic', many: 'clinics' } },
  design: { type: 'clusters', clusters: [16, 60], waves: 6 },
  analysis: {
    estimators: [
      { name: 'hh', type: 'hh' },
      { name: 'cs', type: 'did' },
      { name: 'twfe', type: 'twfe' },
    ],
  },
};
const points = [
  { index: 0, settings: { 'design.clusters': 16 } },
  { index: 1, settings: { 'design.clusters': 60 } },
];
const q = { alpha: 0.05, scenario, types: estimatorTypes(scenario) };

test('fires below the band with 16 clusters, with the figures and the family’s remedy', () => {
  // 0.95 − 0.87 = 0.08 > 3 × √(0.87·0.13/1000) = 0.032
  const notes = fewClusterNotes([cov(0, 'hh', 0.87), cov(0, 'twfe', 0.86)], points, q);
  assert.equal(notes.length, 2);
  assert.equal(
    notes[0].message,
    'hh at design.clusters = 16: coverage 0.87 (MC SE 0.0106) below 0.95 with 16 clinics: use few-cluster inference (hh inference: t, for t(G − 1) critical values, or wild: B, the wild cluster bootstrap)',
  );
  assert.match(notes[1].message, /twfe vcov: cr2/);
  assert.equal(notes[0].clusters, 16);
});

test('does not fire inside the band, with many clusters, on other rows, or in designs of people', () => {
  // 0.95 − 0.935 = 0.015 ≤ 3 × max(√(0.935·0.065/1000), √(0.95·0.05/1000)) = 0.023: inside the band.
  assert.deepEqual(fewClusterNotes([cov(0, 'hh', 0.935)], points, q), []);
  // Just outside it: 0.95 − 0.92 = 0.030 > 3 × √(0.92·0.08/1000) = 0.0257.
  assert.equal(fewClusterNotes([cov(0, 'hh', 0.92)], points, q).length, 1);
  // 60 clinics ≥ FEW_CLUSTERS: the shortfall is not the few-cluster problem.
  assert.ok(60 >= FEW_CLUSTERS);
  assert.deepEqual(fewClusterNotes([cov(1, 'hh', 0.8)], points, q), []);
  assert.deepEqual(fewClusterNotes([{ ...cov(0, 'hh', 0.8), diagnosand: 'power' }], points, q), []);
  assert.deepEqual(fewClusterNotes([{ ...cov(0, 'hh', 0.8), target: 'population' }], points, q), []);
  const people = { design: { type: 'waitlist' } };
  assert.deepEqual(fewClusterNotes([cov(0, 'cs', 0.8)], [{ index: 0, settings: {} }], { ...q, scenario: people }), []);
});

test('the clusters of an adoption design are its units (population.size), named by population.unit', () => {
  const adoption = { population: { size: 30, unit: { one: 'municipality', many: 'municipalities' } }, design: { type: 'adoption' } };
  assert.deepEqual(clusterCount(adoption, {}), { count: 30, noun: 'municipalities' });
  const [n] = fewClusterNotes([cov(0, 'cs', 0.85)], [{ index: 0, settings: {} }], {
    alpha: 0.05,
    scenario: adoption,
    types: { cs: 'did' },
  });
  assert.match(n.message, /^cs: coverage 0\.85 \(MC SE 0\.0113\) below 0\.95 with 30 municipalities: .*Webb weights/);
  assert.equal(clusterCount({ design: { type: 'waitlist' } }, {}), null);
});
