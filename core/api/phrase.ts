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
  // errors, job progress and backend reasons of the carbon side and the app (issue 15, task 17-B):
  // core/services/{cnn,sections,readings,maps,fewer-points,experiments,shared}, core/store/repos, core/app,
  // core/api/errors.ts, core/jobs, core/imaging, core/ml/backend*.ts, core/ml/webgpu-*.ts
  'errors.notFound.billet',
  'errors.notFound.model',
  'errors.notFound.trainingRun',
  'errors.notFound.experimentRun',
  'errors.notFound.predictedMap',
  'errors.notFound.designSession',
  'errors.notFound.grade',
  'errors.notFound.image',
  'errors.notFound.jominyDataset',
  'errors.notFound.jominyEvaluation',
  'errors.notFound.jominyPredictor',
  'errors.notFound.report',
  'errors.notFound.pointPlan',
  'errors.app.invalidField',
  'errors.app.invalid',
  'errors.app.invalidValue',
  'errors.app.unknownMethod',
  'errors.app.badUploadId',
  'errors.app.uploadGone',
  'errors.app.confirmBilletName',
  'errors.cnn.noReadings',
  'errors.cnn.noPoints',
  'errors.cnn.noBillet',
  'errors.cnn.billetTwice',
  'errors.cnn.notCnn',
  'errors.cnn.notModelJson',
  'errors.cnn.notModelFormat',
  'errors.cnn.modelKind',
  'errors.cnn.modelFileBad',
  'errors.cnn.modelDamaged',
  'errors.cnn.destExists',
  'errors.cnn.fineTuneDetail',
  'errors.cnn.fineTunePatch',
  'errors.cnn.fineTunePatchNative',
  'errors.cnn.patchNeedsCalibration',
  'errors.cnn.patchTooSmall',
  'errors.cnn.detailNeedsPatch',
  'errors.cnn.detailTooCoarse',
  'errors.cnn.convLayer',
  'errors.cnn.regionTestPatches',
  'errors.cnn.regionTestActivation',
  'errors.sections.patchOutside',
  'errors.sections.noPoints',
  'errors.sections.nothingAttached',
  'errors.sections.nothingAttachedOne',
  'errors.sections.nothingAttachedMore',
  'errors.sections.notCalibrated',
  'errors.sections.notCalibratedScale',
  'errors.sections.noImage',
  'errors.sections.missingPatches',
  'errors.sections.missingPatchesOne',
  'errors.sections.missingPatchesMore',
  'errors.sections.filesRemoved',
  'errors.sections.noAutoRim',
  'errors.sections.rimCollinear',
  'errors.sections.rimRadius',
  'errors.sections.noImageYet',
  'errors.sections.rimNotSet',
  'errors.sections.attachNoPoints',
  'errors.imaging.notImage',
  'errors.imaging.unreadable',
  'errors.imaging.format',
  'errors.imaging.noSize',
  'errors.imaging.tooManyPixels',
  'errors.imaging.corrupt',
  'errors.imaging.attachMissing',
  'errors.imaging.attachTooSmall',
  'errors.imaging.attachedSmallerThanPatch',
  'errors.imaging.attachedNoScale',
  'errors.imaging.attachedGone',
  'errors.readings.noPoints',
  'errors.readings.tooLarge',
  'errors.readings.nothingImported',
  'errors.readings.nothingImportedOne',
  'errors.readings.nothingImportedMore',
  'errors.readings.noneToExport',
  'errors.readings.valueCount',
  'errors.readings.valueNotNumber',
  'errors.readings.valueNegative',
  'errors.readings.valueAbove',
  'errors.readings.tooManyReplicates',
  'errors.readings.tooManyReplicatesLine',
  'errors.store.billetNameTaken',
  'errors.store.noPoint',
  'errors.store.labelTwice',
  'errors.store.labelTaken',
  'errors.store.layoutDeletes',
  'errors.store.layoutDeletesOne',
  'errors.store.pointOfOtherBillet',
  'errors.store.deleteLoses',
  'errors.store.deleteLosesOne',
  'errors.store.modelName',
  'errors.store.mapOtherBillet',
  'errors.maps.fewReadings',
  'errors.maps.noPrediction',
  'errors.maps.noCalibration',
  'errors.maps.noOverlay',
  'errors.maps.notCorrected',
  'errors.fewer.fewPoints',
  'errors.fewer.fewPointsOne',
  'errors.fewer.kTooLarge',
  'errors.fewer.widths',
  'errors.fewer.noPlan',
  'errors.fewer.noPlanForModel',
  'errors.fewer.planOtherBillet',
  'errors.fewer.planOtherModel',
  'errors.fewer.planModelDeleted',
  'errors.fewer.curveNeedsReadings',
  'errors.fewer.curveNeedsReadingsOne',
  'errors.fewer.noErrorFigures',
  'errors.fewer.noReadingYet',
  'errors.experiments.dataChanged',
  'errors.experiments.datasetChanged',
  'errors.experiments.noBillet',
  'errors.experiments.noDataset',
  'errors.experiments.runDone',
  'errors.experiments.runRunning',
  'jobs.done',
  'jobs.cancelled',
  'jobs.cancelling',
  'jobs.cnn.decoding',
  'jobs.cnn.patchesOf',
  'jobs.cnn.dataset',
  'jobs.cnn.dataParallel',
  'jobs.cnn.estimate',
  'jobs.cnn.estimateWorkers',
  'jobs.cnn.epoch',
  'jobs.cnn.predicting',
  'jobs.fewer.draws',
  'jobs.maps.findingPores',
  'jobs.maps.readingPores',
  'jobs.maps.detectingPores',
  'jobs.maps.predictingPatches',
  'jobs.maps.patches',
  'jobs.maps.atPoints',
  'jobs.maps.smoothing',
  'jobs.sections.decoding',
  'jobs.sections.readingAttached',
  'jobs.sections.patchOf',
  'jobs.sections.checkedImages',
  'jobs.sections.refused',
  'jobs.sections.header',
  'jobs.sections.hashing',
  'jobs.sections.pixels',
  'jobs.sections.rim',
  'jobs.sections.pyramid',
  'jobs.sections.thumbnail',
  'jobs.sections.imported',
  'jobs.sections.demoGenerating',
  'jobs.sections.demoEncoding',
  'jobs.sections.demoStoring',
  'jobs.experiments.loadingQuick',
  'jobs.experiments.loadingFull',
  'jobs.experiments.patches',
  'jobs.experiments.estimate',
  'jobs.experiments.estimateQuick',
  'jobs.experiments.estimateBasis',
  'jobs.experiments.estimateBasisQuick',
  'jobs.experiments.report',
  'backend.notInstalled',
  'backend.failed',
  'backend.noCuda',
  'backend.noAdapter',
  'backend.softwareOnly',
  'backend.wasmInit',
  'backend.setBackend',
  'errors.imaging.attachNotLabelNone',
  'errors.imaging.attachNotLabelList',
  'errors.imaging.attachNotLabelRange',
  'errors.imaging.attachTwice',
  'errors.sections.attachEmptyFolder',
  'jobs.fewer.proposeLabel',
  'jobs.fewer.curveLabel',
  'jobs.experiments.reproduceLabel',
  'jobs.experiments.resumeLabel',
  'jobs.cnn.trainLabel',
  'jobs.cnn.trainLabelOne',
  'jobs.cnn.fineTuneLabel',
  'jobs.cnn.fineTuneLabelOne',
  'jobs.cnn.predictLabel',
  'jobs.sections.demoLabel',
  'jobs.sections.importLabel',
  'jobs.sections.qualityLabel',
  'jobs.sections.attachLabel',
  'jobs.sections.attachLabelOne',
  'jobs.maps.label',
  'jobs.maps.poresLabel',
  // end of task 17-B codes
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
