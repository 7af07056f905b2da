/**
 * Carry out a fault plan (gen-fault.ts) against the CLI and judge it: killed runs, merges and MDE
 * searches resumed must equal an uninterrupted run byte for byte (else DIFFERS); a damaged or
 * mismatched store read without a word is SILENT-CORRUPTION; everything else goes through the oracle.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, start, type ChildResult } from './child.js';
import type { FaultPlan } from './gen-fault.js';
import { classify, type Verdict } from './oracle.js';

export interface FaultOutcome {
  verdict: Verdict;
  /** The commands run, in order (the last one judged). */
  steps: ChildResult[];
  detail: string;
}

const T = 120_000; // ms: a small run that takes longer than this is a HANG
/** Files of a run that must be byte-identical however the run was interrupted (run.json has timings). */
const RESULT_FILES = ['draws', 'diagnosis.csv', 'diagnosis.json', 'mde.json', 'power-curve.csv'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runArgs = (p: FaultPlan, out: string, extra: string[] = [], scenario = p.scenario, seed = p.seed) => [
  'run',
  scenario,
  '--draws',
  String(p.draws),
  '--seed',
  String(seed),
  '--workers',
  String(p.workers),
  '--out',
  out,
  '--quiet',
  ...extra,
];
const mdeArgs = (p: FaultPlan, out: string, extra: string[] = []) => [
  'mde',
  p.scenario,
  '--over',
  'effect.size',
  '--values',
  '0,0.5,1,2',
  '--refine',
  '0',
  '--replicates',
  '50',
  '--draws',
  String(p.draws),
  '--seed',
  String(p.seed),
  '--workers',
  String(p.workers),
  '--out',
  out,
  '--quiet',
  ...extra,
];

/** Uninterrupted reference runs, computed once per key in this process. */
const refs = new Map<string, Promise<ChildResult>>();
function reference(work: string, key: string, args: (out: string) => string[]): { dir: string; done: Promise<ChildResult> } {
  const dir = path.join(work, 'ref', key.replace(/[^\w.-]+/g, '_'));
  if (!refs.has(dir)) {
    rmSync(dir, { recursive: true, force: true });
    refs.set(dir, run(args(dir), T));
  }
  return { dir, done: refs.get(dir) as Promise<ChildResult> };
}

/** The result files that differ between two run directories. */
export function differingFiles(a: string, b: string, files = RESULT_FILES): string[] {
  return files.filter((f) => {
    const ea = existsSync(path.join(a, f)),
      eb = existsSync(path.join(b, f));
    if (!ea && !eb) return false;
    if (ea !== eb) return true;
    return !readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f)));
  });
}

/** Frame start offsets of a draws file (after the 8-byte magic): [type u8][length u32][payload][crc u32]. */
export function frameOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (let i = 8; i + 5 <= buf.length; ) {
    out.push(i);
    i += 9 + buf.readUInt32LE(i + 1);
  }
  return out;
}

/** Damage a draws file in place; returns what was done. Pure in the plan: the same plan, the same damage. */
export function damage(file: string, p: FaultPlan): string {
  const buf = readFileSync(file);
  const frames = frameOffsets(buf);
  const at = Math.max(8, Math.floor(p.at * buf.length));
  switch (p.damage) {
    case 'truncate':
      writeFileSync(file, buf.subarray(0, at));
      return `truncated to ${at} of ${buf.length} bytes`;
    case 'truncate-frame': {
      const f = frames[Math.max(1, Math.floor(p.at * frames.length))] ?? buf.length;
      writeFileSync(file, buf.subarray(0, f));
      return `truncated at the frame boundary ${f} of ${buf.length}`;
    }
    case 'flip-byte':
      buf[at] ^= 0x5a;
      writeFileSync(file, buf);
      return `byte ${at} flipped`;
    case 'flip-meta': {
      const m = 13 + Math.floor(p.at * (buf.readUInt32LE(9) - 1));
      buf[m] ^= 0x01;
      writeFileSync(file, buf);
      return `meta byte ${m} flipped`;
    }
    case 'huge-length': {
      const f = frames[Math.floor(p.at * frames.length)] ?? 8;
      buf.writeUInt32LE(0xfffffff0, f + 1);
      writeFileSync(file, buf);
      return `frame at ${f} claims 4 GB`;
    }
    case 'zero-block':
      buf.fill(0, at, Math.min(buf.length, at + 512));
      writeFileSync(file, buf);
      return `512 bytes zeroed at ${at}`;
    case 'empty':
      writeFileSync(file, '');
      return 'emptied';
    case 'missing':
      rmSync(file);
      return 'removed';
    case 'foreign':
      writeFileSync(file, 'id,period\n1,2\n');
      return 'replaced by a CSV';
  }
}

/** Run one fault plan in `dir` (created afresh); `work` holds the shared reference runs. */
export async function runFault(p: FaultPlan, dir: string, work: string): Promise<FaultOutcome> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const steps: ChildResult[] = [];
  const step = async (args: string[]) => {
    const r = await run(args, T);
    steps.push(r);
    return r;
  };
  const judge = (r: ChildResult, command: string, detail: string, mustRefuse: string | false = false): FaultOutcome => ({
    verdict: classify(r, command, [], mustRefuse),
    steps,
    detail,
  });
  const differs = (what: string, files: string[], detail: string): FaultOutcome => ({
    verdict: {
      cls: 'DIFFERS',
      signature: `DIFFERS ${p.fault}: ${what} differs from the uninterrupted run (${files.join(', ')})`,
      why: files.join(', '),
    },
    steps,
    detail,
  });
  const silent = (what: string, detail: string): FaultOutcome => ({
    verdict: { cls: 'SILENT-CORRUPTION', signature: `SILENT-CORRUPTION ${p.fault}: ${what}`, why: detail },
    steps,
    detail,
  });
  const refKey = `${path.basename(p.scenario)}-s${p.seed}-d${p.draws}`;
  const ref = reference(work, `run-${refKey}`, (o) => runArgs({ ...p, workers: 0 }, o));
  const a = path.join(dir, 'a');

  switch (p.fault) {
    case 'kill-run':
    case 'kill-mde': {
      const mde = p.fault === 'kill-mde';
      const r0 = mde ? reference(work, `mde-${refKey}`, (o) => mdeArgs({ ...p, workers: 0 }, o)) : ref;
      const s = start(mde ? mdeArgs(p, a) : runArgs(p, a), T);
      await sleep(p.killAfterMs);
      s.kill();
      steps.push(await s.done);
      const r = await step(mde ? mdeArgs(p, a, ['--resume']) : runArgs(p, a, ['--resume']));
      const detail = `SIGKILL after ${p.killAfterMs} ms, then --resume`;
      const v = judge(r, mde ? 'mde --resume' : 'run --resume', detail);
      if (v.verdict.cls !== 'ok') return v;
      await r0.done;
      const d = differingFiles(r0.dir, a);
      return d.length ? differs(mde ? 'mde --resume' : 'run --resume', d, detail) : v;
    }
    case 'kill-merge': {
      const s1 = path.join(dir, 's1'),
        s2 = path.join(dir, 's2'),
        m = path.join(dir, 'm');
      await step(runArgs(p, s1, ['--shard', '1/2']));
      await step(runArgs(p, s2, ['--shard', '2/2']));
      const s = start(['merge', s1, s2, '--out', m, '--quiet'], T);
      await sleep(Math.floor(p.killAfterMs / 10));
      s.kill();
      const killed = await s.done;
      steps.push(killed);
      await ref.done;
      const detail = `merge SIGKILLed after ${Math.floor(p.killAfterMs / 10)} ms`;
      if (killed.code === null) {
        const dg = await step(['diagnose', m, '--out', path.join(dir, 'dg'), '--quiet']);
        if (dg.code === 0 && differingFiles(ref.dir, path.join(dir, 'dg'), ['diagnosis.json']).length)
          return silent('diagnose read a half-merged directory as a result', detail);
      }
      const r = await step(['merge', s1, s2, '--out', m, '--quiet']);
      const v = judge(r, 'merge (after a killed merge)', detail);
      if (v.verdict.cls !== 'ok') return v;
      const d = differingFiles(ref.dir, m, ['draws', 'diagnosis.csv', 'diagnosis.json']);
      return d.length ? differs('merge after a killed merge', d, detail) : v;
    }
    case 'damage-draws': {
      const r0 = await ref.done;
      if (r0.code !== 0) return judge(r0, 'run', 'reference run failed');
      cpSync(ref.dir, a, { recursive: true });
      const detail = damage(path.join(a, 'draws'), p);
      const out = path.join(dir, 'out');
      const args =
        p.reader === 'diagnose'
          ? ['diagnose', a, '--out', out, '--quiet']
          : p.reader === 'draws'
            ? ['draws', a, '--out', path.join(dir, 'draws.csv')]
            : p.reader === 'report'
              ? ['report', a]
              : runArgs(p, a, ['--resume']);
      const r = await step(args);
      const v = judge(r, `${p.reader} (damaged draws)`, detail);
      if (v.verdict.cls !== 'ok') return v;
      if (p.reader === 'resume') {
        const d = differingFiles(ref.dir, a);
        return d.length ? differs('run --resume on a damaged draws file', d, detail) : v;
      }
      if (p.reader === 'diagnose' && !differingFiles(ref.dir, out, ['diagnosis.json']).length) return v;
      return r.stderr.trim() ? v : silent(`${p.reader} read a damaged draws file (${p.damage}) without a word`, detail);
    }
    case 'concurrent-run': {
      const x = start(runArgs(p, a), T),
        y = start(runArgs(p, a), T);
      const [rx, ry] = await Promise.all([x.done, y.done]);
      steps.push(rx, ry);
      const detail = 'two runs into the same --out at once';
      for (const r of [rx, ry]) {
        const v = judge(r, 'run (concurrent)', detail);
        if (v.verdict.cls !== 'ok' && v.verdict.cls !== 'clean-error') return v;
      }
      if (rx.code !== 0 && ry.code !== 0) return judge(ry, 'run (concurrent)', detail);
      await ref.done;
      const d = differingFiles(ref.dir, a);
      return d.length ? differs('two concurrent runs', d, detail) : judge(rx.code === 0 ? rx : ry, 'run (concurrent)', detail);
    }
    case 'unwritable-out': {
      writeFileSync(path.join(dir, 'file'), 'x');
      const r0 = await ref.done;
      const args =
        p.target === 'under-a-file'
          ? runArgs(p, path.join(dir, 'file', 'sub'))
          : p.target === 'proc'
            ? runArgs(p, '/proc/stagger-fuzz/out')
            : p.target === 'dev-full-csv'
              ? ['simulate', p.scenario, '--out', '/dev/full', '--seed', '1']
              : p.target === 'dir-as-file'
                ? ['draws', r0.code === 0 ? ref.dir : a, '--out', dir]
                : ['draws', r0.code === 0 ? ref.dir : a, '--out', '/dev/full'];
      const r = await step(args);
      return judge(r, `${args[0]} (${p.target})`, `output to ${p.target}`, `output to ${p.target}`);
    }
    case 'mismatched-shards': {
      const s1 = path.join(dir, 's1'),
        s2 = path.join(dir, 's2'),
        m = path.join(dir, 'm');
      await step(runArgs(p, s1, ['--shard', '1/2']));
      const second =
        p.mismatch === 'seed'
          ? runArgs(p, s2, ['--shard', '2/2'], p.scenario, p.seed + 1)
          : p.mismatch === 'draws'
            ? runArgs({ ...p, draws: p.draws + 2 }, s2, ['--shard', '2/2'])
            : p.mismatch === 'scenario'
              ? runArgs(
                  p,
                  s2,
                  ['--shard', '2/2'],
                  p.scenario === 'scenarios/teach-pretest.yaml' ? 'scenarios/teach-twfe-bias.yaml' : 'scenarios/teach-pretest.yaml',
                )
              : p.mismatch === 'same-shard'
                ? runArgs(p, s2, ['--shard', '1/2'])
                : p.mismatch === 'shard-count'
                  ? runArgs(p, s2, ['--shard', '2/3'])
                  : null;
      if (second) await step(second);
      const r = await step(['merge', s1, ...(second ? [s2] : []), '--out', m, '--quiet']);
      const v = judge(r, `merge (${p.mismatch})`, `shards differ: ${p.mismatch}`);
      return r.code === 0 && v.verdict.cls === 'ok' ? silent(`merge accepted shards that differ (${p.mismatch})`, v.detail) : v;
    }
    case 'resume-other-seed':
    case 'resume-other-scenario': {
      const r0 = await ref.done;
      if (r0.code !== 0) return judge(r0, 'run', 'reference run failed');
      cpSync(ref.dir, a, { recursive: true });
      const other =
        p.fault === 'resume-other-seed'
          ? runArgs(p, a, ['--resume'], p.scenario, p.seed + 1)
          : runArgs(
              p,
              a,
              ['--resume'],
              p.scenario === 'scenarios/teach-pretest.yaml' ? 'scenarios/teach-twfe-bias.yaml' : 'scenarios/teach-pretest.yaml',
            );
      const r = await step(other);
      const detail = `--resume on a finished run with another ${p.fault === 'resume-other-seed' ? 'seed' : 'scenario'}`;
      const v = judge(r, `run --resume (${p.fault.slice(13)})`, detail);
      if (v.verdict.cls !== 'ok') return v;
      return differingFiles(ref.dir, a).length ? silent(`${p.fault}: finished draws replaced without being told to`, detail) : v;
    }
    case 'merge-out-is-input': {
      const s1 = path.join(dir, 's1'),
        s2 = path.join(dir, 's2');
      await step(runArgs(p, s1, ['--shard', '1/2']));
      await step(runArgs(p, s2, ['--shard', '2/2']));
      const before = existsSync(path.join(s1, 'draws')) ? readFileSync(path.join(s1, 'draws')) : Buffer.alloc(0);
      const r = await step(['merge', s1, s2, '--out', s1, '--quiet']);
      const v = judge(r, 'merge (out is an input)', 'merge s1 s2 --out s1');
      if (v.verdict.cls !== 'ok') return v;
      await ref.done;
      const d = differingFiles(ref.dir, s1, ['draws', 'diagnosis.json']);
      const after = existsSync(path.join(s1, 'draws')) ? readFileSync(path.join(s1, 'draws')) : Buffer.alloc(0);
      return d.length && !after.equals(before) ? silent('merge --out onto an input shard destroyed it', 'merge s1 s2 --out s1') : v;
    }
  }
}
