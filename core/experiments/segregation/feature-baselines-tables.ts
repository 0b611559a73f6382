import { phrase } from '../../api/phrase.js';
import { captioned, labelled, named, titled } from '../words.js';
import type { BaselineModel, Params } from '../../ml/baselines/index.js';
import { meanSd, type RegressionMetrics } from '../../ml/metrics.js';
import type { Cell, ExperimentFigure, ExperimentTable, TableRow } from '../types.js';
import { PAPER_SUPP_TABLE_2 } from './feature-baselines-paper.js';

/** The tables and figure of the feature-baselines experiment, from its per-split outcomes. */

/** What one model × split unit stores (JSON). */
export interface BaselineUnit {
  params: Params;
  cvMae: number;
  gridSize: number;
  /** Held-out predictions, in data.splits[s].test order (wt.%). */
  testPred: number[];
  /** In-sample predictions of the refit, in training-part order (wt.%). */
  trainPred: number[];
}

export interface SplitOutcome {
  split: string;
  /** A model id, or "training-mean" (the baseline of baselines: predict the training part's mean carbon). */
  modelId: string;
  unit: BaselineUnit | null;
  /** Held-out metrics on the split's test points. */
  metrics: RegressionMetrics;
  /** In-sample MAE of the refit on the training part (null for the training mean). */
  trainMae: number | null;
}

const TRAINING_MEAN_LABEL = 'Training mean (no features)';

const num = (v: number): Cell => (Number.isFinite(v) ? v : null);

export function paramsText(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(3)) : v}`)
    .join(', ');
}

/** The most frequent chosen parameters over splits, with how often ("C=1, epsilon=0.1 (3/5 splits)"). */
function modalParams(list: SplitOutcome[]): string {
  const counts = new Map<string, number>();
  for (const o of list) if (o.unit) counts.set(paramsText(o.unit.params), (counts.get(paramsText(o.unit.params)) ?? 0) + 1);
  let best = '';
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return n ? `${best} (${n}/${list.length} splits)` : '—';
}

function rowsByModel(models: readonly BaselineModel[], outcomes: SplitOutcome[]): { id: string; label: string; list: SplitOutcome[] }[] {
  return [
    ...models.map((m) => ({ id: m.id, label: m.label, list: outcomes.filter((o) => o.modelId === m.id) })),
    { id: 'training-mean', label: TRAINING_MEAN_LABEL, list: outcomes.filter((o) => o.modelId === 'training-mean') },
  ];
}

export function heldOutTable(models: readonly BaselineModel[], outcomes: SplitOutcome[], splitCount: number): ExperimentTable {
  const rows: TableRow[] = rowsByModel(models, outcomes).map(({ id, label, list }) => {
    const pick = (f: (m: RegressionMetrics) => number) => meanSd(list.map((o) => f(o.metrics)).filter(Number.isFinite));
    const mae = pick((m) => m.mae);
    const r2 = pick((m) => m.r2);
    const r2d = pick((m) => m.r2Determination);
    const bias = pick((m) => m.meanBias);
    const paper = PAPER_SUPP_TABLE_2[id];
    return {
      key: id,
      cells: {
        model: label,
        mae: num(mae.mean),
        maeSd: num(mae.sd),
        r2: num(r2.mean),
        r2Sd: num(r2.sd),
        r2Determination: num(r2d.mean),
        bias: num(bias.mean),
        params: id === 'training-mean' ? '—' : modalParams(list),
      },
      ...(paper ? { paper: { mae: paper.maeWtPct, r2: paper.r2Percent / 100 } } : {}),
    };
  });
  return {
    id: 'feature-baselines-held-out',
    ...titled(phrase('experiments.baselines.heldOut')),
    sample: 'held-out',
    columns: [
      { key: 'model', ...labelled(phrase('experiments.baselines.col.model')) },
      { key: 'mae', ...labelled(phrase('experiments.col.mae')), unit: 'wt.%', digits: 4 },
      { key: 'maeSd', ...labelled(phrase('experiments.baselines.col.sdSplits')), unit: 'wt.%', digits: 4 },
      { key: 'r2', ...labelled(phrase('experiments.baselines.col.r2Pearson')), digits: 3 },
      { key: 'r2Sd', ...labelled(phrase('experiments.baselines.col.sd')), digits: 3 },
      { key: 'r2Determination', label: 'R² (1 − SSE/SST)', digits: 3 },
      { key: 'bias', ...labelled(phrase('experiments.baselines.col.bias')), unit: 'wt.%', digits: 4 },
      { key: 'params', ...labelled(phrase('experiments.baselines.col.paramsFrequent')) },
    ],
    rows,
    ...captioned(phrase('experiments.baselines.heldOutCaption', { splits: splitCount })),
  };
}

export function perSplitTable(models: readonly BaselineModel[], outcomes: SplitOutcome[]): ExperimentTable {
  const rows: TableRow[] = [];
  for (const { id, label, list } of rowsByModel(models, outcomes)) {
    for (const o of list) {
      rows.push({
        key: `${id}/${o.split}`,
        cells: {
          model: label,
          split: o.split,
          mae: num(o.metrics.mae),
          r2: num(o.metrics.r2),
          r2Determination: num(o.metrics.r2Determination),
          bias: num(o.metrics.meanBias),
          cvMae: o.unit ? num(o.unit.cvMae) : null,
          trainMae: o.trainMae === null ? null : num(o.trainMae),
          params: o.unit ? `${paramsText(o.unit.params)} (of ${o.unit.gridSize})` : '—',
        },
      });
    }
  }
  return {
    id: 'feature-baselines-per-split',
    ...titled(phrase('experiments.baselines.perSplit')),
    sample: 'held-out',
    columns: [
      { key: 'model', ...labelled(phrase('experiments.baselines.col.model')) },
      { key: 'split', ...labelled(phrase('experiments.baselines.col.split')) },
      { key: 'mae', ...labelled(phrase('experiments.baselines.col.heldOutMae')), unit: 'wt.%', digits: 4 },
      { key: 'r2', ...labelled(phrase('experiments.baselines.col.heldOutR2')), digits: 3 },
      { key: 'r2Determination', ...labelled(phrase('experiments.baselines.col.heldOutR2Det')), digits: 3 },
      { key: 'bias', ...labelled(phrase('experiments.baselines.col.heldOutBias')), unit: 'wt.%', digits: 4 },
      { key: 'cvMae', ...labelled(phrase('experiments.baselines.col.cvMae')), unit: 'wt.%', digits: 4 },
      { key: 'trainMae', ...labelled(phrase('experiments.baselines.col.trainMae')), unit: 'wt.%', digits: 4 },
      { key: 'params', ...labelled(phrase('experiments.baselines.col.paramsGrid')) },
    ],
    rows,
    ...captioned(phrase('experiments.baselines.perSplitCaption')),
  };
}

export function baselineFigure(models: readonly BaselineModel[], outcomes: SplitOutcome[]): ExperimentFigure {
  const measured = rowsByModel(models, outcomes).map(({ label, list }) => {
    const s = meanSd(list.map((o) => o.metrics.mae));
    return { x: label, y: s.mean, lo: s.mean - s.sd, hi: s.mean + s.sd };
  });
  const paper = models.flatMap((m) => (PAPER_SUPP_TABLE_2[m.id] ? [{ x: m.label, y: PAPER_SUPP_TABLE_2[m.id].maeWtPct }] : []));
  return {
    id: 'feature-baselines-mae',
    ...titled(phrase('experiments.baselines.figure')),
    kind: 'bar',
    x: labelled(phrase('experiments.baselines.col.model')),
    y: { ...labelled(phrase('experiments.baselines.col.heldOutMae')), unit: 'wt.%' },
    series: [
      { ...named(phrase('experiments.baselines.measured')), points: measured },
      { ...named(phrase('experiments.baselines.paper')), points: paper, paper: true },
    ],
  };
}
