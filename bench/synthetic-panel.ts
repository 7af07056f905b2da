/**
 * Seeded synthetic panels for benchmarks, sized as the issues name them. Not the generator (that is
 * src/world + src/design); just a quick balanced panel of the right shape and sparsity.
 */
import { makePanel, type Panel } from '../src/panel/panel.js';
import { seeded, type Rng } from '../src/random/stream.js';

function gauss(rng: Rng): number {
  // Box–Muller; one of the pair is enough for a benchmark.
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export interface SyntheticSpec {
  units: number;
  periods: number;
  /** Start periods of the treated groups. */
  groups: number[];
  /** Share of units ever treated, spread evenly over the groups. */
  treatedShare: number;
  covariates: number;
  binary: boolean;
  /** Everyone is eventually treated (no never-treated units). */
  allTreated?: boolean;
  seed: number;
}

export function syntheticPanel(spec: SyntheticSpec): Panel {
  const rng = seeded(`bench\0${spec.seed}`);
  const { units: n, periods: T, groups } = spec;
  const group = new Float64Array(n);
  const covs: Record<string, Float64Array> = {};
  for (let c = 0; c < spec.covariates; c++) covs[`x${c + 1}`] = new Float64Array(n);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lin = 0;
    for (let c = 0; c < spec.covariates; c++) {
      const v = c % 2 === 0 ? gauss(rng) : rng() < 0.4 ? 1 : 0;
      covs[`x${c + 1}`][i] = v;
      lin += 0.15 * v;
    }
    alpha[i] = lin + 0.5 * gauss(rng);
    const treated = spec.allTreated || rng() < spec.treatedShare;
    group[i] = treated ? groups[Math.floor(rng() * groups.length)] : 0;
  }
  const y = new Float64Array(n * T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const g = group[i];
      const eff = g > 0 && t + 1 >= g ? 0.3 : 0;
      const latent = -1 + alpha[i] + 0.002 * t + eff + gauss(rng);
      y[t * n + i] = spec.binary ? (latent > 0 ? 1 : 0) : latent;
    }
  }
  return makePanel({ periods: Array.from({ length: T }, (_, t) => t + 1), group, y, covariates: covs });
}

/** A long CSV of a panel, in the shape `stagger estimate` reads. */
export function panelCsv(p: Panel): string {
  const names = Object.keys(p.covariates);
  const lines = [['id', 'period', 'first_treat', 'y', ...names].join(',')];
  for (let i = 0; i < p.nUnits; i++) {
    for (let t = 0; t < p.nPeriods; t++) {
      lines.push([p.ids[i], p.periods[t], p.group[i], p.y[t * p.nUnits + i], ...names.map((k) => p.covariates[k][i])].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
