import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/index.js';
import { comparePoints, measuredMap, segregationIndices, summariseComparison } from '../../../core/maps/index.js';
import { acceptanceOf, buildMapReport, reportPhraser, reportTranslator, type MapReportInput, type ReportLanguage } from '../../../core/report/index.js';
import { modelCardOf, type ModelCardSource } from '../../../core/services/reports/model-card.js';
import { trainingPointsPhrase } from '../../../core/segregation/cnn/training-points.js';
import { phrase } from '../../../core/api/phrase.js';
import { english } from '../../../core/runtime/english.js';
import { parsePdf } from './helpers.js';
import { randomPointSplits } from '../../../core/segregation/cnn/splits.js';
import type { RefusedError } from '../../../core/runtime/refused.js';
import { italianArticles, readWithVowel } from '../../../core/api/italian-articles.js';

/**
 * Task 28-B #2: a count of 1 printed "Model vs. readings over 1 points", "(1 random splits)", "K = 1 readings". The
 * report's, the renderer's and the core's sentences with a count that can be 1 now take i18next's plural forms
 * (_one/_other; Chinese has one form, kept under both keys), rendered here at n = 1 and n = 2.
 */

const pts = layoutPoints({ diameterMm: 600 }).map((p) => ({ ...p, carbonWtPct: Number((0.42 + 0.01 * Math.exp(-((Math.hypot(p.xMm, p.yMm) / 60) ** 2))).toFixed(4)) }));
const indices = segregationIndices(measuredMap(pts, 300, { cellsAcross: 41 }).grid, { bulkCarbonWtPct: 0.42 });

/** A one-page map report whose comparison is over the first `n` readings only. */
function input(n: number, language: ReportLanguage): MapReportInput {
  const rows = comparePoints(pts, pts.map((p, i) => (i < n ? { mean: p.carbonWtPct + 0.004, sd: 0.002 } : null)));
  return {
    paper: 'A4',
    language,
    header: { lab: 'QA', billetName: 'B', grade: '42CrMo', diameterMm: 600, heat: '7731', castingNotes: '', date: '2026-11-21T12:00:00.000Z', operator: 'A' },
    synthetic: true,
    indicesSource: 'measured map',
    maps: [],
    indices,
    methodNote: 'm',
    points: rows,
    comparison: summariseComparison(rows),
    version: '0.1.0',
    fingerprint: 'f'.repeat(64),
  } as unknown as MapReportInput;
}
const pdfText = async (inp: MapReportInput) => parsePdf(await buildMapReport(inp)).text.join('\n').replace(/\s+/g, ' ');

describe('counts that can be 1 take the singular', () => {
  it('the PDF comparison line: "over 1 point" and "1 reading compared" at n = 1, "over 2 points" at n = 2 (en, it)', async () => {
    const one = await pdfText(input(1, 'en'));
    // had printed "Model vs. readings over 1 points, …; … 1 reading compared"
    expect(one).toContain('Model vs. readings over 1 point, sample label unknown');
    expect(one).toContain('not computed: 1 reading compared, at least 2 needed');
    expect(one).not.toContain('1 points');
    expect(await pdfText(input(2, 'en'))).toContain('Model vs. readings over 2 points, sample label unknown');
    expect(await pdfText(input(1, 'it'))).toContain('Modello a confronto con le letture su 1 punto,');
    const it2 = await pdfText(input(2, 'it'));
    expect(it2).toContain('Modello a confronto con le letture su 2 punti,');
    expect(await pdfText(input(1, 'zh'))).toContain('模型与 1 个实测读数对比');
  });

  it('the model card: "(1 random split)" and Italian "(1 suddivisione casuale)", plural at 2', () => {
    const card = (splits: number, lang: ReportLanguage) => {
      const src = {
        id: 1, name: 'M', preset: 'compact', datasetFingerprint: 'f'.repeat(16), seed: 42, backend: 'wasm', createdAt: '2026-12-01', synthetic: true, scaleWords: [], calibration: null,
        trainingPointsPhrase: trainingPointsPhrase(null, 85, 'B7'),
        metrics: { splitMode: 'random', splits: Array.from({ length: splits }, () => ({ testMaeOfTrainMean: 0.02, testPoints: [] })), summary: { test: { r2: { mean: 0.6, sd: 0 }, mae: { mean: 0.018, sd: 0 } } } },
      } as unknown as ModelCardSource;
      return modelCardOf(src, 'wasm', reportTranslator(lang), reportPhraser(lang)).metrics[0].name;
    };
    expect(card(1, 'en')).toBe('held-out R² (Eq. 2, squared correlation) (1 random split)');
    expect(card(2, 'en')).toBe('held-out R² (Eq. 2, squared correlation) (2 random splits)');
    expect(card(1, 'it')).toBe('R² sui punti esclusi (Eq. 2, correlazione al quadrato) (1 suddivisione casuale)');
    expect(card(2, 'it')).toBe('R² sui punti esclusi (Eq. 2, correlazione al quadrato) (2 suddivisioni casuali)');
    expect(card(1, 'zh')).toBe('留出 R²（式 2，相关系数平方）（1 次随机划分）');
  });

  it('the acceptance of a map corrected with K = 1 reading (en, it)', () => {
    const classes = [{ name: 'A', maxRatio: 1.08 }, { name: 'B', maxRatio: 1.15 }];
    const c0 = { wtPct: 0.42, source: 'bulk' as const };
    const at = (k: number, lang: ReportLanguage) =>
      acceptanceOf(1.05, classes, reportTranslator(lang), { c0, model: { sample: 'out-of-sample', interval: 'calibrated' }, readings: k, upper: { ratio: 1.07, nominal: 0.9 }, corrected: { k, ratio: 1.06, upper: { ratio: 1.075, nominal: 0.9 } } });
    const one = at(1, 'en');
    expect(one.headline).toContain('an estimate from the model corrected with K = 1 reading (');
    expect(one.otherFigures.join(' | ')).toContain('map corrected with K = 1 reading: ');
    expect(at(2, 'en').headline).toContain('corrected with K = 2 readings (');
    expect(at(1, 'it').headline).toContain('stima del modello corretto con K = 1 lettura (');
    expect(at(2, 'it').headline).toContain('stima del modello corretto con K = 2 letture (');
  });

  it('a training refused on 1 point says "1 point is too few", on 2 "2 points are too few"', () => {
    const refusal = (n: number) => {
      try {
        randomPointSplits(n, 3, 42);
      } catch (err) {
        return english((err as RefusedError).phrase!);
      }
      throw new Error('not refused');
    };
    expect(refusal(1)).toBe('1 point is too few to split into train, validation and test sets (need at least 4)');
    expect(refusal(2)).toBe('2 points are too few to split into train, validation and test sets (need at least 4)');
  });

  it("the core's job words: predicting 1 point, proposing 1 point", () => {
    expect(english(phrase('jobs.cnn.predictingOne'))).toBe('predicting 1 point × 8 transforms');
    expect(english(phrase('jobs.cnn.predicting', { points: 2 }))).toBe('predicting 2 points × 8 transforms');
    expect(english(phrase('jobs.fewer.proposeLabelOne', { name: 'B7' }))).toBe('Propose 1 point of B7');
    expect(reportPhraser('it')(phrase('jobs.fewer.proposeLabelOne', { name: 'B7' }))).toBe('Proponi 1 punto di B7');
  });

  it("the renderer's words: Maps comparison head and too-few line, the corrected map's note, a run's splits (en, it)", () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'renderer', 'src', 'i18n');
    const ns = ['maps', 'corrected-map', 'train', 'csv-readings'];
    const resources = Object.fromEntries(['en', 'it', 'zh'].map((l) => [l, Object.fromEntries(ns.map((n) => [n, JSON.parse(readFileSync(join(root, l, `${n}.json`), 'utf8'))]))]));
    const i18n = i18next.createInstance();
    void i18n.init({ resources, lng: 'en', ns, interpolation: { escapeValue: false }, initAsync: false });
    const t = (lng: string, key: string, vars: Record<string, unknown>) => String(i18n.getFixedT(lng)(key, vars));
    expect(t('en', 'maps:comparison.head', { count: 1 })).toBe('Model vs. readings (1 point');
    expect(t('en', 'maps:comparison.head', { count: 2 })).toBe('Model vs. readings (2 points');
    expect(t('it', 'maps:comparison.head', { count: 1 })).toBe('Modello a confronto con le letture (1 punto');
    expect(t('en', 'maps:comparison.tooFew', { count: 0 })).toContain('0 readings compared');
    expect(t('en', 'maps:comparison.tooFew', { count: 1 })).toContain('1 reading compared');
    expect(t('it', 'maps:comparison.tooFew', { count: 1 })).toContain('1 lettura confrontata');
    const note = { labels: 'P01', plan: 3, method: 'level' };
    expect(t('en', 'corrected-map:note', { count: 1, ...note })).toBe('Corrected with the readings of K = 1 point (P01; plan 3), level');
    expect(t('en', 'corrected-map:note', { count: 2, ...note })).toBe('Corrected with the readings of K = 2 points (P01; plan 3), level');
    expect(t('it', 'corrected-map:note', { count: 1, ...note })).toBe('Corretta con le letture di K = 1 punto (P01; piano 3), level');
    expect(t('en', 'csv-readings:importN', { count: 1 })).toBe('Import 1 reading');
    expect(t('it', 'csv-readings:importN', { count: 2 })).toBe('Importa 2 letture');
    // review s18 (i): readings and points are two counts, each with its own form ("3 readings for 1 point", not "1 points")
    const points = (lng: string, count: number) => t(lng, 'csv-readings:points', { count });
    expect(t('en', 'csv-readings:imported', { count: 1, points: points('en', 1), name: 'a.csv', unit: 'wt.%' })).toBe('Imported 1 reading for 1 point from a.csv (wt.%).');
    expect(t('en', 'csv-readings:imported', { count: 2, points: points('en', 2), name: 'a.csv', unit: 'wt.%' })).toBe('Imported 2 readings for 2 points from a.csv (wt.%).');
    expect(t('en', 'csv-readings:imported', { count: 3, points: points('en', 1), name: 'a.csv', unit: 'wt.%' })).toBe('Imported 3 readings for 1 point from a.csv (wt.%).');
    expect(t('it', 'csv-readings:imported', { count: 3, points: points('it', 1), name: 'a.csv', unit: 'wt.%' })).toBe('Importate 3 letture per 1 punto da a.csv (wt.%).');
    expect(t('zh', 'csv-readings:imported', { count: 3, points: points('zh', 1), name: 'a.csv', unit: 'wt.%' })).toBe('已从 a.csv 导入 1 个点的 3 个读数（wt.%）。');
    expect(t('en', 'csv-readings:rows', { count: 1, points: points('en', 1) })).toBe('1 reading for 1 point');
    expect(t('en', 'csv-readings:rows', { count: 4, points: points('en', 1) })).toBe('4 readings for 1 point');
    expect(t('it', 'csv-readings:rows', { count: 1, points: points('it', 2) })).toBe('1 lettura per 2 punti');
    expect(t('zh', 'csv-readings:rows', { count: 4, points: points('zh', 2) })).toBe('2 个点的 4 个读数');
    expect(t('en', 'train:runs.splits', { count: 1 })).toBe('1 split');
    expect(t('it', 'train:runs.splits', { count: 2 })).toBe('2 suddivisioni');
    // the views pass `count` (i18next picks the form by it), not the old `n`/`k`
    const src = (f: string) => readFileSync(join(root, '..', f), 'utf8');
    expect(src('components/maps/IndicesTable.svelte')).toContain("t('maps:comparison.head', { count: view.comparison.n })");
    expect(src('views/MapsView.svelte')).toContain("t('corrected-map:note', { count: correction.k,");
    expect(src('components/train/RunHistory.svelte')).toContain("t('train:runs.splits', { count: p.splits ?? '?' })");
    expect(src('components/annotate/CsvImportDialog.svelte')).toContain("t('csv-readings:imported', { count: r.imported, points: t('csv-readings:points', { count: r.points }),");
    expect(src('components/annotate/CsvImportDialog.svelte')).toContain("t('csv-readings:rows', { count: preview.rowCount, points: t('csv-readings:points', { count: preview.pointCount }) })");
  });

  it("the corrected map's uncertainty note at K = 1: \"K = 1 reading\" (en, it), one form in Chinese", () => {
    const head = (count: number) => phrase('mapNotes.corrected.uncertaintyHead', { level: 90, count });
    expect(english(head(1))).toBe('Half-width (wt.%) of the 90 % interval of the map corrected with K = 1 reading, cell by cell:');
    expect(english(head(3))).toBe('Half-width (wt.%) of the 90 % interval of the map corrected with K = 3 readings, cell by cell:');
    expect(reportPhraser('it')(head(1))).toBe("Semiampiezza (wt.%) dell'intervallo al 90 % della mappa corretta con K = 1 lettura, cella per cella:");
    expect(reportPhraser('it')(head(3))).toContain('con K = 3 letture,');
    expect(reportPhraser('zh')(head(1))).toBe('用 K = 1 个读数校正后的偏析图的 90 % 区间半宽（wt.%），逐单元：');
  });
});

describe('Italian articles before a number follow how it is read (review s18 (i))', () => {
  it('degli/gli/l\' before 8, 11, 80–89, 800–899 and their thousands; dei/i/il before the others', () => {
    expect([8, 11, 80, 85, 89, 800, 899, 8000, 11_000, 85_000, 800_000].every((n) => readWithVowel(n))).toBe(true);
    expect([0, 1, 2, 7, 10, 12, 18, 76, 90, 100, 1000, 1800, 18_000, 1_000_000, 8_000_000].some((n) => readWithVowel(n))).toBe(false);
    expect(readWithVowel(1, true)).toBe(true); // "l'1 %": uno, with a singular article only
    expect(italianArticles('76 dei 85 punti')).toBe('76 degli 85 punti');
    expect(italianArticles('7 dei 76 punti')).toBe('7 dei 76 punti');
    expect(italianArticles('Dei 8 campioni, sui 11 residui, nei 800, ai 8.000, dai 80')).toBe('Degli 8 campioni, sugli 11 residui, negli 800, agli 8.000, dagli 80');
    expect(italianArticles('tutti i 8 (galleria); tutti i 9')).toBe('tutti gli 8 (galleria); tutti i 9');
    expect(italianArticles('ha coperto il 85 %, del 80 %, al 1 %, nel 18 %')).toBe("ha coperto l'85 %, dell'80 %, all'1 %, nel 18 %");
    // the end of another word is no article; a plural article before 1 is left as written
    expect(italianArticles('poi 8 punti; dei 1.5 mm')).toBe('poi 8 punti; dei 1.5 mm');
  });

  it('in the words the report prints: "76 degli 85 punti", "7 dei 76"', () => {
    const said = (trained: number, points: number) => reportPhraser('it')(phrase('carbonFigures.trainingPoints', { trained, points, billets: 'B7', validation: 4, heldOut: 5 }));
    expect(said(76, 85)).toMatch(/^76 degli 85 punti di B7 /);
    expect(said(7, 76)).toMatch(/^7 dei 76 punti di B7 /);
    expect(english(phrase('carbonFigures.trainingPoints', { trained: 76, points: 85, billets: 'B7', validation: 4, heldOut: 5 }))).toMatch(/^76 of the 85 points of B7 /);
  });
});
