/**
 * Stepped-wedge rollouts: which period each wave starts in and how many clusters each wave takes.
 * Clusters are split as equally as possible across waves (the earliest waves take the extra cluster
 * when G does not divide), as swCRTdesign's swDsn lays out a design from clusters per wave; a share
 * of clusters may never start (a parallel arm). `schedule` instead gives the cumulative share of
 * clusters started by a period, so that the number of clusters can be a grid axis.
 *
 * This is the planned allocation: the design randomises which clusters take which slot
 * (design/clusters.ts); the analytic power (Hussey & Hughes 2007) reads the slots alone.
 */

export interface WaveRollout {
  count: number;
  /** Period the first wave starts in (default: periods.first + every, one block of baseline). */
  first?: number;
  /** Periods between waves (default: ⌊periods.count / (count + 1)⌋, at least 1). */
  every?: number;
}

export interface SchedulePoint {
  period: number;
  /** Cumulative share of all clusters started by this period (non-decreasing, ≤ 1). */
  share: number;
}

export interface Periods {
  first: number;
  count: number;
}

/** The start period of every wave: first + k·every, k = 0 … count − 1. */
export function waveStarts(w: WaveRollout, periods: Periods): number[] {
  const every = w.every ?? Math.max(1, Math.floor(periods.count / (w.count + 1)));
  const first = w.first ?? periods.first + every;
  return Array.from({ length: w.count }, (_, k) => first + k * every);
}

/** n items over k bins as equally as possible, the earliest bins taking the remainder. */
export function splitEqually(n: number, k: number): number[] {
  const base = Math.floor(n / k);
  const extra = n - base * k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Each slot's start period, sorted (Infinity: never starts), for G clusters: `never` share rounded to
 * whole clusters, the rest split over the waves (or by the schedule's cumulative shares, rounded at
 * each point so the counts add up to round(share·G)).
 */
export function plannedStarts(
  G: number,
  rollout: { waves: WaveRollout } | { schedule: SchedulePoint[] },
  periods: Periods,
  never = 0,
): Float64Array {
  const out = new Float64Array(G).fill(Infinity);
  let at = 0;
  if ('waves' in rollout) {
    const nNever = Math.round(never * G);
    const starts = waveStarts(rollout.waves, periods);
    const counts = splitEqually(G - nNever, starts.length);
    starts.forEach((p, k) => {
      for (let c = 0; c < counts[k]; c++) out[at++] = p;
    });
  } else {
    let done = 0;
    for (const pt of rollout.schedule) {
      const upto = Math.min(G, Math.round(pt.share * G));
      while (done < upto) {
        out[at++] = pt.period;
        done++;
      }
    }
  }
  return out;
}
