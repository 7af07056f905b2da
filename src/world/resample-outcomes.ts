/**
 * Y(0) and Y(1) of a resampled world (population.from_panel). Y(0) of person i in scenario period t is
 * their source unit's value in the panel's t-th period, exactly (never depending on τ: common random
 * numbers). Y(1) = Y(0) + the effect, applied so that Y(1) stays a valid value of the outcome type and
 * E[Y(1) − Y(0)] = τ for a unit drawn from the panel (p_t, m_t, A_t: the panel's share with y > 0, mean
 * and mean given y > 0 in period t; u: the cell's one uniform from the person's own stream, drawn for
 * every period of every treated person whatever τ is):
 *   continuous  Y(1) = Y(0) + τ.
 *   binary      τ > 0: a zero becomes 1 when u < τ/(1 − p_t); E = (1 − p_t)·τ/(1 − p_t) = τ.
 *               τ < 0: a one becomes 0 when u < −τ/p_t; E = −p_t·τ/p_t·(−1) = τ.
 *   earnings,   τ > 0: the extensive margin, as the parametric world (people find work): a zero gets an
 *   count       amount when u < q = τ/((1 − p_t)·A_t), the amount drawn from the panel's positive values
 *               of period t by u/q (uniform given u < q), so E = (1 − p_t)·q·A_t = τ.
 *               τ < 0: anyone with y > 0 drops to 0 when u < −τ/m_t, whatever their amount (no
 *               top-earner selection), so E = −m_t·(−τ/m_t) = τ.
 *   share       deterministic: τ > 0: Y(0) + τ·(1 − Y(0))/(1 − m_t); τ < 0: Y(0) + τ·Y(0)/m_t; E = τ.
 * The factors are capped at 1 when a unit's τ exceeds the period's room (a scenario whose population
 * effect does is rejected when it loads; unit multipliers can still push single units over, as in the
 * parametric world). E = τ holds over the panel's units: when the design selects people by their level
 * (consent_by level) the treated's own zero share differs and so does their mean effect; the sample
 * truth (from Y(1) − Y(0)) is exact either way.
 */
import type { Rng } from '../random/stream.js';
import { UnitStreams } from '../random/stream.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import type { RecruitedSample } from '../design/recruited-sample.js';
import { EffectRows, unitMultipliers } from './effects.js';
import { panelWorld, periodMoments } from './resample-panel.js';

export function resampledOutcomes(
  s: ResolvedScenario,
  cohort: RecruitedSample,
  periods: Float64Array,
  rng: { unit: Rng; effects: Rng },
): { y0: Float64Array; y1: Float64Array; y: Float64Array } {
  const w = panelWorld(s.population.from_panel!);
  const src = cohort.people.source;
  if (!src) throw new Error('resampledOutcomes: the cohort has no source units (people not drawn from the panel)');
  const { y: py, nUnits: N, nPeriods: TP } = w.history.panel;
  const n = cohort.people.n;
  const T = periods.length;
  if (T > TP) throw new Error(`periods.count is ${T} but the panel ${w.spec.file} has ${TP} periods`);
  const y0 = new Float64Array(n * T);
  for (let t = 0; t < T; t++) {
    const row = t * N;
    const off = t * n;
    for (let i = 0; i < n; i++) y0[off + i] = py[row + src[i]];
  }
  const y1 = y0.slice();
  const mult = unitMultipliers(rng.effects, s.effect, s.population, cohort.rank, cohort.people.covariates);
  const effects = new EffectRows(s.effect, periods, cohort.start, mult);
  const type = s.outcome.type;
  const treated: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(cohort.start[i])) treated.push(i);
  if (treated.length === 0) return { y0, y1, y: y1.slice() };
  const random = type === 'binary' || type === 'earnings' || type === 'count';
  const us = random ? new UnitStreams(rng.unit, n) : null;
  const m = type === 'continuous' ? null : periodMoments(w);
  const tau = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    effects.row(t, tau);
    const off = t * n;
    const p = m ? m.share[t] : 0;
    const mean = m ? m.mean[t] : 0;
    const upAmount = m ? (1 - p) * m.meanPositive[t] : 0;
    const pos = m ? m.positive[t] : null;
    for (const i of treated) {
      const u = us ? us.uniform(i) : 0; // drawn whatever τ is: the same uniform for a cell at every τ
      const e = tau[i];
      if (e === 0) continue;
      const v = y0[off + i];
      switch (type) {
        case 'continuous':
          y1[off + i] = v + e;
          break;
        case 'binary':
          if (e > 0 ? v === 0 && u < e / (1 - p) : v === 1 && u < -e / p) y1[off + i] = 1 - v;
          break;
        case 'earnings':
        case 'count':
          if (e > 0) {
            const q = e / upAmount;
            if (v === 0 && u < q && pos!.length > 0)
              y1[off + i] = pos![Math.min(pos!.length - 1, Math.floor((q < 1 ? u / q : u) * pos!.length))];
          } else if (v > 0 && u < -e / mean) y1[off + i] = 0;
          break;
        case 'share':
          y1[off + i] = e > 0 ? v + Math.min(1, e / (1 - mean)) * (1 - v) : v - Math.min(1, -e / mean) * v;
          break;
        default:
          throw new Error(`outcome type ${type} is not supported with population.from_panel`);
      }
    }
  }
  return { y0, y1, y: y1.slice() };
}
