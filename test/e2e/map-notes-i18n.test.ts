import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, loadDemoBillet, switchLanguage, type E2eSession } from '../helpers/browser.js';
import { measuredMap } from '../../core/maps/index.js';
import { createPointsRepo } from '../../core/store/repos/points-repo.js';
import { createPredictedMapsRepo } from '../../core/store/repos/predicted-maps-repo.js';
import { patchScaleFor } from '../../core/segregation/cnn/scale.js';

/**
 * The Maps view words a predicted map's notes in the interface language (issue 15): the smoothed layer's method,
 * its contours beside the model's interval, the scale label, the uncertainty layer's calibration — in Italian with
 * the decimal comma, and in Chinese. The predicted map is stored directly (a lattice like the measured map, with a
 * calibration and a scale) so that no CNN is trained here: what is under test is how its notes are worded.
 */
describe('Maps view: a predicted map’s notes in Italian and Chinese', () => {
  let s: E2eSession;
  let billetId: number;
  beforeAll(async () => {
    s = await openApp();
    billetId = await loadDemoBillet(s, { seed: 4, sizePx: 400 });
    const b = s.ctx.repos.billets.get(billetId);
    const pts = createPointsRepo(s.ctx.db).list(billetId).filter((p) => p.meanWtPct !== null).map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, carbonWtPct: p.meanWtPct! }));
    const grid = measuredMap(pts, b.nominalDiameterMm / 2, { cellsAcross: 25 }).grid;
    const calibration = { method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.0251, scale: null, n: 85, points: 85, measuredCoverage: 0.894, coverageN: 85, coveragePoints: 85, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.0251 };
    createPredictedMapsRepo(s.ctx.db).create({
      billetId, modelId: null, modelName: 'test model', strideMm: grid.stepMm, patchCount: grid.values.length, maskedCount: 0,
      grid: { ...grid, sd: new Float64Array(grid.values.length).fill(0.004) }, points: [], backend: 'cpu', smoothed: null,
      params: { calibration, scale: patchScaleFor({ patchMm: 13.6, trainedMmPerPx: 0.425, inputSize: 32 }, 32, 0.2) },
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  async function draw(page: Page, maps: string, billet: string, layer: string) {
    await page.getByRole('navigation').getByRole('button', { name: maps, exact: true }).click();
    await page.getByLabel(billet, { exact: true }).selectOption(String(billetId));
    await page.getByRole('radio', { name: layer, exact: true }).check();
    await page.getByTestId('draw-map').click();
    await page.getByTestId('map-method').waitFor();
  }

  it('Italian: the smoothed layer, its contours and the scale; then the uncertainty layer, numbers with the decimal comma', async () => {
    const { page } = s;
    await switchLanguage(page, 'Settings / About', 'it');
    await draw(page, 'Mappe', 'Billetta', 'Prevista');
    await expect.poll(() => page.getByTestId('map-method').textContent(), { timeout: 60_000 }).toContain('Previsione CNN smussata: un processo gaussiano (kriging)');
    const contours = (await page.getByTestId('map-contours').textContent())!;
    expect(contours).toMatch(/^isolinee distanti ≥ 0,\d{4} wt\.% \(l'ampiezza dell'intervallo al 90 % dello smussamento, ±0,\d{4}\); l'intervallo calibrato al 90 % del modello stesso è ±0,025 wt\.%$/);
    expect(await page.getByTestId('map-scale').textContent()).toBe('campione di 13,6 mm: 68 px di questa immagine (0,200 mm/px) → 32 px');
    await draw(page, 'Mappe', 'Billetta', 'Incertezza');
    await expect.poll(() => page.getByTestId('map-method').textContent()).toContain("Semiampiezza (wt.%) dell'intervallo di previsione calibrato al 90 % di ogni campione");
    const method = (await page.getByTestId('map-method').textContent())!;
    expect(method).toContain('la stessa semiampiezza ovunque, 0,0251 wt.%.');
    expect(method).toContain('Intervallo al 90 %, copertura misurata 0,89 su 85 punti di verifica.');
    expect(method).not.toContain('Half-width');
    await s.screenshot('maps-notes-it');
  }, 180_000);

  it('Chinese: the same notes in Chinese, sentences run on', async () => {
    const { page } = s;
    await switchLanguage(page, 'Impostazioni / Info', 'zh');
    await draw(page, '偏析图', '铸坯', '预测');
    await expect.poll(() => page.getByTestId('map-method').textContent(), { timeout: 60_000 }).toContain('平滑后的 CNN 预测：对');
    expect(await page.getByTestId('map-contours').textContent()).toContain('模型自身校准的 90 % 区间为 ±0.025 wt.%');
    expect(await page.getByTestId('map-scale').textContent()).toBe('13.6 mm 取样块：本图像的 68 px（0.200 mm/px）→ 32 px');
    await draw(page, '偏析图', '铸坯', '不确定度');
    await expect.poll(() => page.getByTestId('map-method').textContent()).toContain('各处半宽相同，为 0.0251 wt.%。90 % 区间，在 85 个留出点上实测覆盖率 0.89。');
    await s.screenshot('maps-notes-zh');
  }, 180_000);
});
