/**
 * The estimands of Roth & Sant'Anna (2023, section 2.3) as weight matrices on the cohort means, each a
 * weighted sum of ATT(g,t) cells (addCell): over the identified cells, t ≥ g and t before the last
 * cohort starts (any t when some units are never treated),
 *   simple   Σ N_g ATT(g,t) / Σ N_g over all cells (the package's "simple");
 *   cohort   θ_g = mean over t of ATT(g,t); overall Σ N_g θ_g / Σ N_g ("cohort");
 *   calendar θ_t = Σ_{g ≤ t} N_g ATT(g,t) / Σ N_g; overall mean over t ("calendar");
 *   event    θ_e = Σ N_g ATT(g, g+e) / Σ N_g over cohorts with a comparison at g+e ("eventstudy");
 *            overall (ours, as R did's dynamic) the mean of θ_e over 0 ≤ e ≤ max_e.
 * These are R did's aggregations with group shares as weights, so the engine's truths apply unchanged.
 */
import { addCell, emptyEstimand, type CohortSummaries, type LinearEstimand } from './efficient.js';

/** Σ w_j E_j for estimands of the same panel. */
export function combineEstimands(cs: CohortSummaries, parts: { e: LinearEstimand; w: number }[]): LinearEstimand {
  const out = emptyEstimand(cs);
  for (const { e, w } of parts) {
    for (let j = 0; j < out.A.length; j++) {
      out.A[j] += w * e.A[j];
      out.A0[j] += w * e.A0[j];
    }
  }
  return out;
}

/** Treated cohorts: those starting inside the panel (not the never treated). */
function treated(cs: CohortSummaries): number[] {
  return cs.start.map((_, k) => k).filter((k) => cs.first[k] < cs.T);
}

/** Periods t (indices) of cohort k's identified post-treatment cells. */
function postPeriods(cs: CohortSummaries, k: number): number[] {
  const out: number[] = [];
  for (let t = cs.first[k]; t < cs.aMax; t++) out.push(t);
  return out;
}

export function cellEstimand(cs: CohortSummaries, k: number, t: number): LinearEstimand | null {
  const e = emptyEstimand(cs);
  return addCell(cs, e, k, t, 1) ? e : null;
}

export function simpleEstimand(cs: CohortSummaries): LinearEstimand | null {
  const cells = treated(cs).flatMap((k) => postPeriods(cs, k).map((t) => ({ k, t })));
  const W = cells.reduce((s, c) => s + cs.size[c.k], 0);
  if (W === 0) return null;
  const e = emptyEstimand(cs);
  for (const c of cells) addCell(cs, e, c.k, c.t, cs.size[c.k] / W);
  return e;
}

export function cohortEstimand(cs: CohortSummaries, k: number): LinearEstimand | null {
  const ts = postPeriods(cs, k);
  if (ts.length === 0) return null;
  const e = emptyEstimand(cs);
  for (const t of ts) addCell(cs, e, k, t, 1 / ts.length);
  return e;
}

/** Cohort detail rows and their N_g-weighted overall. */
export function cohortEstimands(cs: CohortSummaries): { detail: { key: number; e: LinearEstimand }[]; overall: LinearEstimand | null } {
  const detail = treated(cs).flatMap((k) => {
    const e = cohortEstimand(cs, k);
    return e ? [{ key: cs.start[k], k, e }] : [];
  });
  const W = detail.reduce((s, d) => s + cs.size[d.k], 0);
  const overall =
    W > 0
      ? combineEstimands(
          cs,
          detail.map((d) => ({ e: d.e, w: cs.size[d.k] / W })),
        )
      : null;
  return { detail: detail.map(({ key, e }) => ({ key, e })), overall };
}

export function calendarEstimand(cs: CohortSummaries, t: number): LinearEstimand | null {
  const ks = treated(cs).filter((k) => cs.first[k] <= t);
  const W = ks.reduce((s, k) => s + cs.size[k], 0);
  if (W === 0 || t >= cs.aMax) return null;
  const e = emptyEstimand(cs);
  for (const k of ks) addCell(cs, e, k, t, cs.size[k] / W);
  return e;
}

/** Calendar detail rows (key: period label) and their mean. */
export function calendarEstimands(
  cs: CohortSummaries,
  periods: ArrayLike<number>,
): { detail: { key: number; e: LinearEstimand }[]; overall: LinearEstimand | null } {
  const detail: { key: number; e: LinearEstimand }[] = [];
  for (let t = 0; t < cs.T; t++) {
    const e = calendarEstimand(cs, t);
    if (e) detail.push({ key: periods[t], e });
  }
  const overall =
    detail.length > 0
      ? combineEstimands(
          cs,
          detail.map((d) => ({ e: d.e, w: 1 / detail.length })),
        )
      : null;
  return { detail, overall };
}

/** θ_e, or null when no cohort has a comparison cohort e periods after its start. */
export function eventEstimand(cs: CohortSummaries, ev: number): LinearEstimand | null {
  const ks = treated(cs).filter((k) => {
    const t = cs.first[k] + ev;
    return t >= 0 && Math.max(t, cs.first[k]) < cs.aMax;
  });
  const W = ks.reduce((s, k) => s + cs.size[k], 0);
  if (W === 0) return null;
  const e = emptyEstimand(cs);
  for (const k of ks) addCell(cs, e, k, cs.first[k] + ev, cs.size[k] / W);
  return e;
}

/** Event-time rows over [minE, maxE] (those identified) and the mean over e ≥ 0. */
export function eventEstimands(
  cs: CohortSummaries,
  minE: number,
  maxE: number,
): { detail: { key: number; e: LinearEstimand }[]; overall: LinearEstimand | null } {
  const lo = Math.max(minE, -cs.T),
    hi = Math.min(maxE, cs.T);
  const detail: { key: number; e: LinearEstimand }[] = [];
  for (let ev = lo; ev <= hi; ev++) {
    const e = eventEstimand(cs, ev);
    if (e) detail.push({ key: ev, e });
  }
  const post = detail.filter((d) => d.key >= 0);
  const overall =
    post.length > 0
      ? combineEstimands(
          cs,
          post.map((d) => ({ e: d.e, w: 1 / post.length })),
        )
      : null;
  return { detail, overall };
}
