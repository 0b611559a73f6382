import { describe, expect, it } from 'vitest';
import { generateSynthetic, synthTruthProfile, SYNTH_MODEL_ID } from '../../../core/jominy/synth.js';
import { trainPredictor, JominyPredictor } from '../../../core/jominy/predictor.js';
import { ELEMENTS, chemToArray, type Chemistry } from '../../../core/jominy/elements.js';
import { memoryContext, type ExperimentResult, type ExperimentTable } from '../../../core/experiments/types.js';
import { availableParallelism } from 'node:os';
import { estimateJominySeconds, runJominyReproduction, secondsFor, type JominyReproductionInput } from '../../../core/experiments/jominy/index.js';
import type { RunRecord } from '../../../core/experiments/jominy/runs.js';
import { cellsOf, planFor, reductionPhrases } from '../../../core/experiments/jominy/plan.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

// A tiny synthetic dataset and predictor, 5 target heats, 2 × 2 cells, a small GA: the numbers, not the quality.
const heats = generateSynthetic({ n: 200, seed: 4 });
const model = trainPredictor(heats, { seed: 3, maxHidden: 2, epochs: 30 });
const targets = model.split.testIndices.slice(0, 5).map((i) => heats[i]);
const input: JominyReproductionInput = {
  model,
  targets,
  generator: SYNTH_MODEL_ID,
  threads: 2,
  overrides: { r: [1, 3], alpha: [5, 15], population: 12, generations: 8 },
};

const table = (rs: ExperimentResult[], id: string): ExperimentTable => rs.flatMap((r) => r.tables).find((t) => t.id === id)!;
const cell = (t: ExperimentTable, row: string, col: string) => t.rows.find((r) => r.key === row)!.cells[col] as number;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const recordOf = (store: Map<string, unknown>, part: string) => [...store.entries()].find(([k]) => k.includes(part))![1] as RunRecord;

describe('JoMiner reproduction (paper §4)', async () => {
  const ctx = memoryContext({ seed: 5 });
  const fractions: number[] = [];
  ctx.progress = (f) => fractions.push(f);
  const results = await runJominyReproduction(input, ctx);

  it('runs one unit per r × α cell and per objective run, with progress to 1', () => {
    expect([...ctx.store.keys()].map((k) => k.split('/').slice(1, 3).join('/')).sort()).toEqual(['base/r1-a15', 'base/r1-a5', 'base/r3-a15', 'base/r3-a5', 'cost/r3-a15', 'weighted/r3-a15']);
    expect(results.map((r) => r.id)).toEqual(['jominy-r-alpha', 'jominy-element-error', 'jominy-weighted', 'jominy-cost']);
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  });

  it('Table 4: one row per cell with finite ε, E, S, θ (both kinds), and the mean row is the mean of the rows', () => {
    const t4 = table(results, 'table-4');
    const cells = t4.rows.filter((r) => /^r\d-a\d+$/.test(r.key));
    expect(cells.map((r) => r.key)).toEqual(['r1-a5', 'r1-a15', 'r3-a5', 'r3-a15']);
    expect(t4.rows.map((r) => r.key).slice(4)).toEqual(['mean', 'baseline-training-heat', 'reference-own-chemistry']);
    for (const r of cells) for (const k of ['eps', 'E', 'S', 'theta', 'epsTruth']) expect(Number.isFinite(r.cells[k])).toBe(true);
    for (const k of ['eps', 'E', 'S', 'theta', 'epsTruth']) expect(cell(t4, 'mean', k)).toBeCloseTo(mean(cells.map((r) => r.cells[k] as number)), 12);
    expect(t4.rows.find((r) => r.key === 'r3-a15')!.paper).toEqual({ eps: 0.27 });
    // The per-point table's average column is the mean over the 15 points, and equals the summary's ε.
    const pts = table(results, 'table-4-points');
    for (const r of cells) {
      const row = pts.rows.find((x) => x.key === `${r.key}-eps`)!;
      expect(row.cells.avg as number).toBeCloseTo(mean(Array.from({ length: 15 }, (_, i) => row.cells[`j${i + 1}`] as number)), 12);
      expect(row.cells.avg).toBeCloseTo(r.cells.eps as number, 12);
    }
  });

  it('ε_i, E_i, honest ε_i, ε[El] and ρ[El] are the paper’s definitions, checked by hand on one cell', () => {
    const rec = recordOf(ctx.store, 'base/r3-a15');
    const pts = table(results, 'table-4-points');
    // Eq. 4 and 5 at the 4th distance (7 mm).
    const abs = targets.map((t, j) => Math.abs(rec.profile[j][3] - t.hardness[3]));
    expect(cell(pts, 'r3-a15-eps', 'j4')).toBeCloseTo(mean(abs), 12);
    expect(cell(pts, 'r3-a15-E', 'j4')).toBeCloseTo(Math.max(...abs), 12);
    expect(cell(pts, 'r3-a15-theta', 'j4')).toBeCloseTo(100 * mean(targets.map((t, j) => Math.abs(rec.profile[j][3] - t.hardness[3]) / t.hardness[3])), 12);
    // The honest row scores the designs with the generating model, not the predictor: a different number.
    expect(cell(pts, 'r3-a15-eps-truth', 'j4')).not.toBeCloseTo(cell(pts, 'r3-a15-eps', 'j4'), 6);
    // Eq. 11 and 12 for Mn.
    const e = ELEMENTS.indexOf('Mn');
    const epsMn = mean(targets.map((t, j) => Math.abs(rec.chemistry[j][e] - t.chemistry.Mn!)));
    expect(cell(table(results, 'table-5'), 'r3-a15', 'Mn')).toBeCloseTo(epsMn, 12);
    expect(cell(table(results, 'table-5-rho'), 'r3-a15', 'Mn')).toBeCloseTo(epsMn / model.domain.max[e], 12);
    const fig8 = results[1].figures.find((f) => f.id === 'fig-8')!;
    expect(fig8.series.map((s) => s.name)).toEqual(['r = 1, α = 15', 'r = 3, α = 15']);
    expect(fig8.series[1].points.find((p) => p.x === 'Mn')!.y).toBeCloseTo(epsMn / model.domain.max[e], 12);
  });

  it('the no-search baseline proposes a training heat: its ε is that heat’s predicted curve against the target', () => {
    const t4 = table(results, 'table-4');
    // Recomputed independently: every training chemistry's predicted curve, the closest per target (Eq. 1).
    const d = model.domain;
    const n = d.points.length / 15;
    const p = new JominyPredictor(model);
    const curves = Array.from({ length: n }, (_, i) => p.predict(Array.from({ length: 15 }, (_, j) => d.mean[j] + d.std[j] * d.points[i * 15 + j])));
    const best = targets.map((t) => Math.min(...curves.map((c) => mean(c.map((v, i) => Math.abs(v - t.hardness[i]))))));
    expect(cell(t4, 'baseline-training-heat', 'eps')).toBeCloseTo(mean(best), 9);
    expect(Number.isFinite(cell(t4, 'baseline-training-heat', 'epsTruth'))).toBe(true);
    // The reference: the targets' own chemistry, through the predictor and through the generating model.
    const own = targets.map((t) => chemToArray(t.chemistry));
    expect(cell(t4, 'reference-own-chemistry', 'eps')).toBeCloseTo(mean(targets.map((t, j) => mean(p.predict(own[j]).map((v, i) => Math.abs(v - t.hardness[i]))))), 9);
    expect(cell(t4, 'reference-own-chemistry', 'epsTruth')).toBeCloseTo(mean(targets.map((t) => mean(synthTruthProfile(t.chemistry as Chemistry).map((v, i) => Math.abs(v - t.hardness[i]))))), 9);
  });

  it('Table 8 compares the weighted run with the base run of the same cell; Table 11’s change is the mean |design − target heat|', () => {
    const t8 = table(results, 'table-8');
    const pts = table(results, 'table-4-points');
    for (let i = 1; i <= 15; i++) expect(cell(t8, `j${i}`, 'base')).toBe(cell(pts, 'r3-a15-eps', `j${i}`));
    expect(cell(t8, 'avg', 'weighted')).toBeCloseTo(cell(table(results, 'table-7'), 'eps', 'avg'), 12);
    const cost = recordOf(ctx.store, 'cost/r3-a15');
    const t11 = table(results, 'table-11');
    for (const el of ELEMENTS) {
      const e = ELEMENTS.indexOf(el);
      const real = targets.map((t) => chemToArray(t.chemistry)[e]);
      expect(cell(t11, el, 'meanAbsChange')).toBeCloseTo(mean(cost.chemistry.map((c, j) => Math.abs(c[e] - real[j]))), 12);
      const md = mean(cost.chemistry.map((c) => c[e]));
      expect(cell(t11, el, 'changePct')).toBeCloseTo((100 * (md - mean(real))) / mean(real), 9);
    }
    expect(t11.rows.find((r) => r.key === 'V')!.paper).toEqual({ changePct: -89 });
  });

  it('resumes without computing anything, and on measured data prints only the predictor’s figures', async () => {
    let computed = 0;
    const again = memoryContext({ seed: 5, store: new Map(ctx.store), signal: AbortSignal.abort() });
    const unit = again.unit.bind(again);
    again.unit = (key, compute) => unit(key, () => (computed++, compute()));
    // An aborted signal: any design run would throw at once.
    expect(await runJominyReproduction(input, again)).toEqual(results);
    expect(computed).toBe(0);
    const measured = await runJominyReproduction({ ...input, generator: null }, again);
    expect(computed).toBe(0);
    const t4 = table(measured, 'table-4');
    expect(t4.columns.map((c) => c.key)).not.toContain('epsTruth');
    expect(measured[0].notes.join(' ')).toMatch(/Measured data: only the figures against the predictor/);
    expect(results[0].notes.join(' ')).toMatch(/SYNTHETIC/);
    // issue 15: every note is a code (none English-only), and its English words are the stored note
    expect(results[0].notePhrases).toHaveLength(results[0].notes.length);
    results[0].notePhrases!.forEach((p, i) => expect(p && english(p)).toBe(results[0].notes[i]));
    // the quick budget's reductions nest in one note, each worded in the reader's language
    const reduced = results[0].notePhrases!.find((p) => p?.code.startsWith('expNotes.jominy.reduced'));
    expect(reduced?.code).toMatch(/^expNotes\.jominy\.reduced[23]$/);
    expect(reportPhraser('zh')(reduced)).toMatch(/^已缩减（预算）：.*GA 预算 Q = 12，NG = 8（论文：Q = 50，NG = 100）。$/);
    for (const res of [...results, ...measured]) res.notePhrases!.forEach((p, i) => expect(p && english(p)).toBe(res.notes[i]));
  });

  it('a cancel stops the pool mid-sweep; the resumed run computes only the units that had not finished', async () => {
    const ac = new AbortController();
    const store = new Map<string, unknown>();
    const first = memoryContext({ seed: 5, store, signal: ac.signal });
    // Cancel once the second configuration has started.
    first.progress = (f) => f > 1.2 / 6 && ac.abort();
    await expect(runJominyReproduction(input, first)).rejects.toMatchObject({ name: 'AbortError' });
    const done = store.size;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(6);
    let computed = 0;
    const resumed = memoryContext({ seed: 5, store });
    const unit = resumed.unit.bind(resumed);
    resumed.unit = (key, compute) => unit(key, () => (computed++, compute()));
    // Same seeds per target: the resumed run gives what the uninterrupted one gave.
    const timeless = (rs: ExperimentResult[]) => rs.map(({ elapsedMs: _, ...r }) => r);
    expect(timeless(await runJominyReproduction(input, resumed))).toEqual(timeless(results));
    expect(computed).toBe(6 - done);
  });

  it('refuses a target with a missing reading, naming the heat and the distance', async () => {
    const bad = { ...targets[1], heatId: 'H-77', hardness: targets[1].hardness.map((h, i) => (i === 6 ? NaN : h)) };
    await expect(runJominyReproduction({ ...input, targets: [targets[0], bad] }, memoryContext())).rejects.toThrow(/H-77.*13 mm/);
  });

  it('full is the paper’s protocol; quick says what it reduces', () => {
    expect(planFor('full', 243)).toEqual({ targets: 243, r: [1, 2, 3, 4], alpha: [5, 10, 15, 25, 50], population: 50, generations: 100, chosen: { r: 3, alpha: 15 } });
    const quick = planFor('quick', 243);
    expect(cellsOf(quick)).toHaveLength(12);
    expect(quick.targets).toBe(48);
    expect(reductionPhrases(quick, 243).map(english).join(' ')).toMatch(/48 of the 243 target curves.*12 of the paper's 20 r × α cells/);
    expect(reductionPhrases(planFor('full', 243), 243)).toEqual([]);
  });

  it('estimates the time from a measured cost per evaluation: full is 8× the quick budget’s designs', () => {
    // Timing on a loaded machine is noisy; the arithmetic is not. 250 targets: quick 48 × 14 runs, full 250 × 22.
    const quick = secondsFor(planFor('quick', 250), 30e-6, 2);
    const full = secondsFor(planFor('full', 250), 30e-6, 2);
    expect(quick).toBe(Math.ceil((14 * 48 * 50 * 101 * 30e-6) / Math.min(2, availableParallelism()) + 7));
    expect(full).toBe(Math.ceil((22 * 250 * 50 * 101 * 30e-6) / Math.min(2, availableParallelism()) + 11));
    expect(estimateJominySeconds({ ...input, overrides: undefined }, 'quick')).toBeGreaterThan(0);
  });
});
