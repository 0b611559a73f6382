/** JoMiner: Jominy hardenability prediction and chemistry design (paper: Vannucci & Colla 2021). */
export * from './elements.js';
export type { JominySample } from './dataset.js';
// The seed derivation every JoMiner job stores (handlers derive per-target seeds with it).
export { deriveSeed } from '../runtime/random.js';
export { parseJominyCsv, writeJominyCsv, JominyCsvError, MONOTONE_TOLERANCE_HRC, type CsvIssue, type ParsedJominyCsv } from './csv.js';
export { a255Profile, idealDiameterMm, initialHardness, dividingFactors, A255RangeError, A255_CALC_RANGE, A255_FACTOR_RANGE, A255_IGNORED, type A255Result } from './a255.js';
export { generateSynthetic, synthTruthProfile, synthTailFloor, SYNTH_MODEL_ID, SYNTH_DESCRIPTION, SYNTH_FAMILIES } from './synth.js';
export { trainBr, type BrOptions, type BrResult } from './train-br.js';
export { selectPointInputs, type PointInputs, type InputScore } from './input-selection.js';
export { skillReport, gradeHoldout, NO_SKILL_THRESHOLD, type SkillReport, type SplitMode, type BaselinePoint } from './baselines.js';
export { trainPredictor, JominyPredictor, maxHiddenFor, usedElements, type PredictorModel, type PointNet, type PointMetrics, type TrainOptions } from './predictor.js';
export { martensiteMaxHrc, MARTENSITE_CARBON_PLATEAU, type CappedProfile } from './martensite.js';
export { buildDomain, checkDomain, dataPercentileRanges, type DomainModel, type DomainCheck } from './domain.js';
export { compileObjective, scoreOne, WEIGHT_PRESETS, COST_PRESET, TargetError, type Target, type ObjectiveSpec, type Score } from './objective.js';
export { parseLinearConstraint, satisfiesLinear, ConstraintError, type Constraints, type LinearConstraint } from './constraints.js';
export { fagaControl } from './faga.js';
export { runDesign, defaultConstraints, DEFAULT_GA, SEARCH_KINDS, GA_SHARE, type SearchKind, type GaSettings, type DesignInput, type DesignOutput, type DesignCandidate, type GenerationStat } from './ga.js';
export { profileIndices, elementIndices, type ProfileIndices, type ElementIndex, type PointIndex } from './metrics.js';
export { evaluationTasks, summarise, objectiveFor, SWEEP_R, SWEEP_ALPHA, type ObjectiveKind, type EvaluationSummary } from './evaluate.js';
export { runDesignsInPool, runDesignsInline, type PoolOptions } from './pool.js';
export type { DesignTask, DesignTaskResult, PoolProgress } from './tasks.js';
export { trainInWorker } from './train-job.js';
