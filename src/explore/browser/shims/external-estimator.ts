/**
 * estimators/external/index.ts for the explorer's bundle: an external estimator is another program
 * started over pipes, which a browser page cannot do (scripts/bundle-explorer.mjs maps the module here).
 */
import { EstimatorInputError } from '../../../estimators/errors.js';
import type { Estimator } from '../../../estimators/types.js';

const refuse = (): never => {
  throw new EstimatorInputError(
    'type external starts a program, which the explorer page cannot do; diagnose the scenario with `stagger run`',
  );
};
export const externalEstimator = (): Estimator => refuse();
export const resolveCommand = (): { program: string; args: string[] } => refuse();
export const closeExternalProcesses = (): void => {};
