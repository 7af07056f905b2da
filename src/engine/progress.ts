/**
 * The progress bar of a long run: percentage, draws done, draws/s and ETA, on stderr. Silent when
 * stderr is not a terminal (logs, CI, Slurm) or with --quiet, so piped output stays clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

export function makeProgress(opts: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || !stream.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | {value}/{total} draws | {rate} draws/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let t0 = 0;
  let first = 0;
  return {
    start(total, done) {
      t0 = performance.now();
      first = done;
      bar.start(total, done, { rate: '…' });
    },
    update(done) {
      const s = (performance.now() - t0) / 1000;
      bar.update(done, { rate: s > 0 ? ((done - first) / s).toFixed(1) : '…' });
    },
    stop() {
      bar.stop();
    },
  };
}
