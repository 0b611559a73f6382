import { z } from 'zod';
import { method } from '../define.js';
import { Empty, Id, Seed } from '../common.js';
import { JobInfo } from '../events.js';
import { PhraseSchema } from '../phrase.js';
import { UiLanguage } from './system.js';

/**
 * The papers' experiments (issue 13): a reproduction run executes the registered experiments on a billet's (or a
 * Jominy dataset's) data, checkpoints every unit of work, stores each experiment's result and writes one HTML + PDF
 * report with the paper's values beside the measured ones. Long work: `start` and `resume` answer a job.
 */

const Cell = z.union([z.number(), z.string(), z.null()]);

export const ExperimentTableSchema = z.object({
  id: z.string(),
  title: z.string(),
  sample: z.enum(['in-sample', 'held-out', 'out-of-sample', 'paper', 'descriptive']),
  columns: z.array(z.object({ key: z.string(), label: z.string(), labelPhrase: PhraseSchema.optional(), unit: z.string().optional(), digits: z.number().int().optional() })),
  rows: z.array(z.object({ key: z.string(), cells: z.record(z.string(), Cell), paper: z.record(z.string(), Cell).optional() })),
  caption: z.string().optional(),
  /** Title and caption as codes, worded in the reader's language (absent on results stored before, and where none exists). */
  titlePhrase: PhraseSchema.optional(),
  captionPhrase: PhraseSchema.optional(),
});

export const ExperimentFigureSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['line', 'bar', 'scatter']),
  x: z.object({ label: z.string(), unit: z.string().optional(), labelPhrase: PhraseSchema.optional() }),
  y: z.object({ label: z.string(), unit: z.string().optional(), labelPhrase: PhraseSchema.optional() }),
  series: z.array(
    z.object({
      name: z.string(),
      namePhrase: PhraseSchema.optional(),
      points: z.array(z.object({ x: z.union([z.number(), z.string()]), y: z.number(), lo: z.number().optional(), hi: z.number().optional() })),
      paper: z.boolean().optional(),
    }),
  ),
  caption: z.string().optional(),
  titlePhrase: PhraseSchema.optional(),
  captionPhrase: PhraseSchema.optional(),
});

/** core/experiments/types.ts ExperimentResult, as the contract carries it. */
export const ExperimentResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  paperRef: z.string(),
  tables: z.array(ExperimentTableSchema),
  figures: z.array(ExperimentFigureSchema),
  seeds: z.record(z.string(), z.number()),
  settings: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()),
  titlePhrase: PhraseSchema.optional(),
  /** notePhrases[i] words notes[i] in the reader's language; null: that note is English only. */
  notePhrases: z.array(PhraseSchema.nullable()).optional(),
  elapsedMs: z.number(),
});
export type ExperimentResultDto = z.infer<typeof ExperimentResultSchema>;

export const ExperimentKind = z.enum(['segregation', 'jominy']);
export const ExperimentBudgetSchema = z.enum(['quick', 'full']);
export const ExperimentRunState = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']);

export const ExperimentInputs = z.object({
  billetIds: z.array(Id).optional(),
  datasetId: Id.optional(),
  /** A pretrained network folder (TF.js layers: model.json + weights) for the transfer-learning experiment. */
  pretrainedDir: z.string().optional(),
  /** How that network expects its pixels: unit [0, 1], symmetric [−1, 1] (InceptionV3), caffe (VGG). */
  pretrainedPreprocess: z.enum(['unit', 'symmetric', 'caffe']).optional(),
  /** Names of the billets or the dataset, as they were when the run started. */
  names: z.array(z.string()),
  /** The report's language, chosen at the start (absent: the interface language when the report is written, else English). */
  language: UiLanguage.optional(),
});
export type ExperimentInputs = z.infer<typeof ExperimentInputs>;

export const ExperimentRunInfo = z.object({
  id: Id,
  kind: ExperimentKind,
  budget: ExperimentBudgetSchema,
  inputs: ExperimentInputs,
  seed: Seed,
  backend: z.string().nullable(),
  fingerprint: z.string().nullable(),
  synthetic: z.boolean(),
  state: ExperimentRunState,
  /** 1 for the first start, +1 per resume. */
  attempt: z.number().int(),
  /** The experiments of the run, in order (ids). */
  experiments: z.array(z.string()),
  /** Estimated seconds (sum of the experiments' estimates), said before the work starts. */
  estimateS: z.number().nullable(),
  error: z.string().nullable(),
  /** `error` as the phrase it was said with, for the interface's language (absent on runs stored before it and on failures with no words of their own). */
  errorPhrase: PhraseSchema.optional(),
  /** Where the report was written: relative to the data folder (under reports/, fetchable) or an absolute folder (CLI --out). */
  reportDir: z.string().nullable(),
  /** Relative paths of the HTML and PDF when they are under the data folder (for fileUrl), else null. */
  reportFiles: z.object({ html: z.string(), pdf: z.string() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  elapsedMs: z.number(),
  interruptedAt: z.string().nullable(),
  unitsDone: z.number().int(),
  resultsDone: z.number().int(),
});
export type ExperimentRunInfo = z.infer<typeof ExperimentRunInfo>;

export const ExperimentRunDetail = ExperimentRunInfo.extend({ results: z.array(ExperimentResultSchema) });
export type ExperimentRunDetail = z.infer<typeof ExperimentRunDetail>;

export const ExperimentStart = z
  .object({
    kind: ExperimentKind,
    billetIds: z.array(Id).min(1).max(50).optional(),
    datasetId: Id.optional(),
    budget: ExperimentBudgetSchema.default('quick'),
    seed: Seed.default(1),
    /** The report's language (HTML and PDF); default: the interface language chosen in Settings, else English. */
    language: UiLanguage.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'segregation' && !v.billetIds?.length) ctx.addIssue({ code: 'custom', path: ['billetIds'], message: 'a segregation reproduction needs at least one billet' });
    if (v.kind === 'jominy' && v.datasetId === undefined) ctx.addIssue({ code: 'custom', path: ['datasetId'], message: 'a Jominy reproduction needs a dataset' });
  });
export type ExperimentStart = z.infer<typeof ExperimentStart>;

export const experimentsMethods = {
  'experiments.list': method('Reproduction runs, newest first', Empty, z.array(ExperimentRunInfo)),
  'experiments.get': method('One reproduction run with its stored experiment results', z.object({ id: Id }), ExperimentRunDetail),
  'experiments.start': method(
    'Run the papers’ experiments on billets (segregation) or a Jominy dataset: a job; every unit of work is checkpointed, results are stored and a report (HTML + PDF) is written',
    ExperimentStart,
    JobInfo,
  ),
  // A report folder outside the data folder and a pretrained network's folder are CLI-only (`ferrolab reproduce
  // --out DIR --pretrained DIR`): the contract does not let a page name paths of the file system.
  'experiments.resume': method(
    'Continue an interrupted, failed or cancelled run: units and experiments that finished are not computed again',
    z.object({ id: Id }),
    JobInfo,
  ),
  'experiments.cancel': method('Cancel a running reproduction of this process; finished units stay stored for a resume', z.object({ id: Id }), z.object({ cancelled: z.boolean() })),
};
