/**
 * The calibrated world as YAML: the `population` and `outcome` parts of a scenario, with a comment
 * above each fitted key saying what it was fitted from (paste them into a scenario with a design).
 */
import { Document, isMap, isScalar, type Pair } from 'yaml';
import type { WorldFit } from './fit-world.js';

export function worldYaml(fit: WorldFit, header: string[]): string {
  const doc = new Document({ population: fit.population, outcome: fit.outcome });
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  const pop = doc.get('population');
  const out = doc.get('outcome');
  const comment = (map: unknown, key: string, text: string) => {
    if (!isMap(map)) return;
    const pair = map.items.find((p: Pair) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) pair.key.commentBefore = ` ${text}`;
  };
  comment(pop, 'size', 'units in the data (a recruitment design ignores it)');
  comment(pop, 'covariates', 'marginals of the unit-level covariates in the data');
  comment(
    pop,
    'correlations',
    'latent (Gaussian-copula) correlations: Pearson, tetrachoric or polyserial by type; none with `level` (not identified apart from covariate_effects)',
  );
  for (const [k, v] of Object.entries(fit.sources)) comment(out, k, v);
  const covs = isMap(pop) ? pop.get('covariates') : undefined;
  for (const [k, v] of Object.entries(fit.covariateSources)) comment(covs, k, v);
  return doc.toString({ lineWidth: 0 });
}
