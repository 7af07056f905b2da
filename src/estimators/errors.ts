/** Bad input to a comparison estimator (an option or a panel it cannot use): the message says the fix. */
export class EstimatorInputError extends Error {
  override name = 'EstimatorInputError';
}
