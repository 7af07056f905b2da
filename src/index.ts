/**
 * Stagger as a library (`import { … } from 'stagger'`): the same functions the `stagger` command runs,
 * curated. Everything here is a stable name; anything not exported is internal and may change.
 *
 * The flow: a scenario (resolveScenarioFile → loadScenario → expandGrid) → one draw of a design point
 * (generateDraw: panel, potential outcomes, truth) → an estimate (buildEstimator(type).estimate(panel,
 * rng)); or the whole Monte Carlo run (runEngine with scenarioSpec) → its diagnosis rows, and the
 * calibration searches (calibrateTarget, fitWorld). Randomness always comes from a seeded stream
 * (streamFor / seeded): the same seed gives the same numbers as the command line.
 */

// Scenarios: files or bundled names → validated Scenario → design points of its grid.
export { resolveScenarioFile, bundledScenarios, type BundledScenario } from './scenario/resolve-scenario.js';
export { loadScenario, parseScenario, expandGrid, findAxes, ScenarioError, formatProblems } from './scenario/index.js';
export type { Scenario, DesignPoint, ResolvedScenario, ScenarioProblem } from './scenario/index.js';
export { scenarioWithSettings, parseSetting, type Setting } from './engine/settings.js';

// Draws: one draw of one design point (the generator), as `stagger simulate` writes it.
export { generateDraw, populationTruth, type Draw, type DrawOutcome, type Truth, type RecruitmentSummary } from './generate.js';
export { generateRunDraw } from './engine/scenario-simulation.js';
export { makePanel, type Panel } from './panel/panel.js';
export { readPanelCsv, parsePanelCsv, PanelCsvError, type PanelColumns } from './panel/csv.js';
export { streamFor, seeded, type Rng } from './random/stream.js';

// Estimators by name (the names of `stagger estimate --estimator` and analysis.estimators[].type).
export { buildEstimator, ESTIMATORS, ESTIMATOR_TYPES, type EstimatorType, type EstimatorConfig } from './estimators/registry.js';
export { EstimatorInputError } from './estimators/errors.js';
export { DidInputError } from './estimators/did/index.js';
export type {
  Estimator,
  Estimate,
  AggregateEstimate,
  AggregationType,
  CellEstimate,
  DetailEstimate,
  WaldPretest,
} from './estimators/types.js';

// The Monte Carlo engine: `stagger run`, `stagger mde` and `stagger merge` without the command line.
export { runEngine, type RunOptions, type RunResult } from './engine/run.js';
export { scenarioSpec, moduleSpec, type ResolvedSpec } from './engine/spec.js';
export { createSimulation, type ScenarioArgs } from './engine/scenario-simulation.js';
export type { Simulation, SimulationSpec, DrawRecord } from './engine/simulation.js';
export { mdeSearch, type MdeSearchOptions, type MdeSearchResult } from './engine/mde.js';
export { mergeRuns } from './engine/merge.js';
export { parseShard, type Shard } from './engine/shard.js';

// Diagnosis: power, bias, RMSE, coverage… with Monte Carlo SEs, from records or a run's stored draws.
export { Diagnosis, type DiagnosisRow, type DesignPointInfo } from './diagnosis/diagnosis.js';
export type { ResultRecord, DiagnosandValue, Target } from './diagnosis/diagnosands.js';
export { rediagnose, keptEventStudies } from './engine/draws-read.js';
export type { KeptEventStudy } from './engine/simulation.js';
export { rowOf as diagnosisRow } from './diagnosis/check.js';
export { summaryTable } from './diagnosis/summary.js';
export { diagnosisCsv } from './diagnosis/tidy.js';

// Sensitivity to parallel trends (Rambachan & Roth 2023, HonestDiD) and pre-test power (Roth 2022).
export { sensitivity, RESTRICTIONS, SHAPED_RESTRICTIONS } from './sensitivity/index.js';
export { defaultBounds, smoothnessUpperBoundMpre } from './sensitivity/default-bounds.js';
export type { Shape, BiasDirection, MonotonicityDirection } from './sensitivity/shape-rows.js';
export { eventStudyFromDynamic } from './sensitivity/from-dynamic.js';
export { pretestPower } from './sensitivity/pretest-power.js';
export type { EventStudyCoefficients, RobustSet, SensitivityResult, CiType, RestrictionMethod } from './sensitivity/types.js';

// Calibration: a world fitted to a history panel; a scenario's settings searched to meet published SEs.
export {
  fitWorld,
  CalibrationInputError,
  OUTCOME_TYPES,
  type WorldFit,
  type FitOptions,
  type CalibratedType,
} from './calibrate/fit-world.js';
export { worldYaml } from './calibrate/world-yaml.js';
export { calibrateTarget, type CalibrationRequest, type CalibrationResult } from './calibrate/run-target.js';
export { parseTarget, parseFree, CalibrateInputError, type TargetSpec, type Statistic } from './calibrate/target-spec.js';

// Reports: report.html (and charts) of a finished run directory.
export { writeReport, type ReportOptions, type ReportResult } from './report/report.js';
