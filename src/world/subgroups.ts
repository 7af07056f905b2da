/**
 * Subgroup membership from the scenario's population.subgroups conditions (data, not expressions):
 * a number or level name means equality, { min, max } an inclusive range; all conditions must hold.
 */
import type { ResolvedScenario } from '../scenario/grid.js';

export function subgroupMasks(
  pop: ResolvedScenario['population'],
  covariates: Record<string, Float64Array>,
  n: number,
): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [name, conds] of Object.entries(pop.subgroups)) {
    const m = new Uint8Array(n).fill(1);
    for (const [k, cond] of Object.entries(conds)) {
      const x = covariates[k];
      const spec = pop.covariates[k];
      for (let i = 0; i < n; i++) {
        const v = x[i];
        let ok: boolean;
        if (typeof cond === 'number') ok = v === cond;
        else if (typeof cond === 'string') ok = spec.type === 'categorical' && spec.levels[v] === cond;
        else ok = (cond.min === undefined || v >= cond.min) && (cond.max === undefined || v <= cond.max);
        if (!ok) m[i] = 0;
      }
    }
    out[name] = m;
  }
  return out;
}

/** Panel covariates: binary and normal as they are, categorical as 0/1 dummies for every level but the first. */
export function panelCovariates(
  pop: ResolvedScenario['population'],
  covariates: Record<string, Float64Array>,
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [k, x] of Object.entries(covariates)) {
    const spec = pop.covariates[k];
    if (spec.type !== 'categorical') {
      out[k] = x;
      continue;
    }
    for (let l = 1; l < spec.levels.length; l++) out[`${k}_${spec.levels[l]}`] = Float64Array.from(x, (v) => (v === l ? 1 : 0));
  }
  return out;
}
