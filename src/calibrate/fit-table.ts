/**
 * The fit table: simulate the fitted world with the real generator (the written population and
 * outcome parts, parsed as a scenario with a design of no adopters, drawn by generateDraw) and set
 * each draw's moments beside the data's. simulated = mean over draws, mc_se = SD over draws / √draws.
 */
import { stringify } from 'yaml';
import { expandGrid, generateDraw, parseScenario } from '../generate.js';
import type { Panel } from '../panel/panel.js';
import { panelMoments, type PanelMoments } from './panel-moments.js';
import { placeboSe, placeboStarts } from './placebo.js';

export interface MomentRow {
  name: string;
  observed: number | null;
  simulated: number | null;
  mc_se: number | null;
  reason?: string;
}

/** A row with the SD over draws: how much one panel of the data's size varies in the fitted world. */
export interface FitRow extends MomentRow {
  draw_sd: number | null;
}

/** The rows as `--json` prints them: name, observed, simulated, mc_se (and a reason where one is null). */
export function jsonRows(rows: FitRow[]): MomentRow[] {
  return rows.map(({ draw_sd: _, ...r }) => r);
}

const LAGS = [1, 12];

function flat(m: PanelMoments, T: number): Record<string, number> {
  const out: Record<string, number> = { mean: m.mean, sd: m.sd, share_zero: m.share_zero };
  for (const k of LAGS) if (k < T - 1) out[`autocorr_lag${k}`] = m.autocorr[k];
  out.between_unit_share = m.between_unit_share;
  return out;
}

/** The scenario the fit table simulates: the world YAML plus periods and an adoption design with no adopters. */
export function simulationScenarioText(worldText: string, T: number): string {
  const frame = {
    name: 'calibrated',
    periods: { first: 1, count: T },
    design: { type: 'adoption', schedule: [{ period: 1, members: 0 }] },
  };
  return stringify(frame) + worldText;
}

export function fitTable(data: Panel, worldText: string, seed: number | string, draws: number): FitRow[] {
  const T = data.nPeriods;
  const n = data.nUnits;
  const starts = placeboStarts(seed, n, T);
  const observed = flat(panelMoments(data.y, n, T, LAGS), T);
  const obsPlacebo = placeboSe(data, starts);
  const [point] = expandGrid(parseScenario(simulationScenarioText(worldText, T), 'calibrated world'));
  const sims: Record<string, number[]> = {};
  const simPlacebo: number[] = [];
  let placeboReason: string | undefined;
  for (let d = 0; d < draws; d++) {
    const draw = generateDraw(point, seed, d);
    const p = draw.panel;
    for (const [k, v] of Object.entries(flat(panelMoments(p.y, p.nUnits, p.nPeriods, LAGS), T))) (sims[k] ??= []).push(v);
    const ps = placeboSe(p, starts);
    if (ps.se !== null) simPlacebo.push(ps.se);
    else placeboReason = ps.reason;
  }
  const summary = (name: string, obs: number | null, xs: number[], reason?: string): FitRow => {
    if (xs.length === 0)
      return { name, observed: obs, simulated: null, mc_se: null, draw_sd: null, reason: reason ?? 'no simulated draw gave a value' };
    const m = xs.reduce((s, v) => s + v, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1)) : NaN;
    const many = xs.length > 1;
    return {
      name,
      observed: obs,
      simulated: m,
      mc_se: many ? sd / Math.sqrt(xs.length) : null,
      draw_sd: many ? sd : null,
      ...(many ? {} : { reason: 'one draw: no MC SE (use --draws ≥ 2)' }),
    };
  };
  const rows = Object.keys(observed).map((k) => summary(k, observed[k], sims[k] ?? []));
  rows.push(summary('placebo_se', obsPlacebo.se, simPlacebo, placeboReason ?? obsPlacebo.reason));
  if (obsPlacebo.se === null) rows[rows.length - 1].reason = `on the data: ${obsPlacebo.reason}`;
  return rows;
}

/**
 * The fit table as text: moment | observed | simulated ± MC SE | draw SD | z, where
 * z = (observed − simulated)/√(draw SD² + MC SE²): the data are one panel, so they differ from the
 * world's mean by about one draw SD even when the world is right.
 */
export function fitTableText(rows: FitRow[], draws: number): string {
  const f = (v: number | null) => (v === null ? 'n/a' : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(4));
  const lines = [
    `Fit: the fitted world simulated ${draws} times beside the data`,
    `  ${'moment'.padEnd(20)} ${'observed'.padStart(12)} ${'simulated'.padStart(12)} ${'± MC SE'.padStart(10)} ${'draw SD'.padStart(10)} ${'z'.padStart(6)}`,
  ];
  for (const r of rows) {
    const spread = r.draw_sd !== null && r.mc_se !== null ? Math.sqrt(r.draw_sd ** 2 + r.mc_se ** 2) : 0;
    const z = r.observed !== null && r.simulated !== null && spread > 0 ? ((r.observed - r.simulated) / spread).toFixed(1) : '';
    lines.push(
      `  ${r.name.padEnd(20)} ${f(r.observed).padStart(12)} ${f(r.simulated).padStart(12)} ${(r.mc_se === null ? '' : f(r.mc_se)).padStart(10)} ${(r.draw_sd === null ? '' : f(r.draw_sd)).padStart(10)} ${z.padStart(6)}${r.reason ? `  (${r.reason})` : ''}`,
    );
  }
  lines.push("  draw SD: spread of the moment over simulated panels of the data's size (the data are one such panel);");
  lines.push('  z = (observed − simulated)/√(draw SD² + MC SE²): |z| > 3 says the fitted world does not reproduce this moment.');
  return `${lines.join('\n')}\n`;
}
