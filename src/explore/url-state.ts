/**
 * The explorer page's state in its URL (the part after #), so that a link reproduces the view and the
 * seed: `seed=7&draws=200&off=twfe&estimand=simple&large=1&set.effect.size=1.5`. Only what differs from
 * the scenario as bundled is written; unknown keys and values a control cannot take are dropped with a
 * message (never applied silently). No DOM: tested in Node.
 */
import type { Control, Controls } from './controls.js';

export interface ViewState {
  seed: string;
  draws: number;
  /** Control path → value, only those moved from the scenario's own. */
  values: Record<string, number | string>;
  /** Estimators switched off. */
  off: string[];
  /** The estimand the figures show (an estimand id: simple, dynamic_avg, …); '' = the first the run has. */
  estimand: string;
  large: boolean;
}

export function defaultState(c: Controls): ViewState {
  return { seed: c.seed, draws: c.draws, values: {}, off: [], estimand: '', large: false };
}

export function encodeState(s: ViewState, c: Controls): string {
  const q = new URLSearchParams();
  if (s.seed !== c.seed) q.set('seed', s.seed);
  if (s.draws !== c.draws) q.set('draws', String(s.draws));
  if (s.off.length) q.set('off', s.off.join(','));
  if (s.estimand) q.set('estimand', s.estimand);
  if (s.large) q.set('large', '1');
  for (const [path, v] of Object.entries(s.values)) q.set(`set.${path}`, String(v));
  return q.toString();
}

const controlsByPath = (c: Controls): Map<string, Control> => new Map(c.groups.flatMap((g) => g.controls.map((x) => [x.path, x])));

/** A value a control can take, or why not. */
export function controlValue(x: Control, raw: string): { value: number | string } | { problem: string } {
  if (x.kind === 'select') return x.options.includes(raw) ? { value: raw } : { problem: `expected one of ${x.options.join(', ')}` };
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) return { problem: 'expected a number' };
  if (x.integer && !Number.isInteger(v)) return { problem: 'expected a whole number' };
  if (v < x.min || v > x.max) return { problem: `expected a number from ${x.min} to ${x.max}` };
  return { value: v };
}

export function decodeState(hash: string, c: Controls): { state: ViewState; problems: string[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const s = defaultState(c);
  const problems: string[] = [];
  const byPath = controlsByPath(c);
  const names = new Set(c.estimators.map((e) => e.name));
  for (const [k, raw] of q) {
    if (k === 'seed') {
      if (raw.trim()) s.seed = raw.trim();
    } else if (k === 'draws') {
      const n = Number(raw);
      if (Number.isInteger(n) && n >= 1 && n <= 1_000_000) s.draws = n;
      else problems.push(`draws=${raw}: expected a whole number from 1 to 1000000`);
    } else if (k === 'off') {
      for (const name of raw.split(',').filter(Boolean)) {
        if (names.has(name)) s.off.push(name);
        else problems.push(`off=${name}: the scenario has no estimator ${name} (it has ${[...names].join(', ')})`);
      }
    } else if (k === 'estimand') s.estimand = raw;
    else if (k === 'large') s.large = raw === '1';
    else if (k.startsWith('set.')) {
      const path = k.slice(4);
      const x = byPath.get(path);
      if (!x) {
        problems.push(`${k}: the page has no control ${path}`);
        continue;
      }
      const v = controlValue(x, raw);
      if ('problem' in v) problems.push(`${k}=${raw}: ${v.problem}`);
      else if (v.value !== x.value) s.values[path] = v.value;
    } else problems.push(`${k}: not a setting of the page (seed, draws, off, estimand, large, set.PATH)`);
  }
  return { state: s, problems };
}
