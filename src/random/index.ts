/** The random module's one entry: seeded streams and the distributions, each taking its source first. */
export { streamFor, seeded, type Rng, type Step } from './stream.js';
export { randomNormal, standardNormal } from './normal.js';
export { randomPoisson } from './poisson.js';
export { randomBinomial, binomialShareApprox } from './binomial.js';
export { randomLogNormalMean, randomGamma } from './lognormal.js';
export { randomCategorical, shuffleInPlace, permutation } from './discrete.js';
export { normalCdf, normalCdfFast, normalQuantile } from './phi.js';
