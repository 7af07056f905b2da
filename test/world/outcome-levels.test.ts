// Several outcomes in the generator: each outcome's numbers come from its own streams, so adding an
// outcome leaves the others' draws byte for byte; the outcomes' unit levels have the stated latent
// correlations (with each other and with covariates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { expandGrid, generateDraw, parseScenario } from '../../src/generate.js';
import { drawPeople } from '../../src/world/covariates.js';
import { outcomeLevels } from '../../src/world/outcome-levels.js';
import { seeded } from '../../src/random/stream.js';

const SMALL = new URL('../../../test/engine/fixtures/small-outcomes.yaml', import.meta.url).pathname;
const text = readFileSync(SMALL, 'utf8');
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function point(edit: (raw: any) => void = () => {}) {
  const raw = parse(text);
  edit(raw);
  return expandGrid(parseScenario(stringify(raw), 'edited.yaml'))[0];
}

test('adding outcomes leaves the first outcome and the people byte-identical (and the single form equals a list of one)', () => {
  const one = point((r) => {
    r.outcomes = r.outcomes.slice(0, 1);
    r.population.correlations = r.population.correlations.filter((c: { between: string[] }) =>
      c.between.every((n) => n === 'y' || n === 'woman'),
    );
  });
  const single = point((r) => {
    const { effect, ...o } = r.outcomes[0];
    r.outcome = o;
    r.effect = effect;
    delete r.outcomes;
    r.population.correlations = [];
  });
  const three = point();
  for (const draw of [0, 5]) {
    const a = generateDraw(one, 7, draw);
    const b = generateDraw(three, 7, draw);
    const c = generateDraw(single, 7, draw);
    assert.equal(b.outcomes.length, 3);
    assert.ok(bytes(a.panel.y).equals(bytes(b.panel.y)), 'first outcome y');
    assert.ok(bytes(a.y0).equals(bytes(b.y0)) && bytes(a.y1).equals(bytes(b.y1)), 'first outcome Y(0), Y(1)');
    assert.ok(bytes(a.y0).equals(bytes(c.y0)), 'list of one = single form');
    assert.ok(bytes(a.panel.covariates.woman).equals(bytes(b.panel.covariates.woman)), 'people');
    assert.deepEqual(b.outcomes[0].truth.estimate.aggregates, a.truth.estimate.aggregates);
    // The second outcome's numbers do not depend on the third being there.
    const two = generateDraw(
      point((r) => {
        r.outcomes = r.outcomes.slice(0, 2);
        r.population.correlations = r.population.correlations.filter((c: { between: string[] }) => !c.between.includes('b'));
      }),
      7,
      draw,
    );
    assert.ok(bytes(two.outcomes[1].y0).equals(bytes(b.outcomes[1].y0)), 'second outcome unchanged by a third');
    assert.ok(!bytes(b.outcomes[1].y0).equals(bytes(b.outcomes[0].y0)));
  }
});

test('every outcome has its own panel on the same units, periods and groups; binary outcomes are 0/1', () => {
  const d = generateDraw(point(), 3, 1);
  const [y, z, b] = d.outcomes;
  assert.deepEqual([y.name, z.name, b.name], ['y', 'z', 'b']);
  assert.equal(d.panel, y.panel);
  for (const o of [z, b]) {
    assert.equal(o.panel.nUnits, y.panel.nUnits);
    assert.ok(bytes(o.panel.group).equals(bytes(y.panel.group)));
    assert.ok(bytes(o.panel.periods).equals(bytes(y.panel.periods)));
  }
  assert.ok(b.panel.y.every((v) => v === 0 || v === 1));
});

/** Pearson correlation of two columns. */
function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

test("the outcomes' unit levels have the stated correlations (4 MC SEs, SE of r ≈ (1 − r²)/√n)", () => {
  const s = point((r) => {
    r.population.covariates.age = { type: 'normal', mean: 40, sd: 10 };
    r.population.correlations.push({ between: ['age', 'b'], r: 0.3 });
  }).scenario;
  const n = 20000;
  const people = drawPeople(seeded('levels people'), s.population, n);
  const [y, z, b] = outcomeLevels((name) => seeded(`levels ${name}`), s.population, ['y', 'z', 'b'], people);
  assert.equal(y, people.level);
  const se = (r: number) => (1 - r * r) / Math.sqrt(n);
  // Stated: y–z 0.5, y–b −0.3, age–b 0.3; unstated pairs (z–b, age–z, age–y) are 0 on the latent scale.
  const ageLatent = Float64Array.from(people.covariates.age, (x) => (x - 40) / 10);
  for (const [name, r, stated] of [
    ['y–z', corr(y, z), 0.5],
    ['y–b', corr(y, b), -0.3],
    ['age–b', corr(ageLatent, b), 0.3],
    ['z–b', corr(z, b), 0],
    ['age–z', corr(ageLatent, z), 0],
  ] as const) {
    assert.ok(
      Math.abs(r - stated) < 4 * se(stated),
      `${name}: realised ${r.toFixed(4)} against ${stated} (4 SE = ${(4 * se(stated)).toFixed(4)})`,
    );
  }
  for (const l of [z, b]) {
    const m = l.reduce((a, x) => a + x, 0) / n;
    const v = l.reduce((a, x) => a + (x - m) ** 2, 0) / n;
    assert.ok(Math.abs(m) < 4 / Math.sqrt(n) && Math.abs(v - 1) < 4 * Math.sqrt(2 / n), `standard normal level: mean ${m}, variance ${v}`);
  }
});
