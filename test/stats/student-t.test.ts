/** Student t tail, cdf, quantile and the regularised incomplete beta against R 4.2.2 (pt, qt, pbeta; printed with 16–17 digits). */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { betaInc, pt, ptTwoSided, qt } from '../../src/stats/student-t.js';

const near = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `${what}: got ${got}, R ${want}`);

test('qt equals R qt to 1e-12 (df 9, 11, 3, 1)', () => {
  near(qt(0.975, 9), 2.2621571627982049, 1e-12, 'qt(0.975, 9)');
  near(qt(0.975, 11), 2.2009851600916388, 1e-12, 'qt(0.975, 11)');
  near(qt(0.995, 3), 5.8409093097333544, 1e-12, 'qt(0.995, 3)');
  near(qt(0.9, 1), 3.0776835371752545, 1e-12, 'qt(0.9, 1)');
  near(qt(0.025, 9), -2.2621571627982049, 1e-12, 'qt(0.025, 9)');
});

test('the upper tail pt(−t) equals R pt to 1e-12, fractional df included', () => {
  near(pt(-2, 5), 0.05096973941492914, 1e-12, 'pt(2, 5, lower = FALSE)');
  near(1 - pt(1.3, 23), 0.10323942766801024, 1e-12, 'pt(-1.3, 23)');
  near(pt(-0.4, 2.5), 0.36040963446536145, 1e-12, 'pt(0.4, 2.5, lower = FALSE)');
  assert.equal(pt(0, 7), 0.5);
});

const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, R gives ${want}`);

describe('student t', () => {
  it('pt matches R (non-integer df, both tails, far tail)', () => {
    const cases: [number, number, number][] = [
      [2.262157162798205, 9, 0.97499999999999998],
      [-1.3, 2.7, 0.14672632185192253],
      [0.1, 1, 0.53172551743055352],
      [-40, 3.3, 7.5294436408996779e-6],
      [5, 150.5, 0.99999921181530738],
      [-0.7, 0.5, 0.34270033126038335],
    ];
    for (const [t, df, want] of cases) close(pt(t, df), want, 1e-12, `pt(${t}, ${df})`);
    close(ptTwoSided(-40, 3.3), 2 * 7.5294436408996779e-6, 1e-12, 'two-sided far tail');
  });
  it('qt matches R', () => {
    const cases: [number, number, number][] = [
      [0.975, 9, 2.2621571627982049],
      [0.975, 4.37, 2.6861481000408847],
      [0.025, 1, -12.706204736174707],
      [0.995, 23.81, 2.7988424098690818],
      [0.9, 1000, 1.2823987214609247],
      [0.6, 0.8, 0.34305457368789405],
      [0.975, 1e6, 1.9599663568141066],
    ];
    for (const [p, df, want] of cases) close(qt(p, df), want, 1e-11, `qt(${p}, ${df})`);
  });
  it('betaInc matches R pbeta', () => {
    close(betaInc(0.3, 2.5, 0.5), 0.018927124071945644, 1e-12, 'pbeta(0.3, 2.5, 0.5)');
    close(betaInc(0.9, 0.5, 7), 0.99999997807021579, 1e-14, 'pbeta(0.9, 0.5, 7)');
    close(betaInc(0.01, 3, 3), 9.8505999999999934e-6, 1e-12, 'pbeta(0.01, 3, 3)');
  });
  it('refuses df ≤ 0 and p outside (0, 1)', () => {
    assert.throws(() => pt(1, 0), /df must be > 0/);
    assert.throws(() => qt(1, 3), /p must lie in/);
  });
});
