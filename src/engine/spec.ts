/**
 * From what the user names (a scenario file, or a custom simulation module) to a SimulationSpec the
 * workers can load, and the identity (path, sha256) recorded in run.json and checked on resume/merge.
 */
import { createHash, randomInt } from 'node:crypto';
import { readScenarioBytes } from '../scenario/load.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SimulationSpec } from './simulation.js';

export interface ResolvedSpec {
  spec: SimulationSpec;
  scenario: { path: string | null; sha256: string };
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** A scenario file run by the real generator and estimators (src/engine/scenario-simulation.ts). */
export function scenarioSpec(file: string, extra: Record<string, unknown> = {}): ResolvedSpec {
  const path = resolve(file);
  const bytes = readScenarioBytes(file); // a regular file of bounded size (scenario/size-limits.ts)
  const argsHash = Object.keys(extra).length ? `+${JSON.stringify(extra)}` : '';
  return {
    spec: { module: new URL('./scenario-simulation.js', import.meta.url).href, args: { scenarioFile: path, ...extra } },
    scenario: { path, sha256: argsHash ? sha256(sha256(bytes) + argsHash) : sha256(bytes) },
  };
}

/** A custom simulation module (exports createSimulation(args)), e.g. a test's fake. */
export function moduleSpec(module: string, args: unknown): ResolvedSpec {
  const href = module.startsWith('file:') ? module : pathToFileURL(resolve(module)).href;
  return { spec: { module: href, args }, scenario: { path: href, sha256: sha256(`${href}\0${JSON.stringify(args)}`) } };
}

/** A fresh seed for a run given none (printed, so the run can be repeated). Not used inside draws. */
export function pickSeed(): string {
  return String(randomInt(1, 2 ** 31 - 1));
}
