/**
 * Potential outcomes from the latent index η and the effect τ (on the outcome's own scale).
 *
 * - binary (social assistance, R1 58 %): Y = 1{U < Φ(c + η)}; Y(1) uses the same U with the
 *   probability moved by τ, so E[Y(1) − Y(0)] = τ exactly unless the probability hits 0 or 1.
 * - earnings (R1: mean 1,990 kr/month, ~28 % with any): any-earnings as binary, times a log-normal
 *   amount with mean mean/share_any; the effect works on the extensive margin (people find work),
 *   a probability shift τ / E[amount], so E[Y(1) − Y(0)] = τ with the same caveat (which bites for
 *   negative τ when many cells have p0 < −τ/E[amount]: R1's −300 is realised as about −210). A uniform U a
 *   cell decides any earnings (U < p); those with any under Y(0) draw their amount from a second
 *   uniform W of their own, independent of U, so the people a negative effect moves out of work
 *   (p1 ≤ U < p0) have amounts distributed as everyone's; those the effect brings into work
 *   (p0 ≤ U < p1) take theirs from Φ⁻¹ of U's position within [p0, p1). People keep their amount
 *   under Y(1).
 * - count (sickness-benefit days 0–max, R1 ~5 days, 24 % sick-listed): any as binary, times days
 *   given any: round(m + sd_any·z) clamped to 1..max, m solved so the mean given any is mean/share_any
 *   (z from the cell's uniforms as for earnings).
 * - continuous: mean + sd·η/sd(η); Y(1) = Y(0) + τ.
 * - scale (R5's 0–10 items): the continuous value rounded and clamped to min..max (bunching at ends);
 *   E[Y(1) − Y(0)] = τ up to the rounding (exact when the raw answer's fractional part is uniform, close
 *   when its sd is well above 1) and less where the clamp at min or max bites.
 * - share (R3 municipal shares): p_it = Φ(c + η), the observed share binomial from the unit's
 *   population by its normal approximation; Y(1) = Y(0) + τ, clamped to [0, 1].
 * c = Φ⁻¹(p)·√(1 + Var η) makes the first-period share p exact when η is normal (covariates enter
 * Var η as if uncorrelated); the noise of each cell is drawn whatever τ is (common random numbers).
 */
import type { UnitStreams } from '../random/stream.js';
import { unitNormal } from '../random/normal.js';
import { normalCdf, normalCdfFast, normalQuantile } from '../random/phi.js';
import { binomialShareApprox } from '../random/binomial.js';
import type { ResolvedScenario } from '../scenario/grid.js';
import { latentVariance, type OutcomeSpec } from './latent.js';

/** Constants of an outcome model, computed once per design point. */
export interface OutcomeModel {
  spec: OutcomeSpec;
  /** Probit intercept (binary-like and share types). */
  c: number;
  /** Scale from η to the outcome (continuous, scale). */
  scale: number;
  /** Mean of the amount given any (earnings, count). */
  meanAmount: number;
  /** Location of days given any before rounding and clamping (count). */
  countLocation: number;
  /** Log-scale location of the amount (earnings). */
  mu: number;
}

/** E[clamp(round(m + s·Z), 1, max)] by summing over the integer outcomes. */
export function meanClampedRounded(m: number, s: number, max: number): number {
  if (s === 0) return Math.min(max, Math.max(1, Math.round(m)));
  let e = 0;
  for (let k = 1; k <= max; k++) {
    const lo = k === 1 ? 0 : normalCdf((k - 0.5 - m) / s);
    const hi = k === max ? 1 : normalCdf((k + 0.5 - m) / s);
    e += k * (hi - lo);
  }
  return e;
}

export function outcomeModel(o: OutcomeSpec, pop: ResolvedScenario['population']): OutcomeModel {
  const v = latentVariance(o, pop);
  const probit = (p: number) => (p <= 0 ? -40 : p >= 1 ? 40 : normalQuantile(p) * Math.sqrt(1 + v));
  const model: OutcomeModel = { spec: o, c: 0, scale: 1, meanAmount: 1, countLocation: 0, mu: 0 };
  switch (o.type) {
    case 'binary':
      model.c = probit(o.p);
      break;
    case 'share':
      model.c = probit(o.p);
      break;
    case 'earnings':
      model.c = probit(o.share_any);
      model.meanAmount = o.share_any > 0 ? o.mean / o.share_any : 0;
      model.mu = Math.log(Math.max(model.meanAmount, 1e-9)) - (o.sdlog * o.sdlog) / 2;
      break;
    case 'count': {
      model.c = probit(o.share_any);
      const target = o.share_any > 0 ? o.mean / o.share_any : 1;
      let lo = -3 * o.max;
      let hi = 4 * o.max;
      for (let it = 0; it < 80; it++) {
        const mid = (lo + hi) / 2;
        if (meanClampedRounded(mid, o.sd_any, o.max) < target) lo = mid;
        else hi = mid;
      }
      model.countLocation = (lo + hi) / 2;
      model.meanAmount = target;
      break;
    }
    case 'continuous':
    case 'scale':
      model.scale = v > 0 ? o.sd / Math.sqrt(v) : 0;
      break;
  }
  return model;
}

const clamp01 = (p: number) => (p < 0 ? 0 : Math.min(p, 1));

/**
 * Y(1) of a binary cell with a persistent effect. Without persistence Y(1) = 1{u < p0 + τ}: among the
 * zeros (u ≥ p0) the person is moved when W = (u − p0)/(1 − p0) < τ/(1 − p0), W uniform and fresh each
 * month; for τ < 0 among the ones when W = (p0 − u)/p0 < −τ/p0. Here W is replaced by
 * Φ(√b·L + √(1 − b)·Φ⁻¹(W)), L the person's own normal: still uniform, so the share moved, and
 * E[Y(1) − Y(0)] = τ, are unchanged (unless p0 + τ leaves [0, 1], as before), but the same people are moved
 * month after month (a spell rather than a coin), with b = 0 exactly today's rule.
 */
function movedBinary(u: number, p0: number, tau: number, level: number, b: number): number {
  if (tau > 0) {
    if (u < p0) return 1;
    const room = 1 - p0;
    if (!(room > 0)) return 1;
    const w = persistentUniform((u - p0) / room, level, b);
    return w < tau / room ? 1 : 0;
  }
  if (!(u < p0)) return 0;
  const w = persistentUniform((p0 - u) / p0, level, b);
  return w < -tau / p0 ? 0 : 1;
}

/** Φ(√b·level + √(1 − b)·Φ⁻¹(w)): a uniform that leans on the person's own level by b. */
function persistentUniform(w: number, level: number, b: number): number {
  const z = normalQuantile(w > 1e-300 ? (w < 1 ? w : 1 - 1e-16) : 1e-300);
  return normalCdf(Math.sqrt(b) * level + Math.sqrt(1 - b) * z);
}

/**
 * The amount's standard normal for someone the effect moves into work, from the cell's uniform u given
 * u fell in [lo, hi) = [p0, p1): (u − lo)/(hi − lo) is then uniform and independent of where the interval
 * lies, so Φ⁻¹ of it is a standard normal.
 */
function amountNormal(u: number, lo: number, hi: number): number {
  const v = (u - lo) / (hi - lo);
  return normalQuantile(v > 1e-300 ? (v < 1 ? v : 1 - 1e-16) : 1e-300);
}

/**
 * The amount's standard normal for someone with any under Y(0), from a second uniform W of the unit's
 * stream, drawn only when u < p0. Why not Φ⁻¹(u/p0) from the one uniform: the people a negative effect
 * moves out of work are those with u in [p1, p0), the top of [0, p0), so they would be the top earners
 * and the effect 2–3× its stated size. W is independent of u, so whoever leaves has amounts
 * distributed as everyone's and E[Y(1) − Y(0)] = (p1 − p0)·E[amount] = τ. Whether W is drawn depends on
 * η and u alone, so Y(0) and the stream's later numbers never depend on τ (common random numbers).
 * W + 2⁻³³ lies in (0, 1): the 32-bit uniform's grid shifted by half a step, so Φ⁻¹ is always finite.
 */
function keptAmountNormal(us: UnitStreams, i: number): number {
  return normalQuantile(us.uniform(i) + 1.1641532182693481e-10);
}

/**
 * Fill one period of y0 and y1 (at offset off) from that period's η and τ rows (length n). Per cell
 * one uniform (binary, earnings, count; scale with heaping; earnings and count draw a second for the
 * amount when any under Y(0)) or one normal (share sampling), always drawn whatever τ is, from the unit's own stream (common random numbers: a unit's outcomes do not
 * depend on how many units the draw has).
 * @param noEffect τ is zero in the whole row (Y(1) = Y(0) then, without computing it)
 * @param unitSize people behind each unit (share type only)
 * @param effectLevel, effectPersistence binary outcomes with effect.persistence b > 0: each unit's own
 *   standard normal, which decides with weight b whether the effect moves the person (movedBinary)
 * @param amountLevel each unit's own standard normal for the amount (earnings, count with
 *   amount_persistence a > 0): the amount's normal is √a·level + √(1 − a)·(the cell's), still N(0, 1)
 *   for everyone, so E[amount] is unchanged, but a person's amounts persist from month to month (register
 *   earnings do: the same job, the same wage)
 */
export function fillOutcomeRow(
  us: UnitStreams,
  m: OutcomeModel,
  eta: Float64Array,
  tau: Float64Array,
  noEffect: boolean,
  y0: Float64Array,
  y1: Float64Array,
  off: number,
  unitSize?: Float64Array,
  amountLevel?: Float64Array,
  effectLevel?: Float64Array,
  effectPersistence = 0,
): void {
  const o = m.spec;
  const n = eta.length;
  const a = (o.type === 'earnings' || o.type === 'count') && amountLevel ? o.amount_persistence : 0;
  const own = Math.sqrt(a);
  const cell = Math.sqrt(1 - a);
  // z of the cell, with the unit's own part when amounts persist (a = 0: z itself, today's numbers).
  const withLevel = (z: number, i: number) => (a > 0 ? own * amountLevel![i] + cell * z : z);
  switch (o.type) {
    case 'binary':
      for (let i = 0; i < n; i++) {
        const p0 = normalCdfFast(m.c + eta[i]);
        const u = us.uniform(i);
        const v = u < p0 ? 1 : 0;
        y0[off + i] = v;
        if (noEffect || tau[i] === 0) y1[off + i] = v;
        else if (!effectLevel) y1[off + i] = u < clamp01(p0 + tau[i]) ? 1 : 0;
        else y1[off + i] = movedBinary(u, p0, tau[i], effectLevel[i], effectPersistence);
      }
      return;
    case 'earnings': {
      const inv = 1 / m.meanAmount;
      const { mu } = m;
      const sdlog = o.sdlog;
      for (let i = 0; i < n; i++) {
        const p0 = normalCdfFast(m.c + eta[i]);
        const u = us.uniform(i);
        const p1 = noEffect || tau[i] === 0 ? p0 : clamp01(p0 + tau[i] * inv);
        y0[off + i] = u < p0 ? Math.exp(mu + sdlog * withLevel(keptAmountNormal(us, i), i)) : 0;
        y1[off + i] = !(u < p1) ? 0 : u < p0 ? y0[off + i] : Math.exp(mu + sdlog * withLevel(amountNormal(u, p0, p1), i));
      }
      return;
    }
    case 'count': {
      const inv = 1 / m.meanAmount;
      const days = (z: number) => {
        const r = Math.round(m.countLocation + o.sd_any * z);
        return r < 1 ? 1 : Math.min(r, o.max);
      };
      for (let i = 0; i < n; i++) {
        const p0 = normalCdfFast(m.c + eta[i]);
        const u = us.uniform(i);
        const p1 = noEffect || tau[i] === 0 ? p0 : clamp01(p0 + tau[i] * inv);
        y0[off + i] = u < p0 ? days(withLevel(keptAmountNormal(us, i), i)) : 0;
        y1[off + i] = !(u < p1) ? 0 : u < p0 ? y0[off + i] : days(withLevel(amountNormal(u, p0, p1), i));
      }
      return;
    }
    case 'continuous':
      for (let i = 0; i < n; i++) {
        const v = o.mean + m.scale * eta[i];
        y0[off + i] = v;
        y1[off + i] = v + tau[i];
      }
      return;
    case 'scale': {
      const heapAt = o.heap?.at ?? [];
      const heapShare = o.heap?.share ?? 0;
      // An answer: rounded and clamped to min..max, or (with the cell's uniform below heapShare) the
      // heap value nearest to it; Y(1) uses the same uniform.
      const answer = (raw: number, heaped: boolean) => {
        const v = Math.min(o.max, Math.max(o.min, Math.round(raw)));
        if (!heaped) return v;
        let best = heapAt[0];
        for (const h of heapAt) if (Math.abs(h - v) < Math.abs(best - v)) best = h;
        return best;
      };
      for (let i = 0; i < n; i++) {
        const raw = o.mean + m.scale * eta[i];
        const heaped = heapShare > 0 && us.uniform(i) < heapShare;
        const v = answer(raw, heaped);
        y0[off + i] = v;
        y1[off + i] = noEffect || tau[i] === 0 ? v : answer(raw + tau[i], heaped);
      }
      return;
    }
    case 'share': {
      if (!unitSize) throw new Error('fillOutcomeRow: share outcomes need unit population sizes');
      for (let i = 0; i < n; i++) {
        const p0 = normalCdfFast(m.c + eta[i]);
        const v = binomialShareApprox(unitNormal(us, i), unitSize[i], p0);
        y0[off + i] = v;
        y1[off + i] = noEffect || tau[i] === 0 ? v : clamp01(v + tau[i]);
      }
      return;
    }
  }
}
