import { z } from 'zod';
import { CHEMISTRY_CODES } from './jominy-chemistry.js';

/**
 * Sentences the core writes (warnings, notes, interval and coverage words) as a stable code and its
 * parameters, beside the English sentence (issue 15): the CLI prints the English `text`; the renderer words the
 * code through `t('phrases:<code>', params)` and the PDF report through core/report/report-i18n.ts, from the one
 * catalog core/api/i18n/<lang>/phrases.json. A number that the sentence shows with a fixed number of decimals
 * travels as `{ value, digits }`, so each side writes it with its language's decimal mark.
 *
 * Every code the core can emit is in PHRASE_CODES (the builder takes nothing else), and a test checks that each
 * has its words in English, Chinese and Italian and that the catalogs hold no other.
 */
export const PHRASE_CODES = [
  // JoMiner predictor skill (core/jominy/baselines.ts)
  'jominy.noSkill.otherGrades',
  'jominy.noSkill.gradeMean',
  'jominy.gradeBaseline.otherGrades',
  'jominy.gradeBaseline.sameGrade',
  'jominy.gradeBaseline.sameGradeFallback',
  // JoMiner design (core/services/jominy/design.ts)
  'jominy.trust.noEnsemble',
  // a fit's figures and which points they were computed on (core/ml/fit-words.ts)
  'fit.words',
  'fit.sample.unknown',
  'fit.sample.inSample',
  'fit.sample.heldOut',
  'fit.sample.outOfSample',
  // calibrated intervals (core/ml/conformal.ts coverageWords)
  'interval.none',
  'interval.notMeasured',
  'interval.measured',
  // a model's physical scale on an image (core/segregation/cnn/scale.ts, core/services/cnn/model-scale.ts)
  'scale.unknownNative',
  'scale.unknownStored',
  'scale.enlarged',
  'scale.coarser',
  // maps (core/maps/coverage.ts, core/maps/measured-map.ts)
  'maps.coverage.hull',
  'maps.coverage.disc',
  'maps.method.measured',
  // measure fewer points (core/segregation/fewer-points/correct.ts, core/services/fewer-points/correct-plan.ts)
  'fewer.slope.notSignificant',
  'fewer.slope.outsideGuard',
  'fewer.slope.used',
  'fewer.intervalMethod',
  // a readings CSV's refused line (core/segregation/readings-csv.ts)
  'csv.labelEmpty',
  'csv.labelUnknownNone',
  'csv.labelUnknownList',
  'csv.labelUnknownRange',
  'csv.carbonEmpty',
  'csv.cell',
  'csv.replicate',
  // chemistry as typed (core/api/jominy-chemistry.ts, core/jominy/elements.ts)
  ...CHEMISTRY_CODES,
  // jobs (core/jobs/job-manager.ts)
  'jobs.notFound',
  'jobs.starting',
  // a Jominy CSV's refused cells, columns and lines, and its warnings (core/jominy/csv.ts, csv-columns.ts, csv-cell-phrases.ts)
  'jominyCsv.refused', 'jominyCsv.commaFileDecimalComma', 'jominyCsv.empty', 'jominyCsv.tooManyHeats',
  'jominyCsv.multilineQuoted', 'jominyCsv.unitUnknown', 'jominyCsv.unitConflictMm', 'jominyCsv.unitConflictSixteenths',
  'jominyCsv.scaleUnknown', 'jominyCsv.noCarbon', 'jominyCsv.noHardnessColumns', 'jominyCsv.oneHardnessColumn',
  'jominyCsv.ambiguousMark', 'jominyCsv.fieldCount', 'jominyCsv.scaleCell', 'jominyCsv.grainSize',
  'jominyCsv.hvOutside', 'jominyCsv.hrcOutside', 'jominyCsv.hrcOutsideHv', 'jominyCsv.flatsDiffer',
  'jominyCsv.flatsDifferHv', 'jominyCsv.noHardnessRow', 'jominyCsv.reversed', 'jominyCsv.rise',
  'jominyCsv.heatTwice', 'jominyCsv.cutShort', 'jominyCsv.cutShortOne', 'jominyCsv.noHeats',
  'jominyCsv.column.ppm', 'jominyCsv.column.twoScales', 'jominyCsv.column.mmInSixteenths', 'jominyCsv.column.offBarSixteenths',
  'jominyCsv.column.offBarMm', 'jominyCsv.column.unknown', 'jominyCsv.column.distanceTwice', 'jominyCsv.column.flatTwice',
  'jominyCsv.column.twice', 'jominyCsv.column.singleAndFlats', 'jominyCsv.column.flatUnpaired', 'jominyCsv.column.flatScales',
  'jominyCsv.element.detectionLimit', 'jominyCsv.element.notDecimal', 'jominyCsv.element.tooLarge', 'jominyCsv.element.tooSmallZero',
  'jominyCsv.element.tooSmall', 'jominyCsv.element.notDecimalToken', 'jominyCsv.element.wrongMarkDeclared', 'jominyCsv.element.wrongMarkCommaFile',
  'jominyCsv.element.wrongMarkFileCommas', 'jominyCsv.element.wrongMarkFilePoints', 'jominyCsv.hardness.detectionLimit', 'jominyCsv.hardness.notDecimal',
  'jominyCsv.hardness.tooLarge', 'jominyCsv.hardness.tooSmallZero', 'jominyCsv.hardness.tooSmall', 'jominyCsv.hardness.notDecimalToken',
  'jominyCsv.hardness.wrongMarkDeclared', 'jominyCsv.hardness.wrongMarkCommaFile', 'jominyCsv.hardness.wrongMarkFileCommas', 'jominyCsv.hardness.wrongMarkFilePoints',
  // JoMiner's errors: services (core/services/jominy/*), repos (core/store/repos/jominy-*, design-sessions-repo.ts) and the
  // domain's refusals of targets, constraints and A255 ranges (core/jominy/objective.ts, constraints.ts, ga.ts, a255.ts)
  'jominyErrors.csvTooLarge', 'jominyErrors.noHeatsOfGrade', 'jominyErrors.datasetNotFound', 'jominyErrors.predictorNotFound',
  'jominyErrors.evaluationNotFound', 'jominyErrors.gradeNotFound', 'jominyErrors.gradeExists', 'jominyErrors.sessionNotFound',
  'jominyErrors.predictorFileUnreadable', 'jominyErrors.tooFewHeats', 'jominyErrors.tooFewComplete', 'jominyErrors.inputsEarlierOnly',
  'jominyErrors.needsInput', 'jominyErrors.inputsNotAnalysed', 'jominyErrors.inputsSparse', 'jominyErrors.byGradeNoGrade',
  'jominyErrors.byGradeOneGrade', 'jominyErrors.datasetDeleted', 'jominyErrors.targetsNotStandard', 'jominyErrors.targetsNotStandardSixteenths',
  'jominyErrors.targetsGaps', 'jominyErrors.targetsGapsLine', 'jominyErrors.targetsPartial', 'jominyErrors.targetsPartialLine',
  'jominyErrors.noTargets', 'jominyErrors.sdWeightNoEnsemble', 'jominyErrors.missingForPredictor', 'jominyErrors.missingForPredictorOne',
  'jominyErrors.missingForA255', 'jominyErrors.missingForA255One', 'jominyErrors.notInDataset', 'jominyErrors.outsideGradeValue',
  'jominyErrors.outsideGradeRange', 'jominyErrors.rangeFromData', 'jominyErrors.meetNeedsBand', 'jominyErrors.meetNeedsTolerances',
  'jominyErrors.meetNeedsEnsemble', 'jominyErrors.constraintUnreadable', 'jominyErrors.constraintUnknownElement', 'jominyErrors.constraintTerm',
  'jominyErrors.rangesCount', 'jominyErrors.rangeNotFinite', 'jominyErrors.noFeasibleChemistry', 'jominyErrors.targetCurveLength',
  'jominyErrors.bandLength', 'jominyErrors.bandOrder', 'jominyErrors.targetNotHrc', 'jominyErrors.targetEmpty',
  'jominyErrors.weightsShape', 'jominyErrors.weightsZero', 'jominyErrors.costsShape', 'jominyErrors.betaNegative',
  'jominyErrors.a255Factors', 'jominyErrors.a255Range',
  // JoMiner's job messages: training (core/jominy/predictor.ts, ensemble.ts, element-gaps.ts, core/services/jominy/training.ts),
  // design and evaluation progress (core/services/jominy/design.ts, evaluation.ts)
  'jominyJobs.notInput', 'jominyJobs.leftOutOne', 'jominyJobs.leftOut', 'jominyJobs.trainPoint',
  'jominyJobs.ensembleStart', 'jominyJobs.ensembleStartEstimate', 'jominyJobs.ensembleMember', 'jominyJobs.trained',
  'jominyJobs.trainedCoverage', 'jominyJobs.trainedSkillGrade', 'jominyJobs.trainedSkillGradeCoverage', 'jominyJobs.trainedSkillTraining',
  'jominyJobs.trainedSkillTrainingCoverage', 'jominyJobs.generation', 'jominyJobs.generationRestarts', 'jominyJobs.designs',
] as const;

export type PhraseCode = (typeof PHRASE_CODES)[number];

/** A number shown with `digits` decimals (all it needs, up to 6, when omitted). */
export interface PhraseNumber {
  value: number;
  digits?: number;
}
export type PhraseParam = string | number | PhraseNumber;

export interface Phrase {
  code: PhraseCode;
  params: Record<string, PhraseParam>;
}

export const PhraseParamSchema = z.union([z.string(), z.number(), z.object({ value: z.number(), digits: z.number().int().min(0).max(8).optional() })]);
export const PhraseSchema = z.object({ code: z.enum(PHRASE_CODES), params: z.record(z.string(), PhraseParamSchema) });

export function phrase(code: PhraseCode, params: Record<string, PhraseParam> = {}): Phrase {
  return { code, params };
}

/** A number the sentence writes with exactly `digits` decimals. */
export const fixed = (value: number, digits: number): PhraseNumber => ({ value, digits });

/** A number the sentence writes with the decimals it needs. */
export const plain = (value: number): PhraseNumber => ({ value });
