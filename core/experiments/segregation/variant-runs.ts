import { phrase, type Phrase } from '../../api/phrase.js';
import { captioned, labelled, named, titled } from '../words.js';
import type { ExperimentInput } from '../../segregation/cnn/experiment.js';
import type { PointSplit } from '../../segregation/cnn/splits.js';
import type { Cell, ExperimentContext, ExperimentFigure, ExperimentTable, TableColumn } from '../types.js';
import { HELD_OUT_COLUMNS, mean, splitUnit, summarise, type OutcomeSummary, type SplitOutcome } from './cnn-protocol.js';

/**
 * An ablation trains a few variants of one network (augmentation on/off, CLAHE on/off) on the same splits and
 * compares them. This runs the variants as resumable units and lays out the three tables every ablation shows:
 * held-out, in-sample and their gap (overfitting), with the paper's values beside ours where it states them.
 */

export interface Variant {
  key: string;
  label: string;
  /** Which patches `input.patches` holds (part of the unit key). */
  inputs: 'raw' | 'clahe';
  /** Everything but `splits`/`final` (units train one split each). */
  input: Omit<ExperimentInput, 'splits' | 'final'>;
}

export interface VariantRun {
  variant: Variant;
  outcomes: SplitOutcome[];
  summary: OutcomeSummary;
}

export async function runVariants(ctx: ExperimentContext, variants: readonly Variant[], splits: readonly PointSplit[]): Promise<VariantRun[]> {
  const total = variants.length * splits.length;
  let done = 0;
  const out: VariantRun[] = [];
  for (const v of variants) {
    const outcomes: SplitOutcome[] = [];
    for (const split of splits) {
      outcomes.push(await splitUnit(ctx, v.inputs, { ...v.input, splits: [], final: null }, split, (f, m) => ctx.progress((done + f) / total, phrase('expNotes.progress.of', { what: v.label, step: m }))));
      done++;
      ctx.progress(done / total, phrase('expNotes.progress.splitDone', { what: v.label, split: split.name }));
    }
    out.push({ variant: v, outcomes, summary: summarise(outcomes) });
  }
  return out;
}

export interface PaperValues {
  test?: Record<string, Record<string, Cell>>;
  train?: Record<string, Record<string, Cell>>;
}

/** Held-out, in-sample and overfitting tables, one row per variant. `extra` adds per-variant columns to the held-out table. */
export function variantTables(idPrefix: string, head: TableColumn, runs: readonly VariantRun[], paper: PaperValues, extra: { columns: TableColumn[]; cells: (r: VariantRun) => Record<string, Cell> } = { columns: [], cells: () => ({}) }): ExperimentTable[] {
  const withPaper = (key: string, p: Record<string, Record<string, Cell>> | undefined) => (p?.[key] ? { paper: p[key] } : {});
  return [
    {
      id: `${idPrefix}-held-out`,
      ...titled(phrase('experiments.table.heldOut')),
      sample: 'held-out',
      columns: [
        head,
        ...extra.columns,
        ...HELD_OUT_COLUMNS,
      ],
      rows: runs.map((r) => {
        const t = r.summary.test;
        return {
          key: r.variant.key,
          cells: { [head.key]: r.variant.label, ...extra.cells(r), r2: mean(t.r2), r2Sd: t.r2?.sd ?? null, r2Determination: mean(t.r2Determination), mae: mean(t.mae), maeSd: t.mae?.sd ?? null, meanBias: mean(t.meanBias), baselineMae: mean(t.baselineMae), splits: t.mae?.n ?? 0 },
          ...withPaper(r.variant.key, paper.test),
        };
      }),
      ...captioned(phrase('experiments.table.heldOutCaption')),
    },
    {
      id: `${idPrefix}-in-sample`,
      ...titled(phrase('experiments.table.inSample')),
      sample: 'in-sample',
      columns: [head, { key: 'r2', ...labelled(phrase('experiments.col.r2')), digits: 3 }, { key: 'r2Determination', ...labelled(phrase('experiments.col.r2Det')), digits: 3 }, { key: 'mae', ...labelled(phrase('experiments.col.mae')), unit: 'wt.%', digits: 4 }],
      rows: runs.map((r) => ({ key: r.variant.key, cells: { [head.key]: r.variant.label, r2: mean(r.summary.train.r2), r2Determination: mean(r.summary.train.r2Determination), mae: mean(r.summary.train.mae) }, ...withPaper(r.variant.key, paper.train) })),
    },
    {
      id: `${idPrefix}-overfitting`,
      ...titled(phrase('experiments.table.overfitting')),
      sample: 'descriptive',
      columns: [head, { key: 'maeGap', ...labelled(phrase('experiments.col.maeGap')), unit: 'wt.%', digits: 4 }, { key: 'r2Gap', ...labelled(phrase('experiments.col.r2Gap')), digits: 3 }, { key: 'r2DeterminationGap', ...labelled(phrase('experiments.col.r2DetGap')), digits: 3 }],
      rows: runs.map((r) => ({ key: r.variant.key, cells: { [head.key]: r.variant.label, maeGap: r.summary.gap.mae, r2Gap: r.summary.gap.r2, r2DeterminationGap: r.summary.gap.r2Determination } })),
    },
  ];
}

/** A bar figure of one held-out/in-sample metric per variant, with the paper's bars where it states them. */
export function variantBars(id: string, title: Phrase, runs: readonly VariantRun[], metric: 'r2' | 'mae', paper: Record<string, number | undefined>, withTrain = false): ExperimentFigure {
  const pts = (pick: (r: VariantRun) => { mean: number; sd: number } | null) =>
    runs.flatMap((r) => {
      const c = pick(r);
      return c ? [{ x: r.variant.label, y: c.mean, lo: c.mean - c.sd, hi: c.mean + c.sd }] : [];
    });
  const paperPts = runs.flatMap((r) => (paper[r.variant.key] === undefined ? [] : [{ x: r.variant.label, y: paper[r.variant.key]! }]));
  return {
    id,
    ...titled(title),
    kind: 'bar',
    x: labelled(phrase('experiments.col.variant')),
    y: metric === 'r2' ? labelled(phrase('experiments.col.r2')) : { ...labelled(phrase('experiments.col.mae')), unit: 'wt.%' },
    series: [
      { ...named(metric === 'r2' ? phrase('experiments.series.heldOutR2') : phrase('experiments.series.heldOutMae')), points: pts((r) => r.summary.test[metric]) },
      ...(withTrain ? [{ ...named(metric === 'r2' ? phrase('experiments.series.inSampleR2') : phrase('experiments.series.inSampleMae')), points: pts((r) => r.summary.train[metric]) }] : []),
      ...(paperPts.length ? [{ ...named(phrase('experiments.series.paperHeldOut')), points: paperPts, paper: true }] : []),
    ],
    ...captioned(phrase('experiments.figure.barsCaption')),
  };
}
