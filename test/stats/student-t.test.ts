/** Student t tail and quantile against R 4.2.2 (qt, pt; printed with digits = 16). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tQuantile, tUpper } from '../../src/stats/student-t.js';

const near = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `${what}: got ${got}, R ${want}`);

test('tQuantile equals R qt to 1e-12 (df 9, 11, 3, 1)', () => {
  near(tQuantile(0.975, 9), 2.2621571627982049, 1e-12, 'qt(0.975, 9)');
  near(tQuantile(0.975, 11), 2.2009851600916388, 1e-12, 'qt(0.975, 11)');
  near(tQuantile(0.995, 3), 5.8409093097333544, 1e-12, 'qt(0.995, 3)');
  near(tQuantile(0.9, 1), 3.0776835371752545, 1e-12, 'qt(0.9, 1)');
  near(tQuantile(0.025, 9), -2.2621571627982049, 1e-12, 'qt(0.025, 9)');
});

test('tUpper equals R pt to 1e-12, fractional df included', () => {
  near(tUpper(2, 5), 0.05096973941492914, 1e-12, 'pt(2, 5, lower = FALSE)');
  near(1 - tUpper(-1.3, 23), 0.10323942766801024, 1e-12, 'pt(-1.3, 23)');
  near(tUpper(0.4, 2.5), 0.36040963446536145, 1e-12, 'pt(0.4, 2.5, lower = FALSE)');
  assert.equal(tUpper(0, 7), 0.5);
});
