/**
 * Fault plans: what to break and when. Pure (rng first); faults.ts carries them out.
 */
import { int, pick, type Rng } from './rng.js';

export const FAULTS = [
  'kill-run',
  'kill-merge',
  'kill-mde',
  'damage-draws',
  'concurrent-run',
  'unwritable-out',
  'mismatched-shards',
  'resume-other-seed',
  'resume-other-scenario',
  'merge-out-is-input',
] as const;
export type Fault = (typeof FAULTS)[number];

export const DAMAGES = [
  'truncate',
  'truncate-frame',
  'flip-byte',
  'flip-meta',
  'huge-length',
  'zero-block',
  'empty',
  'missing',
  'foreign',
] as const;

export interface FaultPlan {
  fault: Fault;
  /** Scenario of the run (small and fast). */
  scenario: string;
  seed: number;
  draws: number;
  workers: number;
  /** kill-*: milliseconds after the start at which the child is SIGKILLed. */
  killAfterMs: number;
  /** damage-draws: what is done to the draws file, where (a fraction of its length), and who reads it. */
  damage: (typeof DAMAGES)[number];
  at: number;
  reader: 'diagnose' | 'draws' | 'report' | 'resume';
  /** mismatched-shards: how the second shard differs. */
  mismatch: 'seed' | 'draws' | 'scenario' | 'same-shard' | 'shard-count' | 'missing-shard';
  /** unwritable-out: where the output goes. */
  target: 'under-a-file' | 'proc' | 'dev-full-csv' | 'dev-full-draws' | 'dir-as-file';
}

const SMALL = ['scenarios/teach-twfe-bias.yaml', 'scenarios/teach-efficient.yaml', 'scenarios/teach-pretest.yaml'];

export function planFault(rng: Rng, fault: Fault = pick(rng, FAULTS)): FaultPlan {
  return {
    fault,
    scenario: pick(rng, SMALL),
    seed: int(rng, 1, 5),
    draws: pick(rng, [12, 24, 40]),
    workers: pick(rng, [0, 2]),
    killAfterMs: int(rng, 300, 2500),
    damage: pick(rng, DAMAGES),
    at: rng(),
    reader: pick(rng, ['diagnose', 'draws', 'report', 'resume'] as const),
    mismatch: pick(rng, ['seed', 'draws', 'scenario', 'same-shard', 'shard-count', 'missing-shard'] as const),
    target: pick(rng, ['under-a-file', 'proc', 'dev-full-csv', 'dev-full-draws', 'dir-as-file'] as const),
  };
}
