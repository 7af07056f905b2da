/**
 * Text covariates as R's model.matrix expands a factor: levels in sorted (code-point) order, the first
 * the reference, one 0/1 column per other level named covariate + level; numbers in a text column are
 * levels sorted as text ("10" < "9" < "a", as R sorts the strings); a level that changes over time
 * makes a time-varying dummy.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parsePanelCsv } from '../../src/panel/csv.js';
import { expandFactor } from '../../src/panel/text-covariates.js';

it("expandFactor: sorted levels, the first the reference, R's column names", () => {
  const f = expandFactor('kind', ['b', 'a', 'c', 'a']);
  assert.deepEqual(f.levels, ['a', 'b', 'c']);
  assert.deepEqual(f.names, ['kindb', 'kindc']);
  assert.deepEqual(
    f.columns.map((c) => Array.from(c)),
    [
      [1, 0, 0, 0],
      [0, 0, 1, 0],
    ],
  );
  assert.deepEqual(expandFactor('k', ['9', '10', 'a']).levels, ['10', '9', 'a']);
  assert.throws(() => expandFactor('k', ['x', 'x']), /single value \("x"\)/);
});

it('parsePanelCsv: a text covariate becomes unit-level dummies, or time-varying ones when it moves', () => {
  const rows = ['id,period,first_treat,y,kind,x'];
  const kinds = ['"b"', 'a', 'c', 'a'];
  for (let i = 1; i <= 4; i++)
    for (let t = 1; t <= 2; t++) rows.push(`${i},${t},${i <= 2 ? 2 : 0},${i * t},${i === 4 && t === 2 ? 'b' : kinds[i - 1]},${i}`);
  const r = parsePanelCsv(`${rows.join('\n')}\n`, 'p.csv', {
    id: 'id',
    time: 'period',
    group: 'first_treat',
    outcome: 'y',
    covariates: ['x', 'kind'],
  });
  assert.deepEqual(r.covariates, ['x', 'kindb', 'kindc']);
  assert.deepEqual(Array.from(r.panel.covariates.kindc), [0, 0, 1, 0]); // unit-level: constant within units
  assert.deepEqual(Array.from(r.panel.covariates.kindb), [1, 0, 0, 0, 1, 0, 0, 1]); // unit 4 moves a → b
  assert.match(r.messages.join('\n'), /Covariate "kind" is text: expanded to 2 dummies \(kindb, kindc; reference level "a"\)/);
});
