/** Options of an estimator input error: `notIdentified` marks a refusal the data forced (see below). */
export interface EstimatorErrorOptions extends ErrorOptions {
  notIdentified?: boolean;
}

/**
 * Bad input to a comparison estimator (an option or a panel it cannot use): the message says the fix.
 * `notIdentified` is true when the refusal comes from the panel's data, not from an option or a
 * column (no unit ever treated, no start group with a comparison period, a comparison group too small
 * for the covariates): on a user's CSV it is still bad input (exit 2), but in a simulation it is one
 * draw the estimator cannot answer — a not-identified draw with this message as its reason, never the
 * end of the run (engine/unanswered.ts).
 */
export class EstimatorInputError extends Error {
  override name = 'EstimatorInputError';
  readonly notIdentified: boolean;
  constructor(message: string, options: EstimatorErrorOptions = {}) {
    super(message, options);
    this.notIdentified = options.notIdentified ?? false;
  }
}

/** Whether an error is a refusal the data forced (a not-identified draw in a simulation). */
export function isNotIdentified(err: unknown): err is EstimatorInputError {
  return err instanceof EstimatorInputError && err.notIdentified;
}
