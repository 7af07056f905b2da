// TEMPORARY stand-in for the controls helper's module (same interface); replaced at merge.
import { parse } from 'yaml';
import { applySettingsToText } from '../engine/settings.js';

export type ControlGroup = 'periods' | 'population' | 'outcome' | 'effect' | 'design' | 'measurement' | 'analysis';
export interface SliderControl {
  kind: 'slider';
  path: string;
  label: string;
  group: ControlGroup;
  value: number;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  units: string;
  axis?: number[];
}
export interface SelectControl {
  kind: 'select';
  path: string;
  label: string;
  group: ControlGroup;
  value: string;
  options: string[];
  axis?: string[];
}
export type Control = SliderControl | SelectControl;
export interface EstimatorSwitch {
  name: string;
  type: string;
  on: true;
}
export interface Controls {
  groups: { group: ControlGroup; title: string; controls: Control[] }[];
  estimators: EstimatorSwitch[];
  seed: string;
  draws: number;
}
export function controlsOf(text: string, _label: string): Controls {
  const s = parse(text) as Record<string, any>;
  const groups: Controls['groups'] = [];
  for (const g of ['population', 'outcome', 'effect', 'design'] as ControlGroup[]) {
    const controls: Control[] = [];
    const walk = (o: any, p: string) => {
      for (const [k, v] of Object.entries(o ?? {})) {
        if (typeof v === 'number') {
          const int = Number.isInteger(v);
          controls.push({
            kind: 'slider',
            path: `${p}.${k}`,
            label: k,
            group: g,
            value: v,
            min: 0,
            max: Math.max(2 * v, 1),
            step: int ? 1 : Math.max(2 * v, 1) / 100,
            integer: int,
            units: '',
          });
        } else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, `${p}.${k}`);
      }
    };
    walk(s[g], g);
    groups.push({ group: g, title: g, controls });
  }
  return {
    groups,
    estimators: (s.analysis?.estimators ?? []).map((e: any) => ({ name: e.name, type: e.type, on: true })),
    seed: String(s.seed ?? 1),
    draws: s.draws ?? 1000,
  };
}
export function settingsFor(
  text: string,
  values: Record<string, number | string>,
  off: readonly string[],
): { path: string; value: string }[] {
  const s = parse(text) as Record<string, any>;
  const out = Object.entries(values).map(([path, v]) => ({ path, value: String(v) }));
  if (off.length)
    out.push({ path: 'analysis.estimators', value: JSON.stringify(s.analysis.estimators.filter((e: any) => !off.includes(e.name))) });
  return out;
}
export function scenarioTextFor(
  text: string,
  label: string,
  values: Record<string, number | string>,
  off: readonly string[],
  seed: string,
  draws: number,
): string {
  const t = applySettingsToText(text, label, [
    ...settingsFor(text, values, off),
    { path: 'seed', value: seed },
    { path: 'draws', value: String(draws) },
  ]).text;
  return t;
}
