/**
 * `stagger mde` on a whole-number axis, as the command prints it: the whole number first, then the
 * interpolated crossing with its MC uncertainty; and a fraction on such an axis refused before any draw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { wholeLines } from '../../src/cli/mde.js';
import { wholeNumberAnswer, type MdeResult } from '../../src/diagnosis/power-curve.js';
import { CLI, tempDir } from '../engine/helpers.js';
import { mdeLines } from '../../src/report/report.js';

/** A hand-built curve over clusters: 0.74 at 20, 0.83 at 24; the crossing interpolated at 21.9. */
const result = (extra: { value: number; power: number; mcSe: number }[] = []): MdeResult => {
  const curve = [
    { value: 16, power: 0.6, mcSe: 0.022 },
    { value: 20, power: 0.74, mcSe: 0.02 },
    { value: 24, power: 0.83, mcSe: 0.017 },
    ...extra,
  ].sort((a, b) => a.value - b.value);
  const r: MdeResult = {
    value: 21.9,
    status: 'found',
    target: 0.8,
    curve,
    mcSe: 0.8,
    interval: [20.4, 23.6],
    notReached: 0,
    replicates: 1000,
  };
  return { ...r, whole: wholeNumberAnswer(r)! };
};

test('the whole number leads, the interpolated crossing follows for information', () => {
  assert.deepEqual(wholeLines('design.clusters', 0.8, result()), [
    '  design.clusters for 80 % power: 22, the smallest whole number with power ≥ 0.8 (interpolated, not simulated itself; a larger --refine adds it)\n',
    '  interpolated crossing 21.9 (MC SE 0.8, 95 % MC interval 20.4–23.6); the whole-number answer lies in 21–24 by that interval\n',
  ]);
  const run = result([
    { value: 21, power: 0.79, mcSe: 0.018 },
    { value: 22, power: 0.805, mcSe: 0.018 },
  ]);
  assert.equal(run.whole!.bracketed, true);
  assert.match(
    wholeLines('design.clusters', 0.8, run)[0],
    /: 22, the smallest whole number with power ≥ 0\.8 \(simulated power there 0\.805 ± 0\.018, and 0\.79 at 21\)/,
  );
});

test('fractional --values on a whole-number axis are refused before the run', () => {
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'mde',
      'scenarios/r3-municipal-adoption.yaml',
      '--over',
      'population.size',
      '--values',
      '100,150.5',
      '--draws',
      '5',
      '--seed',
      '1',
      '--out',
      tempDir('mde-frac'),
      '--quiet',
    ],
    { encoding: 'utf8' },
  );
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--values 150\.5: population\.size takes whole numbers only .* use whole values such as 150, 151/);
});

test('the report’s MDE line leads with the whole number too', () => {
  const r = result();
  const [line] = mdeLines({
    axis: 'design.clusters',
    estimator: 'hh',
    estimand: 'simple',
    draws: 500,
    seed: '1',
    curves: [{ group: { fixed: {}, xs: [16, 20, 24], points: [] }, result: r }],
  });
  assert.match(
    line,
    /^For 80 % power of the overall ATT \(estimand simple\), estimator hh: design\.clusters = 22, the smallest whole number with power ≥ 80 % \(interpolated, not simulated itself\); interpolated crossing 21\.9/,
  );
});
