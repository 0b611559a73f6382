import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layoutPoints } from '../../../core/segregation/index.js';
import { measuredMap, segregationIndices, renderMapPng, comparePoints, INDEX_DEFINITIONS } from '../../../core/maps/index.js';
import { acceptanceOf, buildMapReport, dataFingerprint, reportTranslator, reportPhraser, type MapReportInput, type ReportLanguage } from '../../../core/report/index.js';
import { indexDefinitions } from '../../../core/report/index-definitions.js';
import { scaleCheckPhrases } from '../../../core/api/scale-check-words.js';
import { modelCardOf, type ModelCardSource } from '../../../core/services/reports/model-card.js';
import { trainingPointsPhrase } from '../../../core/segregation/cnn/training-points.js';
import { contourPhrase, noteEnglish, smoothedNote } from '../../../core/services/shared/map-notes.js';
import type { SmoothingFit } from '../../../core/maps/index.js';
import type { IntervalCalibration } from '../../../core/ml/conformal.js';

const smoothFit = {
  lengthScaleMm: 42.3, noiseRatio: 0.25, signalSdWtPct: 0.0123, nuggetSdWtPct: 0.0062, meanWtPct: 0.43, cvRmseWtPct: 0.0079, fitPoints: 300, patches: 812, neighbours: 40, typicalInterval90WtPct: 0.0196,
  cvByLengthScale: [{ lengthScaleMm: 20, cvRmseWtPct: 0.009, noiseRatio: 0.25 }, { lengthScaleMm: 100, cvRmseWtPct: 0.01, noiseRatio: 0.25 }],
} as unknown as SmoothingFit;
const calibration = { method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.0251, scale: null, n: 85, measuredCoverage: 0.894, coverageN: 85, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.0251 } as IntervalCalibration;

/** The printed report in English, Simplified Chinese and Italian, read back with poppler's pdftotext and pdffonts. */
const R = 150;
const field = (x: number, y: number) => 0.42 * (1 + 0.08 * Math.exp(-((Math.hypot(x, y) / R / 0.2) ** 2)));
const pts = layoutPoints({ diameterMm: 300 }).map((p) => ({ ...p, carbonWtPct: Number(field(p.xMm, p.yMm).toFixed(4)) }));
const dir = mkdtempSync(join(tmpdir(), 'ferrolab-report-lang-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A model as the CNN service describes it (the fields the report's card reads): 5 random splits, a calibrated interval. */
const described = {
  id: 12, name: 'cnn-7731', preset: 'compact', trainingPointsPhrase: trainingPointsPhrase({ points: 85, trained: 76, validation: 9, heldOut: 0 }, 85, 'B-7731'), datasetFingerprint: '0123456789abcdef', seed: 42, backend: 'wasm', createdAt: '2026-11-20T09:00:00.000Z', synthetic: true,
  metrics: {
    splitMode: 'random',
    // each split's training mean predicted at its held-out points (the baseline that knows no image)
    splits: [0.0201, 0.0195, 0.021, 0.0188, 0.0206].map((testMaeOfTrainMean) => ({ testMaeOfTrainMean, testPoints: [] })),
    summary: {
      test: { r2: { mean: 0.912, sd: 0.021 }, r2Determination: { mean: 0.88, sd: 0.03 }, meanBias: { mean: 0.0012, sd: 0.002 }, mae: { mean: 0.0101, sd: 0.001 }, rmse: { mean: 0.0132, sd: 0.0015 }, maxAbsError: { mean: 0.031, sd: 0.004 } },
      train: { mae: { mean: 0.006, sd: 0.0005 } },
    },
  },
  calibration: { method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.0251, scale: null, n: 85, points: 85, measuredCoverage: 0.894, coverageN: 85, coveragePoints: 85, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.0251 },
  // its one training section checked against its resolution tag: none contradicted
  scaleWords: scaleCheckPhrases({ counts: { sections: 1, compared: 1, noTag: 0, unread: 0, noRim: 0 }, warnings: [] }),
} as unknown as ModelCardSource;

async function report(language: ReportLanguage, billetName = 'Heat 7731 billet B', withModel = false, predictedNotes = false): Promise<{ pdf: Buffer; text: string; fonts: string }> {
  const tr = reportTranslator(language);
  const m = measuredMap(pts, R, { cellsAcross: 41 });
  const indices = segregationIndices(m.grid, { bulkCarbonWtPct: 0.42 });
  const png = (await renderMapPng(m.grid, { quantity: 'carbon', widthPx: 300, c0WtPct: 0.42, c0Source: 'bulk' })).png;
  const input: MapReportInput = {
    paper: 'A4',
    language,
    header: { lab: 'QA lab', billetName, grade: '42CrMo4', diameterMm: 300, heat: '7731', castingNotes: null, date: '2026-11-21T12:00:00.000Z', operator: 'A. Tester' },
    synthetic: true,
    indicesSource: tr('source.measured'),
    maps: [
      { title: tr('layer.measured'), png },
      // a predicted map's caption and contour line, written as codes (core/services/shared/map-notes.ts)
      ...(predictedNotes ? [{ title: tr('layer.predicted'), png, caption: noteEnglish(smoothedNote(smoothFit, 12.5)), captionPhrases: smoothedNote(smoothFit, 12.5), notePhrase: contourPhrase(smoothFit, calibration) }] : []),
    ],
    indices,
    plant: { signedOffBy: 'L. Rossi', acceptance: acceptanceOf(indices.max.ratio, [{ name: 'A', maxRatio: 1.05 }, { name: 'B', maxRatio: 1.2 }], tr) },
    methodNote: m.method,
    points: comparePoints(pts, pts.map(() => null)),
    model: withModel ? modelCardOf(described, 'wasm', tr, reportPhraser(language)) : null,
    version: '0.1.0',
    fingerprint: dataFingerprint({ pts }),
  };
  const pdf = await buildMapReport(input);
  const file = join(dir, `${language}-${billetName.length}.pdf`);
  writeFileSync(file, pdf);
  return { pdf, text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '), fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }) };
}

describe('report language', () => {
  it('a Chinese report prints its title, headings and labels in Chinese, with Noto Sans SC embedded as a subset', async () => {
    const { pdf, text, fonts } = await report('zh');
    for (const s of ['铸坯碳偏析检测报告', '合成数据', '钢种', '炉号', '偏析指数', '径向分布', '白亮带', '验收判定', '定义', '取样点', '审核人', '实测碳含量分布图', '第 1 页']) expect(text, s).toContain(s);
    expect(text).not.toContain('Segregation indices');
    // embedded (emb yes) and subset (sub yes, the ABCDEF+ prefix): the 10 MB font is not copied whole
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
    expect(pdf.length).toBeLessThan(1_500_000);
  });

  it('an Italian report prints Italian labels; an English one is unchanged and uses no CJK font', async () => {
    const it = await report('it');
    for (const s of ['Rapporto di segregazione del carbonio della billetta', 'DATI SINTETICI', "Qualità d'acciaio", 'Colata', 'Indici di segregazione', 'Profilo radiale', 'Banda bianca', 'Punti di campionamento', 'Approvato da', 'pagina 1 di']) expect(it.text, s).toContain(s);
    expect(it.text).not.toContain('Segregation indices');
    const en = await report('en');
    for (const s of ['Billet carbon segregation report', 'Segregation indices', 'Sampling points', 'page 1 of']) expect(en.text, s).toContain(s);
    expect(en.fonts).not.toContain('NotoSansSC');
  });

  it('the model card is in the report language: every label and word of its figures (Chinese, Italian), numbers kept', async () => {
    // (pdftotext breaks a long cell where the table wraps it: the checks stop short of the wrap)
    const zh = await report('zh', 'Heat 7731 billet B', true);
    for (const s of ['模型说明', '留出 R²（式 2，相关系数平方）（5 次随机划分）', '留出 R²（决定系数）', '留出平均偏差（预测 − 实测）', '样本内（训练点）MAE，wt.%', '90 % 区间（split-conformal', '平均 ± 0.0251 wt.%；在 85 个留出点上实测覆盖率 0.89', '以训练均值预测的留出 MAE', 'B-7731 的 85 个取样点', '随机种子 42', 'wasm（本图）；训练于 wasm', '0.912 ± 0.021', '训练截面比例尺']) expect(zh.text, s).toContain(s);
    for (const s of ['held-out', 'in-sample', 'points of', 'this map', 'seed 42']) expect(zh.text, s).not.toContain(s);
    const it = await report('it', 'Heat 7731 billet B', true);
    for (const s of ['R² sui punti esclusi (Eq. 2, correlazione al quadrato) (5 suddivisioni casuali)', 'MAE nel campione (punti di addestramento), wt.%', 'media ± 0.0251 wt.%; copertura misurata 0.89 su 85 punti di verifica', 'prevedendo la media di addestramento', '85 punti di B-7731', 'seme 42', 'wasm (questa mappa); addestrato su wasm', 'Scala delle sezioni di addestramento']) expect(it.text, s).toContain(s);
    for (const s of ['held-out', 'in-sample', 'this map']) expect(it.text, s).not.toContain(s);
  });

  it('a predicted map’s method note and contour line print in the report language', async () => {
    const zh = await report('zh', 'Heat 7731 billet B', false, true);
    for (const w of ['平滑后的 CNN 预测', '等值线间距', '模型自身校准的 90 % 区间为 ±0.025 wt.%']) expect(zh.text, w).toContain(w);
    expect(zh.text).not.toContain('Smoothed CNN prediction');
    const it = await report('it', 'Heat 7731 billet B', false, true);
    for (const w of ['Previsione CNN smussata', "l'intervallo calibrato al 90 % del modello stesso è ±0.025 wt.%"]) expect(it.text, w).toContain(w);
  });

  it("the English model card says what it said before the card's words were a catalog", () => {
    const card = modelCardOf(described, 'wasm', reportTranslator('en'), reportPhraser('en'));
    // what the weights trained on, not the dataset's 85 (task 28-B)
    expect(card.trainingData).toBe('76 of the 85 points of B-7731 trained its weights (9 only chose its stopping epoch; 0 held out) · dataset 0123456789ab · seed 42');
    expect(card.backend).toBe('wasm (this map); trained on wasm');
    expect(card.metrics.map((x) => `${x.name} = ${x.value}`)).toEqual([
      'held-out R² (Eq. 2, squared correlation) (5 random splits) = 0.912 ± 0.021',
      'held-out R² (coefficient of determination) = 0.880 ± 0.030',
      'held-out mean bias (predicted − measured), wt.% = 0.0012 ± 0.0020',
      'held-out MAE, wt.% = 0.0101 ± 0.0010',
      'held-out MAE predicting the training mean (baseline, no image), wt.% = 0.0200 ± 0.0009',
      'held-out RMSE, wt.% = 0.0132 ± 0.0015',
      'held-out max |error|, wt.% = 0.0310 ± 0.0040',
      'in-sample (training points) MAE, wt.% = 0.0060 ± 0.0005',
      '90 % interval (split-conformal-absolute, n = 85) = mean ± 0.0251 wt.%; measured coverage 0.89 on 85 held-out points',
      "Training sections' scale = section scale vs resolution tag: no contradiction found; sections checked (a believed tag and a rim): 1 of 1",
    ]);
    // not recorded (a model stored before migration 028) is said so, never as none
    expect(modelCardOf({ ...described, scaleWords: undefined } as unknown as ModelCardSource, 'wasm', reportTranslator('en'), reportPhraser('en')).metrics.at(-1)).toEqual({ name: "Training sections' scale", value: 'section scale vs resolution tag: not recorded (stored before Ferrolab kept this check)' });
  });

  it('a Chinese billet name in an English report still prints (the CJK font is taken for it)', async () => {
    const { text, fonts } = await report('en', '炉号 24-1187 三流');
    expect(text).toContain('炉号 24-1187 三流');
    expect(text).toContain('Billet carbon segregation report');
    expect(fonts).toContain('NotoSansSC');
  });

  it("the English definitions are the maps domain's own, word for word; the others are translated", () => {
    expect(indexDefinitions(reportTranslator('en'))).toEqual(INDEX_DEFINITIONS);
    const zh = indexDefinitions(reportTranslator('zh'));
    expect(zh).toHaveLength(INDEX_DEFINITIONS.length);
    expect(zh.find((d) => d.name === '白亮带')?.definition).toContain('电磁搅拌');
  });

  it('the acceptance verdict and rule follow the report language', () => {
    const classes = [{ name: 'A', maxRatio: 1.05 }, { name: 'B', maxRatio: 1.2 }];
    expect(acceptanceOf(1.1, classes).verdict).toBe('max C/C0 1.1000 ≤ 1.200 → class B');
    expect(acceptanceOf(1.1, classes, reportTranslator('zh')).verdict).toBe('最大 C/C0 1.1000 ≤ 1.200 → B 级');
    expect(acceptanceOf(1.3, classes, reportTranslator('it')).verdict).toBe('C/C0 max 1.3000 > 1.200 → NON ACCETTATA (nessuna classe)');
  });
});

describe('packaging of the CJK font', () => {
  it('electron-builder packs the two Noto Sans SC weights the report uses, unpacked for the worker, and none of the other seven', async () => {
    const { readFileSync } = await import('node:fs');
    const yml = readFileSync(join(import.meta.dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8');
    expect(yml).toContain('"!**/node_modules/@expo-google-fonts/noto-sans-sc/{100Thin,200ExtraLight,300Light,500Medium,600SemiBold,800ExtraBold,900Black}/**"');
    expect(yml).toContain('"!**/node_modules/@expo-google-fonts/noto-sans-sc/**/*.png"');
    const unpack = yml.slice(yml.indexOf('asarUnpack:'), yml.indexOf('npmRebuild'));
    expect(unpack).toContain('noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
    expect(unpack).toContain('noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
  });
});
