/**
 * An unbalanced copy of a reference panel for the dcdh parity with the package's own R source on
 * missing data: from a CSV (the discrete panel, or the wagepan export), seeded and deterministic, it
 * deletes some rows outright, empties some outcomes and some treatments, and adds a weight column `wt`
 * that varies over time (the package's N_{g,t}), so every one of did_multiplegt_dyn's missing-data
 * conventions is met (a treatment missing before the first change, between the last observed one and
 * the change, after it; a never-switcher's last treatment; a gap under the reference period). Rebuilt
 * at test time; nothing is committed but this generator.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { seeded } from '../../../src/random/stream.js';

export interface Gaps {
  /** Names of the treatment and outcome columns to empty. */
  treatment: string;
  outcome: string;
  /** Shares of rows deleted, of outcomes emptied, of treatments emptied. */
  absent: number;
  outcomeMissing: number;
  treatmentMissing: number;
  /** A copy of this column with this share of values emptied (from its own stream), appended as `<column>m`. */
  controlMissing?: { column: string; share: number };
  /**
   * Write the deleted rows back with an empty outcome and treatment (their other columns kept): the
   * same panel with every gap a row of missing values, which the package reads apart from an absent
   * row under `continuous` (see continuous.ts).
   */
  explicit?: boolean;
}

export function gappedCsv(source: string, file: string, seed: string, g: Gaps): void {
  const rng = seeded(seed);
  const [header, ...rows] = readFileSync(source, 'utf8').trimEnd().split('\n');
  const names = header.split(',').map((s) => s.replace(/"/g, ''));
  const iy = names.indexOf(g.outcome),
    id = names.indexOf(g.treatment);
  if (iy < 0 || id < 0) throw new Error(`gappedCsv: ${source} has no column ${g.outcome} or ${g.treatment}`);
  const ic = g.controlMissing ? names.indexOf(g.controlMissing.column) : -1;
  if (g.controlMissing && ic < 0) throw new Error(`gappedCsv: ${source} has no column ${g.controlMissing.column}`);
  const crng = seeded(`${seed}:control`);
  const out = [`${names.join(',')},wt${g.controlMissing ? `,${g.controlMissing.column}m` : ''}`];
  for (const row of rows) {
    const f = row.split(',');
    // Fixed draws per row, whatever is kept, so the shares are independent of one another.
    const a = rng(),
      y = rng(),
      d = rng(),
      w = rng();
    const c = g.controlMissing ? (crng() < g.controlMissing.share ? 'NA' : f[ic]) : undefined;
    if (a < g.absent) {
      if (!g.explicit) continue;
      f[iy] = 'NA';
      f[id] = 'NA';
    }
    if (y < g.outcomeMissing) f[iy] = 'NA';
    if (d < g.treatmentMissing) f[id] = 'NA';
    out.push(`${f.join(',')},${1 + Math.floor(w * 4)}${c === undefined ? '' : `,${c}`}`);
  }
  writeFileSync(file, `${out.join('\n')}\n`);
}

/** The gapped panels of the package fixtures: per panel, its source CSV's key in referenceCsvs, the seed and the shares. */
export const GAPS = {
  discrete: {
    from: 'y',
    seed: 'dcdh-gaps-discrete',
    treatment: 'd',
    outcome: 'y',
    absent: 0.06,
    outcomeMissing: 0.04,
    treatmentMissing: 0.06,
    controlMissing: { column: 'x', share: 0.04 },
  },
  wagepan: {
    from: 'lwage',
    seed: 'dcdh-gaps-wagepan',
    treatment: 'union',
    outcome: 'lwage',
    absent: 0.05,
    outcomeMissing: 0.03,
    treatmentMissing: 0.04,
    controlMissing: { column: 'married', share: 0.03 },
  },
};
