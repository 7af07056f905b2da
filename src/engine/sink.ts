/**
 * Where draws go: appended to the draws file and folded into the diagnosis, in draw order. A live run,
 * a resumed run (after replaying the file's prefix) and a merge of shards all pass through here, which
 * is why their outputs are the same bytes.
 */
import { Diagnosis } from '../diagnosis/diagnosis.js';
import { DrawsDecoder, DrawsEncoder, DrawsWriter, decodeFrames, type DrawsMeta, type Survey } from './draws-file.js';
import type { DrawRecord, DrawRecruitment } from './simulation.js';

export class RunSink {
  readonly diagnosis: Diagnosis;
  private readonly enc: DrawsEncoder;
  private readonly dec: DrawsDecoder;
  private readonly writer: DrawsWriter;
  /** Draw frames written or replayed so far. */
  units = 0;

  private constructor(
    readonly meta: DrawsMeta,
    writer: DrawsWriter,
    diagnosis?: Diagnosis,
  ) {
    this.diagnosis = diagnosis ?? new Diagnosis(meta.alpha, meta.estimators, meta.outcomes, meta.analytic);
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
   * Reopen a draws file to continue it: keep its undamaged prefix as it is (replayed into the
   * diagnosis), cut off everything after it, and append from there. Usable draws found past damage
   * are handed to `rescue`: the caller re-adds them in their place (re-encoded, as a merge does), so the
   * file ends as the undamaged run's, byte for byte. The caller has checked the file is this run's.
   * @param survey the file's survey (surveyDrawsFile); without a whole meta frame the file is written
   *   again from its header
   * @param diagnosis the prefix's draws, already folded (by the survey's callback)
   */
  static resume(path: string, meta: DrawsMeta, survey: Survey, diagnosis: Diagnosis): RunSink {
    if (!survey.meta) return RunSink.create(path, meta);
    const s = new RunSink(meta, new DrawsWriter(path, survey.prefixBytes), diagnosis);
    for (const str of survey.prefixStrings.slice(1)) {
      s.enc.learn(str);
      s.dec.strings.push(str);
    }
    s.units = survey.prefixDraws;
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
