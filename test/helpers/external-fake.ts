/**
 * How the tests that loop over every estimator family build `external`: with the protocol's fake
 * estimator (test/estimators/external/fake-estimator.mjs), which answers `simple` = draw / 100 (se 0.1).
 */
export const FAKE_ESTIMATOR = new URL('../../../test/estimators/external/fake-estimator.mjs', import.meta.url).pathname;

/** Options of the external family for a registry build. */
export const EXTERNAL_OPTIONS = { command: `node ${FAKE_ESTIMATOR}`, estimands: ['simple'] };

/** `stagger estimate` flags of the external family. */
export const EXTERNAL_FLAGS = ['--command', `node ${FAKE_ESTIMATOR}`, '--estimands', 'simple'];
