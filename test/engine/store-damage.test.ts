/**
 * A damaged draws file is never read as a smaller run: every reader (diagnose, draws, report) refuses
 * it naming the damaged or missing draws and the command that recovers, and `--resume` keeps the
 * good draws, recomputes the rest and ends byte for byte as the undamaged run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine, type RunOptions } from '../../src/engine/run.js';
import { checkStore, drawRanges } from '../../src/engine/store-check.js';
import { rediagnose, writeDrawsCsv } from '../../src/engine/draws-read.js';
import { readRunFiles } from '../../src/report/run-files.js';
import { surveyDrawsFile } from '../../src/engine/draws-file.js';
import { StoreError } from '../../src/engine/store-errors.js';
import { FAKE_ARGS, assertSameFiles, fakeSpec, tempDir } from './helpers.js';

const DRAWS = 60;
const P = FAKE_ARGS.points.length;
const base = (outDir: string, over: Partial<RunOptions> = {}): RunOptions => ({
  spec: fakeSpec(FAKE_ARGS),
  scenario: { path: 'fake.yaml', sha256: 'fake' },
  seed: '7',
  draws: DRAWS,
  workers: 0,
  outDir,
  onNotice: () => {},
  ...over,
});
const same = (x: boolean, msg: string): void => assert.ok(x, msg);

/** The frames of a draws file: type, offset and payload length (the layout of draws-file.ts). */
function frames(buf: Buffer): { type: string; at: number; len: number }[] {
  const out: { type: string; at: number; len: number }[] = [];
  for (let pos = 8; pos < buf.length; ) {
    const len = buf.readUInt32LE(pos + 1);
    out.push({ type: String.fromCharCode(buf[pos]), at: pos, len });
    pos += len + 9;
  }
  return out;
}

let whole: string;
let bytes: Buffer;
let dFrames: { type: string; at: number; len: number }[];

test('setup: an undamaged run of 60 draws × 3 points', async () => {
  whole = tempDir('whole');
  await runEngine(base(whole));
  bytes = readFileSync(join(whole, 'draws'));
  dFrames = frames(bytes).filter((f) => f.type === 'D');
  assert.equal(dFrames.length, DRAWS * P);
  assert.equal(checkStore(whole).range[1], DRAWS);
});

/** Each damage: the bytes it leaves, and the draws a reader must name as missing or unreadable. */
const damages: { name: string; make: () => Buffer; draws: RegExp }[] = [
  // Cut at the end of unit 89's D frame: draws 30–59 are gone without a torn frame to show it.
  {
    name: 'truncated at a frame boundary',
    make: () => bytes.subarray(0, dFrames[89].at + dFrames[89].len + 9),
    draws: /90 of 180 draw results .* draws 30–59/,
  },
  {
    name: 'truncated mid-frame',
    make: () => bytes.subarray(0, dFrames[90].at + 20),
    draws: /90 of 180 draw results .* draws 30–59; bytes \d+–\d+ \(the end of the file\) are cut/,
  },
  {
    name: 'a flipped byte in a data frame',
    make: () => {
      const b = Buffer.from(bytes);
      b[dFrames[30].at + 30] ^= 0x10; // draw 10, point 0; the next draw frame (point 1) is not trusted either
      return b;
    },
    draws: /2 of 180 draw results .* draws 10; bytes \d+–\d+ fail their checksum/,
  },
  {
    name: 'a huge length field',
    make: () => {
      const b = Buffer.from(bytes);
      b.writeUInt32LE(0xfffffff0, dFrames[60].at + 1); // draw 20, point 0
      return b;
    },
    draws: /2 of 180 draw results .* draws 20/,
  },
  {
    name: 'a zeroed block',
    make: () => {
      const b = Buffer.from(bytes);
      b.fill(0, dFrames[100].at - 7, dFrames[100].at + 993);
      return b;
    },
    draws: /draw results .* missing or unreadable: draws 3[3-4]–\d+; bytes/,
  },
  {
    name: 'a flipped byte in the meta frame',
    make: () => {
      const b = Buffer.from(bytes);
      b[8 + 5 + 10] ^= 0x01;
      return b;
    },
    draws: /header \(meta frame\) is damaged/,
  },
];

for (const dmg of damages) {
  test(`${dmg.name}: every reader refuses it naming the draws and the recovery; --resume repairs it byte for byte`, async () => {
    const d = tempDir('damaged');
    cpSync(whole, d, { recursive: true });
    writeFileSync(join(d, 'draws'), dmg.make());
    const recovery =
      /Recover: stagger run fake\.yaml --seed 7 --draws 60 --out .* --resume|stagger run fake\.yaml --seed 7 --draws 60 --out .* --resume/;
    for (const read of [() => checkStore(d), () => rediagnose(d), () => writeDrawsCsv(d, () => {}), () => readRunFiles(d)]) {
      assert.throws(read, (e: Error) => e instanceof StoreError && dmg.draws.test(e.message) && recovery.test(e.message), dmg.name);
    }
    const notices: string[] = [];
    let kept = -1;
    await runEngine(base(d, { resume: true, workers: 2, onNotice: (m) => notices.push(m), onStart: (i) => (kept = i.doneUnits) }));
    assertSameFiles(whole, d, same);
    assert.ok(kept >= 0);
    assert.equal(checkStore(d).range[1], DRAWS);
  });
}

test('draws past the damage are kept, not recomputed: a flipped byte costs two draw frames', () => {
  const b = Buffer.from(bytes);
  b[dFrames[30].at + 30] ^= 0x10;
  const p = join(tempDir('survey'), 'draws');
  writeFileSync(p, b);
  let prefix = 0;
  let rescued = 0;
  const s = surveyDrawsFile(p, (_, inPrefix) => (inPrefix ? prefix++ : rescued++));
  assert.equal(prefix, 30);
  assert.equal(s.dropped, 1);
  assert.equal(prefix + rescued, DRAWS * P - 2);
  assert.deepEqual(s.damaged, [[dFrames[30].at, dFrames[30].at + dFrames[30].len + 9]]);
});

test('--resume with another seed on a run whose meta frame is damaged is refused, and discards nothing', async () => {
  const d = tempDir('meta-seed');
  cpSync(whole, d, { recursive: true });
  const b = Buffer.from(bytes);
  b[8 + 5 + 10] ^= 0x01;
  writeFileSync(join(d, 'draws'), b);
  await assert.rejects(
    runEngine(base(d, { seed: '8', resume: true })),
    (e: Error) =>
      e instanceof StoreError &&
      /header \(meta frame\) is damaged and run\.json says another run: seed 7 \(this run: 8\).*discard its 180 finished draws.*another --out/.test(
        e.message,
      ),
  );
  assert.ok(readFileSync(join(d, 'draws')).equals(b), 'the draws file was changed');
  // Another seed on an undamaged file: refused naming what differs.
  await assert.rejects(runEngine(base(whole, { seed: '8', resume: true })), /belongs to another run: seed 7 \(this run: 8\)/);
});

test('missing, empty and foreign draws files, and unfinished runs, are clear errors', async () => {
  const d = tempDir('missing');
  assert.throws(() => checkStore(join(d, 'nope')), /no such directory/);
  assert.throws(() => checkStore(d), /no draws file/);
  cpSync(whole, d, { recursive: true });
  writeFileSync(join(d, 'draws'), '');
  assert.throws(() => rediagnose(d), /draws file is empty \(0 bytes\)/);
  writeFileSync(join(d, 'draws'), 'point,draw\n1,2\n');
  assert.throws(() => rediagnose(d), /not a Stagger draws file \(expected it to start with "STAGGERD", found "point,dr"\)/);
  const run = JSON.parse(readFileSync(join(whole, 'run.json'), 'utf8'));
  writeFileSync(join(d, 'run.json'), JSON.stringify({ ...run, status: 'running' }));
  assert.throws(() => rediagnose(d), /the run did not finish \(run.json: status running\); continue it: stagger run/);
});

test('drawRanges writes runs of draws as ranges', () => {
  assert.equal(drawRanges([1, 2, 3, 7, 9, 10]), '1–3, 7, 9–10');
  assert.equal(drawRanges([1, 3, 5], 2), '1, 3, … (1 more ranges)');
});
