/**
 * Shards: `--shard i/N` runs draws [⌊(i−1)D/N⌋, ⌊iD/N⌋) of every design point. Work is enumerated draw
 * by draw, each draw over all design points (unit u = d · P + p), so shard files concatenated in shard
 * order are the single run's file, and a run can be extended or resumed at any unit.
 */
export interface Shard {
  index: number;
  count: number;
}

/** Parse "i/N" with 1 ≤ i ≤ N. @throws Error with the expected form */
export function parseShard(s: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
  if (!m) throw new Error(`--shard must look like i/N (e.g. 3/10), got "${s}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) {
    throw new Error(`--shard ${s}: i must be between 1 and N (Slurm: --array=1-N; Kubernetes: JOB_COMPLETION_INDEX+1)`);
  }
  return { index, count };
}

/** The draw range [from, to) of a shard of a run of `draws` draws. */
export function shardDraws(draws: number, shard: Shard | undefined): { from: number; to: number } {
  if (!shard) return { from: 0, to: draws };
  return {
    from: Math.floor(((shard.index - 1) * draws) / shard.count),
    to: Math.floor((shard.index * draws) / shard.count),
  };
}
