import { test } from 'node:test';
import assert from 'node:assert/strict';
import { esc, fixed, periodLabel, pm, setting } from '../../src/report/format.js';

test('value ± MC SE: the SE to two significant digits (whole numbers at most), the value to the same decimal place', () => {
  assert.equal(pm(0.325, 0.07405656621799311), '0.325 ± 0.074');
  assert.equal(pm(-84.58698747740195, 49.857369353111565), '\u221285 ± 50');
  // Large figures are not rounded past the unit: whole kr, not tens.
  assert.equal(pm(1014.2, 267.5), '1,014 ± 268');
  assert.equal(pm(12345.6, 1234), '12,346 ± 1,234');
  assert.equal(pm(0.95, 0), '0.950');
  assert.equal(pm(null, 0.1), '—');
  assert.equal(pm(NaN, 0.1), '—');
});

test('numbers: thousands grouped, a real minus, no negative zero', () => {
  assert.equal(fixed(1234567.891, 1), '1,234,567.9');
  assert.equal(fixed(-0.0001, 2), '0.00');
  assert.equal(fixed(-12, 0), '\u221212');
  assert.equal(setting(1500), '1,500');
  assert.equal(setting(0.25), '0.25');
  assert.equal(setting('notyet'), 'notyet');
});

test('HTML escaping covers element text and attributes', () => {
  assert.equal(esc(`<script>alert("x") & 'y'</script>`), '&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
});

test('periods become calendar months when the scenario says when period 1 is', () => {
  const info = { first: 1, unit: 'month', calendarStart: '2015-01' };
  assert.equal(periodLabel(56, info), '2019-08'); // R1: recruitment from Aug 2019 = period 56
  assert.equal(periodLabel(78, info), '2021-06');
  assert.equal(periodLabel(12, info), '2015-12');
  assert.equal(periodLabel(5, { first: 1, unit: 'year', calendarStart: '2005' }), '2009');
  assert.equal(periodLabel(5, null), '5');
});
