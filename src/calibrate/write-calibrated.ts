/**
 * The calibrated scenario as YAML: the original file with the user's --set changes and the found
 * values substituted, and a head comment recording the calibration (the command, targets, found
 * values with their MC interval, draws, seed) so the figure can be traced and rerun.
 *
 * Where every change replaces a scalar the file already writes, the new values are spliced into the
 * file's own text at the nodes' source ranges (the `yaml` parser's `range`), so nothing else moves:
 * comments, their alignment, flow lists. Otherwise (a key the file leaves at its default, a list
 * value, a removed key) the `yaml` Document API rewrites it, which keeps comments but not layout.
 * Either way each found value gets a trailing comment with the value it replaced.
 */
import { readFileSync } from 'node:fs';
import { isScalar, parse, parseDocument, type Document } from 'yaml';
import type { Setting } from '../engine/settings.js';
import type { CalibrationResult } from './run-target.js';
import { canonicalOutcomePath, outcomeFormOf, type OutcomeForm } from '../scenario/outcome-paths.js';

/** A found value as written: 6 significant digits (the search's tolerance is coarser). */
export const written = (x: number): number => Number(x.toPrecision(6));

const keysOf = (path: string): (string | number)[] => path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

interface Change {
  keys: (string | number)[];
  value: unknown;
  /** The trailing note for a calibrated value. */
  note?: string;
}

/** The changes as key paths of the file's own form (`outcome.sdlog` is `outcomes.0.sdlog` in a list). */
function changesOf(set: readonly Setting[], r: CalibrationResult, form: OutcomeForm): Change[] {
  const keys = (path: string) => keysOf(canonicalOutcomePath(path, form));
  return [
    ...set.map((s) => ({ keys: keys(s.path), value: parse(s.value) as unknown })),
    ...r.free.map((f) => ({ keys: keys(f.path), value: written(f.found), note: `calibrated (was ${f.start})` })),
  ];
}

/** The text with each change spliced in at its scalar's range, or null when a change is not a plain scalar replacement. */
function spliced(text: string, changes: readonly Change[]): string | null {
  const doc = parseDocument(text);
  const edits: { at: number; end: number; text: string; note?: string }[] = [];
  for (const c of changes) {
    const node = doc.getIn(c.keys, true);
    const v = c.value;
    if (!isScalar(node) || !node.range || !(typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) return null;
    edits.push({ at: node.range[0], end: node.range[1], text: typeof v === 'string' ? JSON.stringify(v) : String(v), note: c.note });
  }
  edits.sort((a, b) => b.at - a.at);
  let out = text;
  for (const e of edits) {
    // Keep a trailing comment in its column: the spaces before "#" absorb the length change (≥ 1 left).
    const gap = /^( +)#/.exec(text.slice(e.end, text.indexOf('\n', e.end) < 0 ? text.length : text.indexOf('\n', e.end)));
    const grow = e.text.length - (e.end - e.at);
    const spaces = gap ? ' '.repeat(Math.max(1, gap[1].length - grow)) : '';
    out = out.slice(0, e.at) + e.text + (gap ? spaces + out.slice(e.end + gap[1].length) : out.slice(e.end));
    if (!e.note) continue;
    const eol = out.indexOf('\n', e.at) < 0 ? out.length : out.indexOf('\n', e.at);
    const hash = out.slice(e.at, eol).search(/\s#/);
    if (hash >= 0) {
      const p = e.at + hash + 2; // just after "#"
      out = `${out.slice(0, p)} ${e.note};${out.slice(p)}`;
    } else out = `${out.slice(0, eol)}  # ${e.note}${out.slice(eol)}`;
  }
  // The splice must mean what the changes say: otherwise let the Document API write it.
  const check = parseDocument(out);
  if (check.errors.length || changes.some((c) => check.getIn(c.keys) !== c.value)) return null;
  return out;
}

function rewritten(text: string, changes: readonly Change[]): string {
  const doc: Document = parseDocument(text);
  for (const c of changes) {
    if (c.value === null) doc.deleteIn(c.keys);
    else doc.setIn(c.keys, c.value);
    const node = doc.getIn(c.keys, true);
    if (c.note && isScalar(node))
      node.comment = node.comment ? ` ${c.note};${node.comment.startsWith(' ') ? '' : ' '}${node.comment}` : ` ${c.note}`;
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function calibratedYaml(file: string, set: readonly Setting[], r: CalibrationResult, command: string): string {
  const text = readFileSync(file, 'utf8');
  const changes = changesOf(set, r, outcomeFormOf(parse(text)));
  const body = spliced(text, changes) ?? rewritten(text, changes);
  const head = [
    `Calibrated by: ${command}`,
    `status: ${r.status} (${r.message}); estimator ${r.estimator}, ${r.draws} draws, seed ${r.seed}`,
    ...r.targets.map((t) => `target ${t.target}: simulated ${t.statistic} ${t.value.toPrecision(5)} ± ${t.mc_se.toPrecision(2)} (MC SE)`),
    ...r.free.map(
      (f) =>
        `${f.path}: ${f.start} -> ${written(f.found)}${f.interval ? ` (95 % MC interval ${written(f.interval[0])}–${written(f.interval[1])})` : ''}`,
    ),
  ];
  return `${head.map((l) => `# ${l}`).join('\n')}\n${body}`;
}
