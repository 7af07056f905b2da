/**
 * The draws file: every result record of a run, append-only, in draw order, framed and checksummed.
 *
 * It is the run's source of truth. The diagnosis is a fold over its records in file order, so a run
 * killed mid-write and resumed (truncate to the last whole frame, replay, continue), a merge of shards
 * (decode each shard, re-encode in order) and a single run all produce the same bytes.
 *
 * Layout: the magic `STAGGERD`, then frames `[type u8][length u32 LE][payload][crc32 u32 LE of type,
 * length and payload]`. Frame types:
 *  - `M` meta (JSON: format, seed, scenario hash, alpha, estimators, design points), the first frame;
 *  - `S` one dictionary string: `[id u32][utf-8]`, ids 1, 2, … in order of first use (0 = none);
 *  - `D` one draw of one design point: `[point u32][draw u32][count u32]` then per record
 *    `[estimator id u32][estimand id u32][reason id u32][estimate f64][se f64][truth f64][population truth f64]
 *    [outcome id u32][p f64][ci low f64][ci high f64]`, null stored as NaN. 72 bytes a record (format 3:
 *    p and the interval are the estimator's own inference, NaN where it is the Wald test from the SE;
 *    format 2 had neither, 48 bytes, format 1 no outcome id either, 44 bytes; both are still read);
 *  - `R` the recruitment of the draw whose `D` frame follows at once: `[point u32][draw u32][JSON]`
 *    (DrawRecruitment; only when the simulation records one). Read back onto that draw.
 * A torn write that leaves an `R` frame without its `D` frame is cut back to before the `R` frame.
 */
import type { AnalyticSpec } from '../diagnosis/analytic-rows.js';
import { closeSync, ftruncateSync, openSync, readSync, writeSync, fstatSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import type { DrawRecord, DrawRecruitment } from './simulation.js';
import { StoreError, writing } from './store-errors.js';

export const MAGIC = Buffer.from('STAGGERD', 'latin1');
const FRAME_OVERHEAD = 9;
/** Bytes of one record by file format. */
const RECORD_BYTES: Record<number, number> = { 1: 44, 2: 48, 3: 72 };
export const DRAWS_FORMAT = 3;

function recordBytes(format: number): number {
  const b = RECORD_BYTES[format];
  if (b === undefined)
    throw new StoreError(
      `draws file: format ${format} is not one this version reads (it reads formats 1, 2 and 3; a newer Stagger wrote it?)`,
    );
  return b;
}

export interface DrawsMeta {
  /** 3: records carry their outcome and the estimator's own p and interval; 2: their outcome only; 1 (older files): neither. */
  format: 1 | 2 | 3;
  /** The outcomes' names in scenario order (format 2; absent in older files). */
  outcomes?: string[];
  seed: string;
  scenarioSha256: string;
  alpha: number;
  estimators: string[];
  points: DesignPointInfo[];
  /** The analytic rows' inputs (diagnosis/analytic-rows.ts), so a re-diagnosis at another α has them; absent when none. */
  analytic?: AnalyticSpec[];
}

function frame(type: string, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + FRAME_OVERHEAD);
  out.writeUInt8(type.charCodeAt(0), 0);
  out.writeUInt32LE(payload.length, 1);
  payload.copy(out, 5);
  out.writeUInt32LE(crc32(out.subarray(0, 5 + payload.length)), 5 + payload.length);
  return out;
}

const numOrNaN = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);
const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** Turns draws into frames, keeping the string dictionary. The only way bytes of a draws file are made. */
export class DrawsEncoder {
  private readonly ids = new Map<string, number>();
  private readonly bytes: number;

  /** @param format the draws file's format (its meta's), which fixes the record layout */
  constructor(readonly format: number = DRAWS_FORMAT) {
    this.bytes = recordBytes(format);
  }

  meta(meta: DrawsMeta): Buffer {
    return Buffer.concat([MAGIC, frame('M', Buffer.from(JSON.stringify(meta), 'utf8'))]);
  }

  /** Register a string read back from an existing file (resume), so ids continue where they stopped. */
  learn(s: string): void {
    if (!this.ids.has(s)) this.ids.set(s, this.ids.size + 1);
  }

  draw(point: number, draw: number, records: readonly DrawRecord[], recruitment?: DrawRecruitment): Buffer {
    const parts: Buffer[] = [];
    const id = (s: string | null | undefined): number => {
      if (s === null || s === undefined) return 0;
      let i = this.ids.get(s);
      if (i === undefined) {
        i = this.ids.size + 1;
        this.ids.set(s, i);
        const text = Buffer.from(s, 'utf8');
        const p = Buffer.allocUnsafe(4 + text.length);
        p.writeUInt32LE(i, 0);
        text.copy(p, 4);
        parts.push(frame('S', p));
      }
      return i;
    };
    const B = this.bytes;
    const p = Buffer.allocUnsafe(12 + B * records.length);
    p.writeUInt32LE(point, 0);
    p.writeUInt32LE(draw, 4);
    p.writeUInt32LE(records.length, 8);
    let o = 12;
    for (const r of records) {
      p.writeUInt32LE(id(r.estimator), o);
      p.writeUInt32LE(id(r.estimand), o + 4);
      p.writeUInt32LE(r.estimate === null ? id(r.reason ?? 'not identified (no reason given)') : id(r.reason), o + 8);
      p.writeDoubleLE(numOrNaN(r.estimate), o + 12);
      p.writeDoubleLE(numOrNaN(r.se), o + 20);
      p.writeDoubleLE(numOrNaN(r.truth), o + 28);
      p.writeDoubleLE(numOrNaN(r.popTruth), o + 36);
      if (B > 44) p.writeUInt32LE(id(r.outcome), o + 44);
      if (B > 48) {
        p.writeDoubleLE(numOrNaN(r.p), o + 48);
        p.writeDoubleLE(numOrNaN(r.ciLow), o + 56);
        p.writeDoubleLE(numOrNaN(r.ciHigh), o + 64);
      }
      o += B;
    }
    if (recruitment) {
      const json = Buffer.from(JSON.stringify(recruitment), 'utf8');
      const r = Buffer.allocUnsafe(8 + json.length);
      r.writeUInt32LE(point, 0);
      r.writeUInt32LE(draw, 4);
      json.copy(r, 8);
      parts.push(frame('R', r));
    }
    parts.push(frame('D', p));
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}

export interface DecodedDraw {
  point: number;
  draw: number;
  records: DrawRecord[];
  recruitment?: DrawRecruitment;
}

/** Reads frames back, resolving dictionary ids. Feed it frames in file order. */
export class DrawsDecoder {
  readonly strings: string[] = [''];
  meta: DrawsMeta | null = null;
  /** An `R` frame waiting for its `D` frame. */
  pending: { point: number; draw: number; recruitment: DrawRecruitment } | null = null;

  /** @param format the record layout until a meta frame says otherwise (live decoding sees none) */
  constructor(private format: number = DRAWS_FORMAT) {}

  /**
   * Decode against a dictionary that may have holes (strings lost in a damaged range); returns a test
   * of whether a decoded draw names a lost string.
   */
  useStrings(strings: (string | undefined)[]): (d: DecodedDraw) => boolean {
    (this as { strings: (string | undefined)[] }).strings = strings;
    return (d) =>
      d.records.some(
        (r) =>
          r.estimator === undefined ||
          r.estimand === undefined ||
          (r as { reason: unknown }).reason === undefined ||
          ('outcome' in r && r.outcome === undefined),
      );
  }

  /** Returns the draw for a `D` frame, null for the others. */
  frame(type: number, payload: Buffer): DecodedDraw | null {
    switch (String.fromCharCode(type)) {
      case 'M':
        this.meta = JSON.parse(payload.toString('utf8')) as DrawsMeta;
        this.format = this.meta.format;
        return null;
      case 'S': {
        const id = payload.readUInt32LE(0);
        if (id !== this.strings.length) throw new Error(`draws file: string id ${id} out of order`);
        this.strings.push(payload.toString('utf8', 4));
        return null;
      }
      case 'R':
        this.pending = {
          point: payload.readUInt32LE(0),
          draw: payload.readUInt32LE(4),
          recruitment: JSON.parse(payload.toString('utf8', 8)) as DrawRecruitment,
        };
        return null;
      case 'D': {
        const point = payload.readUInt32LE(0);
        const draw = payload.readUInt32LE(4);
        const n = payload.readUInt32LE(8);
        const records: DrawRecord[] = new Array(n);
        const B = recordBytes(this.format);
        let o = 12;
        for (let k = 0; k < n; k++) {
          const reasonId = payload.readUInt32LE(o + 8);
          records[k] = {
            estimator: this.strings[payload.readUInt32LE(o)],
            estimand: this.strings[payload.readUInt32LE(o + 4)],
            reason: reasonId ? this.strings[reasonId] : null,
            estimate: nullIfNaN(payload.readDoubleLE(o + 12)),
            se: nullIfNaN(payload.readDoubleLE(o + 20)),
            truth: nullIfNaN(payload.readDoubleLE(o + 28)),
            popTruth: nullIfNaN(payload.readDoubleLE(o + 36)),
          };
          if (B > 44) {
            const oid = payload.readUInt32LE(o + 44);
            if (oid) records[k].outcome = this.strings[oid];
          }
          if (B > 48) {
            const pv = nullIfNaN(payload.readDoubleLE(o + 48));
            const lo = nullIfNaN(payload.readDoubleLE(o + 56));
            const hi = nullIfNaN(payload.readDoubleLE(o + 64));
            if (pv !== null) records[k].p = pv;
            if (lo !== null && hi !== null) Object.assign(records[k], { ciLow: lo, ciHigh: hi });
          }
          o += B;
        }
        const pend = this.pending;
        this.pending = null;
        return pend && pend.point === point && pend.draw === draw
          ? { point, draw, records, recruitment: pend.recruitment }
          : { point, draw, records };
      }
      default:
        throw new Error(`draws file: unknown frame type ${type}`);
    }
  }
}

export interface ScanResult {
  /** null when the file was cut before its header was whole (a kill in the first milliseconds). */
  meta: DrawsMeta | null;
  /** Bytes up to the end of the last whole, checksum-valid frame. */
  validBytes: number;
  /** True when the file had bytes past validBytes (a write cut short by a kill). */
  truncatedTail: boolean;
  strings: string[];
}

/** The first bytes of a file, printable, for saying what a foreign file is. */
function startsWith(b: Buffer): string {
  return JSON.stringify(b.toString('latin1').replace(/[^\x20-\x7e]/g, '.'));
}

/**
 * The meta frame of a draws file alone (reads only the file's head), checksum checked.
 * @throws StoreError when the file is empty, not a draws file, or its meta frame is cut or damaged
 */
export function readDrawsMeta(path: string): DrawsMeta {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0)
      throw new StoreError(
        `${path}: the draws file is empty (0 bytes): the run was stopped before it wrote a draw; run it again with --resume`,
      );
    const head = Buffer.alloc(Math.min(size, MAGIC.length + 5));
    readSync(fd, head, 0, head.length, 0);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC))
      throw new StoreError(`${path}: not a Stagger draws file (expected it to start with "STAGGERD", found ${startsWith(head)})`);
    const len = head.length === MAGIC.length + 5 ? head.readUInt32LE(MAGIC.length + 1) : -1;
    const ok = len >= 0 && head[MAGIC.length] === 0x4d /* M */ && MAGIC.length + len + FRAME_OVERHEAD <= size;
    if (ok) {
      const f = Buffer.alloc(len + FRAME_OVERHEAD);
      readSync(fd, f, 0, f.length, MAGIC.length);
      if (crc32(f.subarray(0, 5 + len)) === f.readUInt32LE(5 + len)) {
        const meta = JSON.parse(f.toString('utf8', 5, 5 + len)) as DrawsMeta;
        recordBytes(meta.format);
        return meta;
      }
    }
    throw new StoreError(
      `${path}: the draws file's header (its meta frame, bytes ${MAGIC.length}–${Math.min(size, MAGIC.length + Math.max(len, 0) + FRAME_OVERHEAD)}) is cut or damaged (its checksum fails)`,
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * Stream a draws file frame by frame (memory flat: one chunk and one frame at a time), calling onDraw
 * for every whole draw in order. Stops quietly at a torn or corrupt tail and reports where it is.
 * @throws Error when the file is not a draws file
 */
export function scanDrawsFile(path: string, onDraw: (d: DecodedDraw) => void): ScanResult {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(MAGIC.length);
    const got = readSync(fd, head, 0, head.length, 0);
    if (!head.subarray(0, got).equals(MAGIC.subarray(0, got))) throw new Error(`${path}: not a Stagger draws file`);
    if (got < MAGIC.length) return { meta: null, validBytes: 0, truncatedTail: size > 0, strings: [''] };
    const dec = new DrawsDecoder();
    let pos = MAGIC.length;
    const hdr = Buffer.alloc(5);
    let buf = Buffer.alloc(1 << 16);
    let pendingAt = -1;
    for (;;) {
      if (pos + FRAME_OVERHEAD > size) break;
      readSync(fd, hdr, 0, 5, pos);
      const len = hdr.readUInt32LE(1);
      const total = len + FRAME_OVERHEAD;
      if (pos + total > size) break;
      if (buf.length < total) buf = Buffer.alloc(Math.max(total, buf.length * 2));
      readSync(fd, buf, 0, total, pos);
      if (crc32(buf.subarray(0, 5 + len)) !== buf.readUInt32LE(5 + len)) break;
      if (buf[0] === 0x52 /* R */) pendingAt = pos;
      const d = dec.frame(buf[0], buf.subarray(5, 5 + len));
      pos += total;
      if (d) {
        pendingAt = -1;
        onDraw(d);
      }
    }
    // An R frame whose D frame was torn off belongs to the unfinished draw: cut it too.
    if (pendingAt >= 0) pos = pendingAt;
    return { meta: dec.meta, validBytes: pos, truncatedTail: pos < size, strings: dec.strings };
  } finally {
    closeSync(fd);
  }
}

/**
 * Decode the frames of a buffer made by DrawsEncoder.draw, through the same decoder a replay uses, so a
 * live run folds exactly the values a resumed or merged run reads back from disk.
 */
export function decodeFrames(dec: DrawsDecoder, buf: Buffer): DecodedDraw[] {
  const out: DecodedDraw[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const len = buf.readUInt32LE(pos + 1);
    const d = dec.frame(buf[pos], buf.subarray(pos + 5, pos + 5 + len));
    if (d) out.push(d);
    pos += len + FRAME_OVERHEAD;
  }
  return out;
}

/** Append-only writer over a file descriptor; each write is one whole set of frames. */
export class DrawsWriter {
  private fd: number;
  private pos: number;
  /** @param hint what a user does after a failed write (e.g. make room and --resume) */
  constructor(
    private readonly path: string,
    truncateTo?: number,
    private readonly hint = 'the draws written so far are kept: make room (or fix the permissions) and run the same command with --resume',
  ) {
    this.fd = writing(path, hint, () => openSync(path, truncateTo === undefined ? 'w' : 'r+'));
    if (truncateTo !== undefined) writing(path, hint, () => ftruncateSync(this.fd, truncateTo));
    this.pos = truncateTo ?? 0;
  }
  write(b: Buffer): void {
    writing(this.path, this.hint, () => {
      let off = 0;
      while (off < b.length) {
        const n = writeSync(this.fd, b, off, b.length - off, this.pos);
        off += n;
        this.pos += n;
      }
    });
  }
  close(): void {
    writing(this.path, this.hint, () => closeSync(this.fd));
  }
}

/** A window over a file, so frames are read in large chunks however small they are. */
class FileWindow {
  private buf = Buffer.alloc(0);
  private start = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}
  /** Bytes [pos, pos + len), which must lie inside the file. */
  get(pos: number, len: number): Buffer {
    if (pos < this.start || pos + len > this.start + this.buf.length) {
      this.buf = Buffer.alloc(Math.min(Math.max(len, 1 << 20), this.size - pos));
      readSync(this.fd, this.buf, 0, this.buf.length, pos);
      this.start = pos;
    }
    return this.buf.subarray(pos - this.start, pos - this.start + len);
  }
}

const KNOWN = new Set([0x4d, 0x53, 0x44, 0x52]); // M S D R

/** The whole, checksum-valid frame at pos (header and payload), or null. */
function frameAt(w: FileWindow, pos: number): { type: number; payload: Buffer; total: number } | null {
  if (pos + FRAME_OVERHEAD > w.size) return null;
  const hdr = w.get(pos, 5);
  const type = hdr[0];
  if (!KNOWN.has(type)) return null;
  const len = hdr.readUInt32LE(1);
  const total = len + FRAME_OVERHEAD;
  if (pos + total > w.size) return null;
  const f = w.get(pos, total);
  if (crc32(f.subarray(0, 5 + len)) !== f.readUInt32LE(5 + len)) return null;
  return { type, payload: f.subarray(5, 5 + len), total };
}

export interface Survey {
  size: number;
  /** null when the meta frame is missing, cut or damaged. */
  meta: DrawsMeta | null;
  /** The meta frame fails its checksum while bytes follow it. */
  metaDamaged: boolean;
  /** Bytes of the whole frames before the first damage (an R frame without its D frame excluded). */
  prefixBytes: number;
  /** Draws wholly inside the prefix, and the dictionary strings the prefix defines (ids 1, 2, …). */
  prefixDraws: number;
  prefixStrings: string[];
  /** Byte ranges [from, to) that are not whole checksum-valid frames, in file order. */
  damaged: [number, number][];
  /** Whole draw frames after a damaged range that were not used (their strings or recruitment may be lost). */
  dropped: number;
}

/**
 * Read every frame of a draws file, past damage: a frame whose checksum fails (a flipped byte, a
 * zeroed block, a huge length field) starts a damaged range, which ends at the next checksum-valid
 * frame (CRC32 over type, length and payload: a false match is a 1 in 2³² chance per position).
 * onDraw gets every usable draw in file order, with whether it lies in the undamaged prefix. A draw
 * frame right after a damaged range is not used (the `S` and `R` frames it needs may have been in the
 * range), nor one naming a string whose `S` frame was lost; the damage confined to the meta frame alone
 * spares the first draw. A torn tail (a kill mid-write) is a damaged range at the end.
 * @throws StoreError when the file is not a draws file
 */
export function surveyDrawsFile(path: string, onDraw: (d: DecodedDraw, inPrefix: boolean) => void): Survey {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const out: Survey = {
      size,
      meta: null,
      metaDamaged: false,
      prefixBytes: 0,
      prefixDraws: 0,
      prefixStrings: [''],
      damaged: [],
      dropped: 0,
    };
    if (size === 0) return out;
    const w = new FileWindow(fd, size);
    const head = w.get(0, Math.min(size, MAGIC.length));
    if (!head.equals(MAGIC.subarray(0, head.length)))
      throw new StoreError(`${path}: not a Stagger draws file (expected it to start with "STAGGERD", found ${startsWith(head)})`);
    if (size < MAGIC.length) {
      out.damaged.push([0, size]);
      return out;
    }
    let format = DRAWS_FORMAT;
    const strings: (string | undefined)[] = [''];
    let clean = true;
    let suspect = false;
    let pendingR: { point: number; draw: number; recruitment: DrawRecruitment; at: number } | null = null;
    let pos = MAGIC.length;
    out.prefixBytes = pos;
    while (pos < size) {
      const f = frameAt(w, pos);
      const isMeta = pos === MAGIC.length;
      if (f && isMeta === (f.type === 0x4d)) {
        if (f.type === 0x4d) {
          out.meta = JSON.parse(f.payload.toString('utf8')) as DrawsMeta;
          format = out.meta.format;
          recordBytes(format);
        } else if (f.type === 0x53) {
          const id = f.payload.readUInt32LE(0);
          const text = f.payload.toString('utf8', 4);
          strings[id] = text;
          if (clean) {
            if (id !== out.prefixStrings.length)
              throw new StoreError(`${path}: string id ${id} at byte ${pos} is out of order (expected ${out.prefixStrings.length})`);
            out.prefixStrings.push(text);
          }
        } else if (f.type === 0x52) {
          const p = f.payload;
          pendingR = {
            point: p.readUInt32LE(0),
            draw: p.readUInt32LE(4),
            recruitment: JSON.parse(p.toString('utf8', 8)) as DrawRecruitment,
            at: pos,
          };
        } else {
          const dec = new DrawsDecoder(format);
          const missing = dec.useStrings(strings);
          const d = dec.frame(f.type, f.payload);
          if (d && pendingR && pendingR.point === d.point && pendingR.draw === d.draw) d.recruitment = pendingR.recruitment;
          pendingR = null;
          if (suspect || !d || missing(d)) out.dropped += 1;
          else {
            onDraw(d, clean);
            if (clean) out.prefixDraws += 1;
          }
          suspect = false;
        }
        pos += f.total;
        if (clean) out.prefixBytes = pendingR ? pendingR.at : pos;
        continue;
      }
      // Damage at pos: find where whole frames start again.
      clean = false;
      if (isMeta) out.metaDamaged = true;
      let q = pos + 1;
      while (q < size && !frameAt(w, q)) q++;
      const len = pos + 5 <= size ? w.get(pos + 1, 4).readUInt32LE(0) : -1;
      const confinedToMeta = isMeta && q === pos + len + FRAME_OVERHEAD;
      out.damaged.push([pos, q]);
      if (!confinedToMeta) suspect = true;
      pendingR = null;
      pos = q;
    }
    if (out.metaDamaged && out.prefixDraws === 0 && out.damaged.length === 1 && out.damaged[0][1] === size) out.metaDamaged = false; // cut inside the header: nothing follows it
    return out;
  } finally {
    closeSync(fd);
  }
}
