// One generated draw: the truth equals the mean of Y(1) − Y(0) over its cells, the observed outcome is
// Y(1) for treated groups, and a draw depends only on (seed, draw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, generateDraw, loadScenario, type Draw } from '../../src/generate.js';

const bundled = (f: string) => expandGrid(loadScenario(new URL(`../../../scenarios/${f}`, import.meta.url).pathname))[0];
const point = bundled('r1-isf-waitlist.yaml');

/** Every `step`-th truth cell equals the mean of Y(1) − Y(0) over its group in its period. */
function checkTruthCells(d: Draw, step: number, what: string) {
  const p = d.panel;
  for (const c of d.truth.estimate.att_gt.filter((_, k) => k % step === 0)) {
    const t = p.periods.indexOf(c.time);
    let s = 0;
    let m = 0;
    for (let i = 0; i < p.nUnits; i++)
      if (p.group[i] === c.group) {
        s += d.y1[t * p.nUnits + i] - d.y0[t * p.nUnits + i];
        m++;
      }
    assert.ok(Math.abs(c.att! - s / m) < 1e-9, `${what}: cell (${c.group}, ${c.time})`);
  }
}

/** Observed y is Y(0) for never-treated units and Y(1) for the rest, at every `step`-th cell. */
function checkObserved(d: Draw, step: number, what: string) {
  const p = d.panel;
  for (let k = 0; k < p.y.length; k += step) {
    const i = k % p.nUnits;
    assert.equal(p.y[k], p.group[i] === 0 ? d.y0[k] : d.y1[k], `${what}: cell ${k}`);
  }
}

test('truth cells are means of Y(1) − Y(0) over the group in the period', () => {
  const d = generateDraw(point, 5, 2);
  checkTruthCells(d, 37, 'R1');
  checkObserved(d, 101, 'R1');
});

test('draw d does not depend on other draws; different draws differ', () => {
  const a = generateDraw(point, 5, 9);
  generateDraw(point, 5, 1);
  const b = generateDraw(point, 5, 9);
  assert.deepEqual(a.panel.y, b.panel.y);
  assert.notDeepEqual(generateDraw(point, 5, 8).panel.y.slice(0, 100), a.panel.y.slice(0, 100));
});

test('every bundled design: observed y is Y(0) for never-treated units and Y(1) for the rest; truth cells are means of Y(1) − Y(0)', () => {
  for (const f of ['r2-malmo-quota.yaml', 'r3-municipal-adoption.yaml', 'r4-matched-followup.yaml', 'r5-survey-waves.yaml']) {
    const d = generateDraw(bundled(f), 2, 1);
    checkObserved(d, 7, f);
    checkTruthCells(d, 41, f);
  }
});
