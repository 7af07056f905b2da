/** The identity every Goodman-Bacon decomposition must satisfy: weights sum to 1, Σ w·β = TWFE. */
import assert from 'node:assert/strict';
import { baconDecomposition, type BaconDecomposition } from '../../../src/estimators/bacon/index.js';
import { estimateTwfe } from '../../../src/estimators/twfe/index.js';
import type { Panel } from '../../../src/panel/panel.js';
import { near } from '../helpers.js';

export function decompose(p: Panel): BaconDecomposition {
  const d = baconDecomposition(p);
  if ('reason' in d) throw new Error(d.reason);
  return d;
}

export function checkIdentity(p: Panel, what: string): BaconDecomposition {
  const d = decompose(p);
  const total = d.terms.reduce((s, t) => s + t.weight, 0);
  near(total, 1, 1e-12, `${what}: weights sum`);
  assert.ok(
    d.terms.every((t) => t.weight >= 0),
    `${what}: weights are non-negative`,
  );
  const twfe = estimateTwfe(p, { eventStudy: false }).aggregates.simple!.att!;
  near(
    d.terms.reduce((s, t) => s + t.weight * t.estimate, 0),
    twfe,
    1e-10,
    `${what}: Σ w·β = TWFE`,
  );
  return d;
}
