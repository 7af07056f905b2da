/**
 * Where draws go: appended to the draws file and folded into the diagnosis, in draw order. A live run,
 * a resumed run (after replaying the file's prefix) and a merge of shards all pass through here, which
 * is why their outputs are the same bytes.
 */
import { Diagnosis } from '../diagnosis/diagnosis.js';
import { DrawsDecoder, DrawsEncoder, DrawsWriter, decodeFrames, scanDrawsFile, type DrawsMeta, type DecodedDraw } from './draws-file.js';
import type { DrawRecord, DrawRecruitment } from './simulation.js';

export class RunSink {
  readonly diagnosis: Diagnosis;
  private readonly enc: DrawsEncoder;
  private readonly dec: DrawsDecoder;
  private readonly writer: DrawsWriter;
  /** Draw frames written or replayed so far. */
  units = 0;

  private constructor(readonly meta: DrawsMeta, writer: DrawsWriter, diagnosis?: Diagnosis) {
    this.diagnosis = diagnosis ?? new Diagnosis(meta.alpha, meta.estimators, meta.outcomes);
    this.enc = new DrawsEncoder(meta.format);
    this.dec = new DrawsDecoder(meta.format);
    this.writer = writer;
  }

  /** A new draws file at `path`. */
  static create(path: string, meta: DrawsMeta): RunSink {
    const s = new RunSink(meta, new DrawsWriter(path));
    const head = s.enc.meta(meta);
    s.writer.write(head);
    return s;
  }

  /**
   * Reopen a draws file to continue it: check it belongs to this run, replay its whole frames into the
   * diagnosis, cut off a torn last frame, and append from there.
   * @param check called with each replayed draw, in order (the caller checks the unit sequence)
   */
  static resume(path: string, meta: DrawsMeta, check: (d: DecodedDraw, index: number) => void): RunSink {
    const diagnosis = new Diagnosis(meta.alpha, meta.estimators, meta.outcomes);
    let n = 0;
    const scan = scanDrawsFile(path, (d) => {
      check(d, n++);
      diagnosis.pushDraw(d.point, d.records);
    });
    // Killed before the header was whole: nothing was done, start the file again.
    if (!scan.meta) return RunSink.create(path, meta);
    if (JSON.stringify(meta) !== JSON.stringify(scan.meta)) {
      throw new Error(
        `${path} belongs to another run (seed, scenario, estimators or grid differ): ` +
          `file has seed ${scan.meta.seed}, scenario sha256 ${scan.meta.scenarioSha256.slice(0, 12)}…; ` +
          `this run has seed ${meta.seed}, ${meta.scenarioSha256.slice(0, 12)}…. Use another --out, or drop --resume to start over.`,
      );
    }
    const s = new RunSink(meta, new DrawsWriter(path, scan.validBytes), diagnosis);
    for (const str of scan.strings.slice(1)) {
      s.enc.learn(str);
      s.dec.strings.push(str);
    }
    s.units = n;
    return s;
  }

  add(point: number, draw: number, records: readonly DrawRecord[], recruitment?: DrawRecruitment): void {
    const buf = this.enc.draw(point, draw, records, recruitment);
    this.writer.write(buf);
    for (const d of decodeFrames(this.dec, buf)) {
      this.diagnosis.pushDraw(d.point, d.records);
    }
    this.units += 1;
  }

  close(): void {
    this.writer.close();
  }
}
