/**
 * The progress bar of a long run: percentage, draws done, draws/s and ETA, on stderr. Silent when
 * stderr is not a terminal (logs, CI, Slurm) or with --quiet, so piped output stays clean.
 *
 * The ETA is ours, not cli-progress's: the first draws of a run are slow (workers load modules and
 * scenarios, the JIT warms up), so a rate over all draws so far predicts minutes for a run of
 * seconds. The rate is measured from the end of a warm-up (WARMUP_DRAWS draws and WARMUP_SECONDS
 * seconds, both) and the bar says "estimating…" until then.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

export const WARMUP_DRAWS = 5;
export const WARMUP_SECONDS = 1;

export interface RateReading {
  /** Draws per second after the warm-up, or null while estimating. */
  rate: number | null;
  /** Seconds left at that rate, or null while estimating. */
  eta: number | null;
}

/**
 * Draw rate and ETA from the draws done at each moment, the warm-up left out.
 * @param now milliseconds on a monotonic clock (performance.now; a test injects its own)
 */
export class RateEstimator {
  private total = 0;
  private first = 0;
  private t0 = 0;
  private warm: { t: number; done: number } | null = null;
  constructor(
    private readonly now: () => number,
    private readonly warmupDraws = WARMUP_DRAWS,
    private readonly warmupSeconds = WARMUP_SECONDS,
  ) {}

  start(total: number, done: number): void {
    this.total = total;
    this.first = done;
    this.t0 = this.now();
    this.warm = null;
  }

  update(done: number): RateReading {
    const t = this.now();
    if (!this.warm) {
      if (done - this.first >= this.warmupDraws && (t - this.t0) / 1000 >= this.warmupSeconds) this.warm = { t, done };
      return { rate: null, eta: null };
    }
    const s = (t - this.warm.t) / 1000;
    const n = done - this.warm.done;
    if (n <= 0 || s <= 0) return { rate: null, eta: null };
    const rate = n / s;
    return { rate, eta: Math.max(0, this.total - done) / rate };
  }
}

/** "8 s", "3 min 05 s", "1 h 02 min". */
export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** The bar's rate and ETA fields for a reading. */
export function progressFields(r: RateReading): { rate: string; eta: string } {
  return r.rate === null || r.eta === null
    ? { rate: '… draws/s', eta: 'estimating…' }
    : { rate: `${r.rate.toFixed(1)} draws/s`, eta: formatEta(r.eta) };
}

const silent: Progress = { start() {}, update() {}, stop() {} };

export function makeProgress(opts: { quiet: boolean; stream?: NodeJS.WriteStream; now?: () => number }): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || !stream.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | {value}/{total} draws | {rate} | ETA {eta_text}',
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const rate = new RateEstimator(opts.now ?? (() => performance.now()));
  const fields = (r: RateReading) => {
    const f = progressFields(r);
    return { rate: f.rate, eta_text: f.eta };
  };
  return {
    start(total, done) {
      rate.start(total, done);
      bar.start(total, done, fields({ rate: null, eta: null }));
    },
    update(done) {
      bar.update(done, fields(rate.update(done)));
    },
    stop() {
      bar.stop();
    },
  };
}
