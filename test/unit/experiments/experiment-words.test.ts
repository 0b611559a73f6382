import { describe, expect, it } from 'vitest';
import { variantBars, variantTables, type VariantRun } from '../../../core/experiments/segregation/variant-runs.js';
import { HELD_OUT_COLUMNS } from '../../../core/experiments/segregation/cnn-protocol.js';
import { notesOf } from '../../../core/experiments/words.js';
import { phrase, plain } from '../../../core/api/phrase.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

/**
 * The experiments' words as codes (issue 15): the stored English (what the CLI, the English report and results
 * stored before print) is what the experiments wrote before, and the Experiments view words the same codes in
 * Chinese and Italian.
 */
const stat = (m: number) => ({ mean: m, sd: 0.01, n: 2 });
const run = (key: string, label: string): VariantRun =>
  ({
    variant: { key, label, inputs: 'clahe', input: {} },
    outcomes: [],
    summary: { test: { r2: stat(0.8), r2Determination: stat(0.7), mae: stat(0.012), meanBias: stat(0.001), baselineMae: stat(0.02) }, train: { r2: stat(0.95), r2Determination: stat(0.9), mae: stat(0.006) }, gap: { mae: -0.006, r2: 0.15, r2Determination: 0.2 } },
  }) as unknown as VariantRun;

describe('experiment words', () => {
  const runs = [run('raw', 'original (no CLAHE)'), run('clahe', 'CLAHE')];

  it('writes the variant tables and bars in the English they had, with a code beside each', () => {
    const [held, inSample, gap] = variantTables('x', { key: 'input', label: 'input' }, runs, {});
    expect([held.title, inSample.title, gap.title]).toEqual(['Held-out figures (mean over the shared splits)', 'In-sample figures (each split’s training points)', 'Overfitting: in-sample − held-out']);
    expect(held.caption).toBe('Each split’s test points, never trained on by that split’s model; predictions are the mean over the 8 dihedral views (TTA).');
    expect(HELD_OUT_COLUMNS.map((c) => c.label)).toEqual(['R² (Eq. 2)', 'R² (Eq. 2) sd', 'R² (determination)', 'MAE', 'MAE sd', 'mean bias', 'MAE of the training mean (baseline)', 'splits']);
    expect(gap.columns.slice(1).map((c) => c.label)).toEqual(['MAE train − test', 'R² (Eq. 2) train − test', 'R² (determination) train − test']);
    expect(held.columns.every((c) => c.key === 'input' || c.labelPhrase !== undefined)).toBe(true);
    const bars = variantBars('b', phrase('experiments.clahe.figR2'), runs, 'r2', {}, true);
    expect(bars.title).toBe('R² with and without CLAHE (Fig. 8G)');
    expect(bars.series.map((s) => s.name)).toEqual(['held-out R² (Eq. 2)', 'in-sample R² (Eq. 2)']);
    expect(bars.caption).toBe('Mean over the shared splits, ± 1 sd.');
  });

  it('words the same codes in Chinese and Italian', () => {
    const [held] = variantTables('x', { key: 'input', label: 'input' }, runs, {});
    const zh = reportPhraser('zh');
    const it_ = reportPhraser('it');
    expect(zh(held.titlePhrase)).toBe('留出指标（各共享划分的平均）');
    expect(it_(held.captionPhrase)).toBe('I punti di test di ogni suddivisione, mai usati per addestrare il modello di quella suddivisione; le previsioni sono la media sulle 8 viste diedrali (TTA).');
    expect(held.columns.map((c) => (c.labelPhrase ? zh(c.labelPhrase) : c.label)).slice(1, 4)).toEqual(['R²（式 2）', 'R²（式 2）标准差', 'R²（决定系数）']);
  });

  it('keeps notes and their codes side by side: an English-only note gets null', () => {
    const quick = phrase('experiments.note.quickCnn', { filters: 8, dropout: plain(0.1), epochs: 12, patience: 4, lr: plain(0.001), splits: 2, px: 32, paperPx: 224 });
    const n = notesOf(['only English', quick]);
    expect(n.notes).toEqual(['only English', 'Quick budget: 8 filters in the first block (paper 32), dropout 0.1 (paper 0.2), 12 epochs with patience 4 (paper ≤ 500 and 50), learning rate 0.001 (paper 1e-4), 2 split(s), 32 px patches (paper 224 px).']);
    expect(n.notePhrases).toEqual([null, quick]);
    expect(reportPhraser('it')(quick)).toBe('Budget rapido: 8 filtri nel primo blocco (articolo 32), dropout 0.1 (articolo 0.2), 12 epoche con pazienza 4 (articolo ≤ 500 e 50), tasso di apprendimento 0.001 (articolo 1e-4), 2 suddivisione/i, campioni di 32 px (articolo 224 px).');
  });
});
