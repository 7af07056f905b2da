/** Shared helpers of the engine tests: a fake spec, temporary out dirs, file comparisons. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeArgs } from './fakes/normal-sim.js';
import type { SimulationSpec } from '../../src/engine/simulation.js';
import { parseSetting, type Setting } from '../../src/engine/settings.js';

export const FAKE_MODULE = new URL('./fakes/normal-sim.js', import.meta.url).href;
export const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

export function fakeSpec(args: FakeArgs): SimulationSpec {
  return { module: FAKE_MODULE, args };
}

export const FAKE_ARGS: FakeArgs = {
  points: [
    { mu: 0, sigma: 1 },
    { mu: 1.5, sigma: 1, truthSd: 0.3, missing: 0.05 },
    { mu: 3, sigma: 2 },
  ],
  estimators: ['a', 'b'],
  events: 3,
};

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `stagger-${name}-`));
}

/** The files a run promises to reproduce byte for byte (run.json holds timings, so it is not one). */
export const EXACT_FILES = ['draws', 'diagnosis.csv', 'diagnosis.json'];

export function assertSameFiles(a: string, b: string, assertEqual: (x: boolean, msg: string) => void): void {
  for (const f of EXACT_FILES) assertEqual(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between ${a} and ${b}`);
}

/**
 * R2 with a continuous outcome (kr/month, sd 3,000) in place of earnings: the quota traits' trends
 * are then additive on the outcome's own scale, so conditional parallel trends hold exactly and the
 * doubly robust estimator with the quota traits is unbiased. (With the bundled zero-heavy earnings the
 * trends act through a nonlinear link and DR keeps part of the bias: see bench/validate.ts.)
 */
export const R2_LINEAR = ['outcome.type=continuous', 'outcome.share_any=null', 'outcome.sdlog=null', 'outcome.sd=3000'];

/** R2 at a quarter of its size (pool and every intake), the simple and group estimands (R2's effect.target is group_avg), no subgroups. */
export function quarterR2(extra: readonly string[] = []): Setting[] {
  const sizes = [85, 85, 85, 238, 18, 15, 18, 25, 25, 25, 25, 25];
  return [
    'population.size=5550',
    ...sizes.map((s, i) => `design.intakes.${i}.size=${s}`),
    'analysis.subgroups=[]',
    'analysis.estimands=[simple, group]',
    ...extra,
  ].map(parseSetting);
}
