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
import { closeSync, ftruncateSync, openSync, readSync, writeSync, fstatSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { DesignPointInfo } from '../diagnosis/diagnosis.js';
import type { DrawRecord, DrawRecruitment } from './simulation.js';

export const MAGIC = Buffer.from('STAGGERD', 'latin1');
const FRAME_OVERHEAD = 9;
/** Bytes of one record by file format. */
const RECORD_BYTES: Record<number, number> = { 1: 44, 2: 48, 3: 72 };
export const DRAWS_FORMAT = 3;

function recordBytes(format: number): number {
  const b = RECORD_BYTES[format];
  if (b === undefined) throw new Error(`draws file: format ${format} is not one this version reads (1, 2 or 3)`);
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
        this.pending = { point: payload.readUInt32LE(0), draw: payload.readUInt32LE(4), recruitment: JSON.parse(payload.toString('utf8', 8)) as DrawRecruitment };
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
        return pend && pend.point === point && pend.draw === draw ? { point, draw, records, recruitment: pend.recruitment } : { point, draw, records };
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

/** The meta frame of a draws file alone (reads only the file's head). */
export function readDrawsMeta(path: string): DrawsMeta {
  let meta: DrawsMeta | null = null;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length + 5);
    readSync(fd, head, 0, head.length, 0);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${path}: not a Stagger draws file`);
    const len = head.readUInt32LE(MAGIC.length + 1);
    const body = Buffer.alloc(len);
    readSync(fd, body, 0, len, MAGIC.length + 5);
    if (head[MAGIC.length] === 'M'.charCodeAt(0)) meta = JSON.parse(body.toString('utf8')) as DrawsMeta;
  } finally {
    closeSync(fd);
  }
  if (!meta) throw new Error(`${path}: draws file has no header (meta) frame`);
  return meta;
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
  constructor(path: string, truncateTo?: number) {
    this.fd = openSync(path, truncateTo === undefined ? 'w' : 'r+');
    if (truncateTo !== undefined) ftruncateSync(this.fd, truncateTo);
    this.pos = truncateTo ?? 0;
  }
  private pos: number;
  write(b: Buffer): void {
    let off = 0;
    while (off < b.length) {
      const n = writeSync(this.fd, b, off, b.length - off, this.pos);
      off += n;
      this.pos += n;
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}
