/**
 * The calibrated scenario as YAML: the original file with the user's --set changes and the found
 * values substituted through the `yaml` Document API, so its comments and layout stay; each changed
 * value gets a trailing comment with its old value, and the file's head comment records the
 * calibration (targets, found values, draws, seed) so the figure can be traced and rerun.
 */
import { readFileSync } from 'node:fs';
import { isScalar, parse, parseDocument } from 'yaml';
import type { Setting } from '../engine/settings.js';
import type { CalibrationResult } from './run-target.js';

/** A found value as written: 6 significant digits (the search's tolerance is coarser). */
export const written = (x: number): number => Number(x.toPrecision(6));

const keysOf = (path: string): (string | number)[] => path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

export function calibratedYaml(file: string, set: readonly Setting[], r: CalibrationResult, command: string): string {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const s of set) {
    const v: unknown = parse(s.value);
    if (v === null) doc.deleteIn(keysOf(s.path));
    else doc.setIn(keysOf(s.path), v);
  }
  for (const f of r.free) {
    const keys = keysOf(f.path);
    doc.setIn(keys, written(f.found));
    const node = doc.getIn(keys, true);
    if (isScalar(node)) {
      const note = `calibrated (was ${f.start})`;
      node.comment = node.comment ? ` ${note};${node.comment.startsWith(' ') ? '' : ' '}${node.comment}` : ` ${note}`;
    }
  }
  const lines = [
    ` Calibrated by: ${command}`,
    ` status: ${r.status} (${r.message}); estimator ${r.estimator}, ${r.draws} draws, seed ${r.seed}`,
    ...r.targets.map((t) => ` target ${t.target}: simulated ${t.statistic} ${t.value.toPrecision(5)} ± ${t.mc_se.toPrecision(2)} (MC SE)`),
    ...r.free.map((f) => ` ${f.path}: ${f.start} -> ${written(f.found)}${f.interval ? ` (95 % MC interval ${written(f.interval[0])}–${written(f.interval[1])})` : ''}`),
  ];
  doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${lines.join('\n')}` : lines.join('\n');
  return doc.toString();
}
