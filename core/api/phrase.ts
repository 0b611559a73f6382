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
  // map method notes, contour note, correction words (core/services/shared/map-notes.ts); a model's scale in words
  // (core/segregation/cnn/scale.ts scaleLabelPhrase) — task 17-C
  'mapNotes.raw',
  'mapNotes.rawTooFew',
  'mapNotes.smoothed',
  'mapNotes.warnLongest',
  'mapNotes.warnNugget',
  'mapNotes.difference',
  'mapNotes.uncertainty.absolute',
  'mapNotes.uncertainty.scaled',
  'mapNotes.uncertainty.measured',
  'mapNotes.uncertainty.notMeasured',
  'mapNotes.corrected.headOne',
  'mapNotes.corrected.headMany',
  'mapNotes.corrected.smoothedField',
  'mapNotes.corrected.rawField',
  'mapNotes.corrected.uncertaintyHead',
  'mapNotes.corrected.uncertaintyTail',
  'mapNotes.correction.trendOnly',
  'mapNotes.correction.kriging',
  'mapNotes.correction.sourceOne',
  'mapNotes.correction.sourceMany',
  'mapNotes.correction.sourceFew',
  'mapNotes.correction.sourceOther',
  'mapNotes.correction.shapeMatern',
  'mapNotes.correction.shapeFlat',
  'mapNotes.correction.interval',
  'mapNotes.contours',
  'mapNotes.contoursNoModel',
  'mapNotes.truthError',
  'scaleLabel.unknown',
  'scaleLabel.model',
  'scaleLabel.modelDetail',
  'scaleLabel.patch',
  'scaleLabel.attached',
  'scaleLabel.attachedDetail',
  // experiments' titles, table and figure words, notes (core/experiments/segregation/*, words.ts) — task 17-C
  'experiments.col.r2',
  'experiments.col.r2Sd',
  'experiments.col.r2Det',
  'experiments.col.mae',
  'experiments.col.maeSd',
  'experiments.col.meanBias',
  'experiments.col.baselineMae',
  'experiments.col.splits',
  'experiments.col.maeGap',
  'experiments.col.r2Gap',
  'experiments.col.r2DetGap',
  'experiments.col.variant',
  'experiments.table.heldOut',
  'experiments.table.heldOutCaption',
  'experiments.table.inSample',
  'experiments.table.overfitting',
  'experiments.series.heldOutR2',
  'experiments.series.heldOutMae',
  'experiments.series.inSampleR2',
  'experiments.series.inSampleMae',
  'experiments.series.paperHeldOut',
  'experiments.figure.barsCaption',
  'experiments.note.synthetic',
  'experiments.note.quickCnn',
  'experiments.note.blocks',
  'experiments.augmentation.title',
  'experiments.augmentation.figR2',
  'experiments.augmentation.figMae',
  'experiments.augmentation.col.augmentation',
  'experiments.augmentation.col.copies',
  'experiments.augmentation.col.trainSamples',
  'experiments.augmentation.note.epochs',
  'experiments.augmentation.note.copies',
  'experiments.augmentation.note.paperSplit',
  'experiments.clahe.title',
  'experiments.clahe.qualityTable',
  'experiments.clahe.qualityCaption',
  'experiments.clahe.qualityFigure',
  'experiments.clahe.figR2',
  'experiments.clahe.figMae',
  'experiments.clahe.col.figure',
  'experiments.clahe.col.original',
  'experiments.clahe.col.after',
  'experiments.clahe.col.change',
  'experiments.clahe.col.direction',
  'experiments.clahe.col.input',
  'experiments.clahe.col.value',
  'experiments.clahe.series.paperOriginal',
  'experiments.clahe.series.paperEnhanced',
  'experiments.clahe.note.onlyDifference',
  'experiments.sweep.titleGrid',
  'experiments.sweep.titleOneAtATime',
  'experiments.baselines.title',
  'experiments.region.title',
  'experiments.transfer.title',
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
