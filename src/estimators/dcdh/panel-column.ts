/** The covariate columns the dcdh family's options name (trends_nonparam, controls, predict_het, random weights). */
import type { Panel } from '../../panel/panel.js';
import { EstimatorInputError } from '../errors.js';

/**
 * The panel's column `name`, or an error saying what it was for and which columns the panel has.
 * @param what the option's words, e.g. `dcdh: control`
 */
export function panelColumn(panel: Panel, name: string, what: string): Float64Array {
  const c = panel.covariates[name];
  if (c) return c;
  const have = Object.keys(panel.covariates);
  throw new EstimatorInputError(`${what} "${name}" is not in the panel (it has: ${have.length ? have.join(', ') : 'no covariates'})`);
}
