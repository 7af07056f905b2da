/**
 * A slider's range and step: the schema's own bounds where it has them (z.number().min/max/gt/lt,
 * .int()), a rough range from what the number measures otherwise, a round step, and then the range
 * narrowed to values the scenario accepts as a whole (its cross-field checks: periods inside the
 * panel, windows in order, a mean within share_any × max, …), found by asking `valid`.
 */
import type { z } from 'zod';
import { defOf } from '../scenario/known-keys.js';
import type { Quantity } from './control-words.js';

export interface Bounds {
  min?: number;
  minOpen: boolean;
  max?: number;
  maxOpen: boolean;
  integer: boolean;
}

/** The bounds a zod number schema states (the tightest of its checks). */
export function boundsOf(s: z.ZodType): Bounds {
  const b: Bounds = { minOpen: false, maxOpen: false, integer: false };
  const checks = (defOf(s).checks ?? []) as unknown as {
    _zod: { def: { check?: string; format?: string; value?: number; inclusive?: boolean } };
  }[];
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === 'number_format' && /int/.test(String(d.format))) b.integer = true;
    if (d.check === 'greater_than' && typeof d.value === 'number' && (b.min === undefined || d.value >= b.min)) {
      b.minOpen = d.value === b.min ? b.minOpen || !d.inclusive : !d.inclusive;
      b.min = d.value;
    }
    if (d.check === 'less_than' && typeof d.value === 'number' && (b.max === undefined || d.value <= b.max)) {
      b.maxOpen = d.value === b.max ? b.maxOpen || !d.inclusive : !d.inclusive;
      b.max = d.value;
    }
  }
  return b;
}

export interface Span {
  first: number;
  count: number;
}

/**
 * A rough range for one value, before the schema's bounds: calendar periods span the panel, event
 * times ±(count − 1), counts of periods 0 … count − 1, a number bounded below from its bound to twice
 * the value, an unbounded one symmetric around 0 (effects may be negative) or 0 … 2 × mean.
 */
function rough(v: number, q: Quantity, b: Bounds, span: Span, key: string): [number, number] {
  const last = span.first + span.count - 1;
  if (q === 'calendar') return [span.first, last];
  if (q === 'event') return [-(span.count - 1), span.count - 1];
  if (key === 'periods.count') return [2, Math.max(2 * v, 4)];
  // Effect timing and waits beyond a year or so push the effect out of what the analysis sees.
  if (q === 'periods') return [0, Math.max(Math.min(span.count - 1, Math.max(12, 2 * v)), v)];
  // Typical ICCs are below 0.2; near 1 the people of a cluster are one person (and the mixed model crawls).
  if (key === 'icc') return [0, Math.min(0.5, Math.max(0.2, 4 * v))];
  // A comparison needs two start groups.
  if (key === 'design.start_groups.count') return [2, Math.max(4, 2 * v)];
  // Counts of people: from a tenth of the value (one person is not a study) to twice it.
  if ((q === 'people' || key === 'population.size') && v > 0) return [Math.max(b.min ?? 0, Math.ceil(v / 10)), 2 * v];
  if (b.min !== undefined && b.max !== undefined) return [b.min, b.max];
  // A zero trend: a few hundredths of a latent sd per period already bend the paths visibly.
  const zero = b.integer ? 10 : /(^|\.)trend\./.test(key) ? 0.05 : 1;
  const far = v === 0 ? zero : 2 * Math.abs(v);
  if (b.min !== undefined) return [b.min, Math.max(far, b.min + (b.integer ? 10 : 1))];
  if (b.max !== undefined) return [Math.min(-far, b.max - (b.integer ? 10 : 1)), b.max];
  if (/(^|\.)(mean|median)$/.test(key) && v !== 0) return v > 0 ? [0, far] : [-far, 0];
  return [-far, far];
}

const NICE = [1, 2, 5];

/** The round steps (1, 2, 5 × 10^k) from large to small, starting at the first ≤ `from`. */
function* niceSteps(from: number): Generator<number> {
  let e = Math.floor(Math.log10(from));
  let i = NICE.length - 1;
  while (NICE[i] * 10 ** e > from) {
    i--;
    if (i < 0) {
      i = NICE.length - 1;
      e--;
    }
  }
  for (;;) {
    yield roundTo(NICE[i] * 10 ** e, e);
    i--;
    if (i < 0) {
      i = NICE.length - 1;
      e--;
    }
  }
}

/** x rounded to the decimals of 10^e (e < 0), to keep sums of steps free of binary noise. */
function roundTo(x: number, e: number): number {
  return e >= 0 ? Math.round(x) : Number(x.toFixed(Math.min(20, -e)));
}
const decimalsOf = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
const onGrid = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) < 1e-7;
/** x without the binary noise of a sum of steps (0.1 + 0.2 → 0.3). */
const clean = (x: number) => Number(x.toFixed(12));
const snap = (x: number, step: number) => Number((Math.round(x / step) * step).toFixed(decimalsOf(step) + 1));

export interface Range {
  min: number;
  max: number;
  step: number;
}

/**
 * The slider's range before narrowing: covering every value (an axis' values), inside the schema's
 * bounds (an open bound one step in), with a round step of about 50–200 positions, made smaller
 * (up to 2,000 positions) when that puts the value itself on the slider's grid.
 */
export function roughRange(values: readonly number[], q: Quantity, b: Bounds, span: Span, key: string): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    const [a, c] = rough(v, q, b, span, key);
    lo = Math.min(lo, a, v);
    hi = Math.max(hi, c, v);
  }
  if (b.integer) {
    const min = b.min === undefined ? Math.ceil(lo) : Math.max(Math.ceil(lo), b.minOpen ? Math.floor(b.min) + 1 : Math.ceil(b.min));
    const max = b.max === undefined ? Math.floor(hi) : Math.min(Math.floor(hi), b.maxOpen ? Math.ceil(b.max) - 1 : Math.floor(b.max));
    return { min: Math.min(min, ...values), max: Math.max(max, ...values), step: 1 };
  }
  if (hi <= lo) hi = lo + 1;
  const gen = niceSteps((hi - lo) / 50);
  let step = gen.next().value as number;
  const first = step;
  const v = values[0];
  while (!onGrid(v, step)) {
    const next = gen.next().value as number;
    if ((hi - lo) / next > 2000) {
      step = first;
      break;
    }
    step = next;
  }
  let min = snap(Math.floor(lo / step + 1e-9) * step, step);
  let max = snap(Math.ceil(hi / step - 1e-9) * step, step);
  if (b.min !== undefined && (min < b.min || (b.minOpen && min <= b.min))) min = b.minOpen ? snap(b.min + step, step) : b.min;
  if (b.max !== undefined && (max > b.max || (b.maxOpen && max >= b.max))) max = b.maxOpen ? snap(b.max - step, step) : b.max;
  if (!onGrid(v - min, step)) {
    // Still off the grid: the grid moves to the value (a slider's positions are min + k × step), so
    // that the value as written is one of them and an untouched slider changes nothing.
    const fit = (x: number) => Number(x.toFixed(decimalsOf(step) + 6));
    const down = Math.floor((v - min) / step + 1e-9);
    min = fit(v - down * step);
    const up = Math.floor((max - v) / step + 1e-9);
    max = fit(v + up * step);
  }
  return { min: Math.min(min, ...values), max: Math.max(max, ...values), step };
}

/**
 * One end of the range narrowed to what the scenario accepts: the farthest point of the slider's
 * grid from `v` towards `end` such that it and the points tried on the way are valid (validity is
 * taken to hold on an interval around the value). Whole numbers gallop out from the value (1, 2, 4, …
 * steps) so that a near gap (an intake period outside every start-group window) ends the range; other
 * numbers try the end first, which costs one check where nothing is crossed.
 */
export function narrowEnd(v: number, end: number, r: Range, integer: boolean, valid: (x: number) => boolean): number {
  if (end === v) return v;
  const dir = end > v ? 1 : -1;
  // The grid points beyond v: point(j) for j = 1 … n, point(n) = end.
  const firstK = dir > 0 ? Math.floor((v - r.min) / r.step + 1e-9) + 1 : Math.ceil((v - r.min) / r.step - 1e-9) - 1;
  const endK = Math.round((end - r.min) / r.step);
  const n = Math.abs(endK - firstK) + 1;
  if ((endK - firstK) * dir < 0) return end;
  const point = (j: number) => (j >= n ? end : clean(r.min + (firstK + dir * (j - 1)) * r.step));
  let good = 0; // the largest j known valid
  let bad = n + 1; // the smallest j known invalid
  if (integer) {
    for (let j = 1; j <= n; j = j * 2) {
      if (valid(point(j))) good = j;
      else {
        bad = j;
        break;
      }
      if (j < n && j * 2 > n) {
        if (valid(point(n))) good = n;
        else bad = n;
        break;
      }
    }
  } else if (valid(point(n))) good = n;
  else bad = n;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (valid(point(mid))) good = mid;
    else bad = mid;
  }
  return good === 0 ? v : point(good);
}
