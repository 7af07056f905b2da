/** Scenario files: YAML → typed, validated Scenario; list-valued settings become design-grid axes. */
export { loadScenario, parseScenario, readScenarioBytes, readScenarioText } from './load.js';
export { expandGrid, findAxes, type DesignPoint, type ResolvedScenario } from './grid.js';
export { ScenarioError, formatProblems, type ScenarioProblem } from './errors.js';
export { Axis, type Resolved } from './axis.js';
export type { Scenario } from './schema.js';
